import CLua

/// An instruction budget and deadline shared by several calls (one request,
/// one bulk write), as `LuaState.withBudget` takes it.
public struct LuaBudget: Sendable, Equatable {
    /// Instructions allowed in total.
    public var instructions: Int
    /// Instructions used so far (updated by `withBudget`).
    public var used: Int
    /// When the calls must stop; `nil`: no wall-clock limit.
    public var deadline: ContinuousClock.Instant?
    /// The wall-clock limit the deadline came from, for error messages.
    public var seconds: Double?
    /// Set by `withBudget` when a call hit the instruction or time limit.
    public var exhausted = false

    /// Creates a budget of `instructions` with `used` already spent and an optional deadline.
    public init(instructions: Int, used: Int = 0, deadline: ContinuousClock.Instant? = nil, seconds: Double? = nil) {
        self.instructions = instructions
        self.used = used
        self.deadline = deadline
        self.seconds = seconds
    }
}

extension LuaState {
    /// Runs `body` with every Lua call in it drawing from `budget` instead of
    /// getting a fresh per-call budget: instructions are charged across calls
    /// and the count hook also stops a script once `budget.deadline` passes.
    /// A call made after the budget is spent fails at once.  When a budget is
    /// already held (a nested scope), `body` simply continues that one.
    public func withBudget<T>(_ budget: inout LuaBudget, _ body: () throws -> T) rethrows -> T {
        try withBudget(&budget, hostDeadline: nil, body)
    }

    /// `withBudget(_:_:)` with the deadline already converted to the count hook's clock
    /// (`hostDeadline(for:)`), for callers that draw many calls from one deadline.
    func withBudget<T>(_ budget: inout LuaBudget, hostDeadline: Double?, _ body: () throws -> T) rethrows -> T {
        guard ctl.pointee.budget_held == 0, !isRunning else { return try body() }
        ctl.pointee.budget_held = 1
        ctl.pointee.instr_budget = Int64(budget.instructions)
        ctl.pointee.instr_used = Int64(budget.used)
        ctl.pointee.deadline = hostDeadline ?? budget.deadline.map(Self.hostDeadline(for:)) ?? 0
        heldSeconds = budget.seconds
        budgetHit = false
        defer {
            budget.used = Int(ctl.pointee.instr_used)
            budget.exhausted = budget.exhausted || budgetHit
            ctl.pointee.budget_held = 0
            ctl.pointee.deadline = 0
            heldSeconds = nil
            applyLimits()
        }
        return try body()
    }

    /// `deadline` on the clock the count hook reads (`crm_now`, monotonic seconds); never 0,
    /// which means "no deadline" there.
    static func hostDeadline(for deadline: ContinuousClock.Instant) -> Double {
        let remaining = ContinuousClock.now.duration(to: deadline)
        let seconds = Double(remaining.components.seconds) + Double(remaining.components.attoseconds) * 1e-18
        return max(crm_now() + seconds, 1e-9)
    }
}
