import Synchronization

/// One instruction budget and one wall-clock limit shared by every script call made for one unit
/// of work: an HTTP request, a console line or `crm run`, a bulk write. Hooks called for each
/// record draw from it, so a 1,000-record bulk write gets one budget, not 1,000.
///
/// The kernel only marks the scope (`ScriptBudget.scope`); the script engine reads
/// `ScriptBudget.current` at each outermost script call, fills in its configured defaults for
/// the numbers left `nil`, and charges what the call used. The wall clock starts at the first
/// script call of the scope (time spent waiting for the writer does not count).
public final class ScriptBudget: Sendable {
    /// The budget bound to the running task (or thread), if any.
    @TaskLocal public static var current: ScriptBudget?

    /// What a budget is for; the engine keeps separate defaults for each.
    public enum Purpose: Sendable {
        /// An HTTP request, a console line, `crm run`: the engine's per-request defaults.
        case request
        /// A bulk write such as an import: the engine's (larger) bulk defaults.
        case bulk
    }

    /// Which of the engine's defaults fill in the numbers left `nil`.
    public let purpose: Purpose
    /// Instructions allowed in the whole scope; `nil`: the engine's configured default.
    public let instructions: Int?
    /// Wall-clock seconds allowed from the first script call; `nil`: the engine's default.
    public let seconds: Double?

    private struct Account {
        var used = 0
        var limit: Int?
        var deadline: ContinuousClock.Instant?
        var exhausted = false
    }
    private let account = Mutex(Account())

    /// Creates a budget; `nil` numbers take the script engine's configured defaults.
    public init(_ purpose: Purpose = .request, instructions: Int? = nil, seconds: Double? = nil) {
        self.purpose = purpose
        self.instructions = instructions
        self.seconds = seconds
    }

    /// Runs `body` with `budget` as the current one, unless a budget is already current: nested
    /// scopes (a bulk write inside a request) draw from the outer one.
    public static func scope<T>(_ budget: @autoclosure () -> ScriptBudget = ScriptBudget(), _ body: () throws -> T) rethrows -> T {
        if current != nil { return try body() }
        return try $current.withValue(budget(), operation: body)
    }

    /// Runs `body` with `budget` current, for work handed to another thread (task-local values
    /// do not follow it there): capture `ScriptBudget.current` before, bind it again inside.
    public static func within<T>(_ budget: ScriptBudget?, _ body: () throws -> T) rethrows -> T {
        guard let budget else { return try body() }
        return try $current.withValue(budget, operation: body)
    }

    /// The asynchronous form of `scope(_:_:)`, for request handlers.
    public static func scope<T>(_ budget: @autoclosure () -> ScriptBudget = ScriptBudget(), _ body: () async throws -> T) async rethrows -> T {
        if current != nil { return try await body() }
        return try await $current.withValue(budget(), operation: body)
    }

    /// What is left for the next script call: the limit, what was used so far and the deadline.
    /// The first draw fixes the limit and starts the clock, using the given defaults for the
    /// numbers this budget leaves open.
    public func draw(defaultInstructions: Int, defaultSeconds: Double) -> (limit: Int, used: Int, deadline: ContinuousClock.Instant?) {
        account.withLock { a in
            if a.limit == nil {
                a.limit = instructions ?? defaultInstructions
                let seconds = self.seconds ?? defaultSeconds
                a.deadline = seconds > 0 ? ContinuousClock.now.advanced(by: .nanoseconds(Int64(seconds * 1e9))) : nil
            }
            return (a.limit!, a.used, a.deadline)
        }
    }

    /// Records the instructions used so far and whether a limit was hit.
    public func settle(used: Int, exhausted: Bool) {
        account.withLock { a in
            a.used = max(a.used, used)
            if exhausted { a.exhausted = true }
        }
    }

    /// Instructions used so far in this scope.
    public var used: Int { account.withLock { $0.used } }

    /// Whether a script call of this scope hit the instruction or time limit: the unit of work
    /// must fail as a whole (a bulk write stops instead of skipping the record).
    public var isExhausted: Bool { account.withLock { $0.exhausted } }
}
