import CRMKernel

/// The numbers a `ScriptBudget` gets when it leaves them open: one set for requests (HTTP,
/// console line, `crm run`), a larger one for bulk writes (imports).
public struct ScriptBudgetDefaults: Sendable, Equatable {
    /// Instructions of a request scope.
    public var requestInstructions: Int
    /// Wall-clock seconds of a request scope (0: none).
    public var requestSeconds: Double
    /// Instructions of a bulk-write scope.
    public var bulkInstructions: Int
    /// Wall-clock seconds of a bulk-write scope (0: none).
    public var bulkSeconds: Double

    /// Request scopes get the per-call limits of `limits`; bulk scopes 100 times the
    /// instructions and 60 times the time (by default 10⁹ instructions, 30 minutes).
    public init(_ limits: LuaLimits, bulkInstructions: Int? = nil, bulkSeconds: Double? = nil) {
        requestInstructions = limits.instructionBudget
        requestSeconds = limits.timeLimit
        let scaled = limits.instructionBudget.multipliedReportingOverflow(by: 100)
        self.bulkInstructions = bulkInstructions ?? (scaled.overflow ? Int.max : scaled.partialValue)
        self.bulkSeconds = bulkSeconds ?? limits.timeLimit * 60
    }

    /// The defaults for a scope of `purpose`.
    func values(for purpose: ScriptBudget.Purpose) -> (instructions: Int, seconds: Double) {
        switch purpose {
        case .request: (requestInstructions, requestSeconds)
        case .bulk: (bulkInstructions, bulkSeconds)
        }
    }
}

extension ScriptEngine {
    /// Runs `body` (an HTTP request, a console line, a `crm run` file, a batch job) with one
    /// instruction budget and one wall-clock limit for every Lua call it causes, hooks of every
    /// record included. `nil` numbers take the engine's request defaults. Inside an open scope
    /// `body` draws from that one instead. When the budget runs out, the Lua call fails with
    /// `instruction limit exceeded` / `time limit exceeded` (with the script's file:line), and
    /// so does every later call of the scope.
    @discardableResult
    public func withBudget<T>(instructions: Int? = nil, seconds: Double? = nil, _ body: () throws -> T) rethrows -> T {
        try ScriptBudget.scope(ScriptBudget(.request, instructions: instructions, seconds: seconds), body)
    }

    /// Wraps one Lua call made while holding the lock. An outermost call first rebuilds the
    /// state if it hit its memory limit, then draws from the current `ScriptBudget` (if any);
    /// a nested call (a hook run by a write a script made) continues the outer call's budget.
    func entering<T>(_ body: () throws -> T) throws -> T {
        if state.isRunning { return try body() }
        if !state.isUsable { try rebuildState() }
        guard let scope = ScriptBudget.current else { return try body() }
        let defaults = budgetDefaults.values(for: scope.purpose)
        let drawn = scope.draw(defaultInstructions: defaults.instructions, defaultSeconds: defaults.seconds)
        var budget = LuaBudget(instructions: drawn.limit, used: drawn.used, deadline: drawn.deadline,
                               seconds: scope.seconds ?? defaults.seconds)
        defer { scope.settle(used: budget.used, exhausted: budget.exhausted) }
        return try state.withBudget(&budget, hostDeadline: drawn.deadline.map(hostDeadline(for:)), body)
    }

    /// `deadline` on the Lua count hook's clock, converted once per deadline: a bulk write's
    /// thousands of hook calls share one scope and so one deadline.
    private func hostDeadline(for deadline: ContinuousClock.Instant) -> Double {
        if let cached = convertedDeadline, cached.instant == deadline { return cached.host }
        let host = LuaState.hostDeadline(for: deadline)
        convertedDeadline = (deadline, host)
        return host
    }

    /// Replaces a state that hit its memory limit: a fresh state gets the `crm` API and runs the
    /// pack's files again (as loaded, without touching the workspace), so its declarations and
    /// hooks are in force again. Hooks are registered with the kernel by position, so the
    /// rebuilt pack must declare the same hooks in the same order (it does, unless a file
    /// declares hooks conditionally); otherwise the old state is kept and the call fails.
    /// Declarations made in the console since are dropped with the old state.
    func rebuildState() throws {
        let old = state, oldDeclarations = declarations, oldMode = currentMode
        state = LuaState(limits: limits)
        declarations = PackDeclarations()
        currentMode = .loading
        defer { currentMode = oldMode }
        do {
            try setUpState()
            for chunk in packChunks { _ = try state.run(source: chunk.source, chunkName: chunk.chunkName) }
            guard declarations.hasSameHooks(asPrefixOf: oldDeclarations) else {
                throw LuaError.invalidOperation(message: "the script pack declared different hooks when it ran again")
            }
        } catch {
            state = old
            declarations = oldDeclarations
            throw KernelError(.scriptFailed, "the Lua state hit its memory limit and could not be rebuilt: \(error)")
        }
    }
}
