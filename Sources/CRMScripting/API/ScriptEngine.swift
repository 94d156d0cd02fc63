import CRMKernel
import Foundation

/// One Lua state with the `crm` API bound to a workspace, and what its scripts declared.
///
/// A `lua_State` is not thread-safe: every use goes through `lock` (recursive, because a Lua
/// call may write a record whose before-save hook calls back into Lua on the same thread).
/// Hooks from this engine capture it; a reload builds a new engine and the old one is dropped
/// when nothing refers to it any more.
///
/// Every outermost Lua call goes through `entering`: it rebuilds the Lua state when the last
/// one hit its memory limit (see `rebuildState`), and charges the call to the `ScriptBudget`
/// of the running request or bulk write, if one is open (`withBudget`).
public final class ScriptEngine: @unchecked Sendable {
    /// What the engine is doing; declarations are allowed while loading and in the console.
    enum Mode { case loading, running, console }

    let lock = NSRecursiveLock()
    /// The Lua state; replaced by `rebuildState` after a memory error. This and the other
    /// per-call properties are only used under `lock`, so the runtime's dynamic exclusivity
    /// check (paid on every hook call) is left out for them.
    @exclusivity(unchecked) var state: LuaState
    let workspace: Workspace
    /// The limits every state of this engine gets.
    let limits: LuaLimits
    /// Defaults for the numbers a `ScriptBudget` leaves open.
    let budgetDefaults: ScriptBudgetDefaults
    /// The pack's files as loaded, in order, to run again when the state is rebuilt.
    var packChunks: [(source: String, chunkName: String)] = []
    /// Declarations collected from the pack (and from the console).
    var declarations = PackDeclarations()
    /// What the engine is doing (read and written under the lock).
    var mode: Mode {
        get { lock.withLock { currentMode } }
        set { lock.withLock { currentMode = newValue } }
    }
    /// The mode's storage, for code that already holds the lock.
    var currentMode: Mode = .loading
    /// The acting user for console and `crm run` writes outside hooks (read and written under the lock).
    public internal(set) var user: ActingUser {
        get { lock.withLock { actingUser } }
        set { lock.withLock { actingUser = newValue } }
    }
    private var actingUser: ActingUser
    /// The acting user's permissions for console and `crm run` calls (for an administrator, a
    /// guard that allows everything but reading secret fields); nil for the system. Hooks run as
    /// company code and are not limited by it.
    var access: AccessGuard?
    /// Open write transactions, innermost last (hooks run inside them).
    @exclusivity(unchecked) var transactions: [WriteContext] = []
    /// The callers' access of the policies running outside a transaction, innermost last.
    var policyAccess: [AccessGuard] = []
    /// How many policies are running (writes are refused while one is).
    var policyDepth = 0
    /// Rejections collected by `crm.reject` in the running before-save hooks, innermost last.
    @exclusivity(unchecked) var rejections: [[FieldError]] = []
    /// The last budget deadline converted for the Lua count hook, with its conversion (`entering`).
    @exclusivity(unchecked) var convertedDeadline: (instant: ContinuousClock.Instant, host: Double)?
    /// Receives `print` and `crm.log` output.
    public var output: (String) -> Void {
        get { lock.withLock { outputSink } }
        set { lock.withLock { outputSink = newValue; state.printHandler = newValue } }
    }
    var outputSink: (String) -> Void = { Swift.print($0) }
    /// The pack folder for `require`.
    let packDirectory: URL?

    /// Creates an engine over `workspace` acting as `user`, with the given limits.
    init(workspace: Workspace, user: ActingUser, limits: LuaLimits, budgetDefaults: ScriptBudgetDefaults? = nil,
         packDirectory: URL?) throws {
        self.workspace = workspace
        self.actingUser = user
        self.packDirectory = packDirectory
        self.limits = limits
        self.budgetDefaults = budgetDefaults ?? ScriptBudgetDefaults(limits)
        state = LuaState(limits: limits)
        do {
            try setUpState()
        } catch {
            throw KernelError(.scriptFailed, "cannot set up the Lua API: \(error)")
        }
    }

    /// Gives `state` its print handler, module resolver and the locked `crm` API.
    func setUpState() throws(LuaError) {
        let sink = outputSink
        state.printHandler = sink
        if let dir = packDirectory {
            state.moduleSource = { name in ScriptPack.moduleSource(name, in: dir) }
        }
        try registerAPI()
        try state.lockGlobals()
    }

    /// Runs `body` holding the engine's lock.
    func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Registers every `crm.*` function.
    private func registerAPI() throws(LuaError) {
        try registerSchemaFunctions()
        try registerRuleFunctions()
        try registerDataFunctions()
        try registerAdminFunctions()
        try registerNotificationFunctions()
        try registerCommentFunctions()
        try registerPluginFunctions()
        try registerPolicyFunctions()
        try registerCalendarFunctions()
        try registerSequenceFunctions()
        try registerApprovalFunctions()
        try registerMoneyFunctions()
        try registerReportFunctions()
        try registerMessageFunctions()
    }

    /// Runs Lua source (a file of the pack, a console line, `crm run`); returns its results.
    /// Pack files (while loading) are kept to be run again if the state must be rebuilt.
    func run(source: String, chunkName: String) throws -> [LuaValue] {
        try locked {
            if currentMode == .loading {
                packChunks.append((source, chunkName))
                return try state.run(source: source, chunkName: chunkName)
            }
            return try entering { try state.run(source: source, chunkName: chunkName) }
        }
    }

    /// Evaluates a console line (an expression, else a statement); returns its results.
    func evaluate(line: String, chunkName: String) throws -> [LuaValue] {
        try locked { try entering { try state.evaluate(line: line, chunkName: chunkName) } }
    }

    /// The kernel contributions of what the scripts declared (schema and hooks).
    func contributions() -> CompanyContributions {
        declarations.contributions(engine: self, dormant: (try? workspace.dormantEntities()) ?? [])
    }

    /// A write in the innermost open transaction, or a new one as the acting user, limited by
    /// their access (the kernel applies it).
    func write<T>(_ body: (WriteContext) throws -> T) throws -> T {
        if policyDepth > 0 { throw KernelError(.invalidState, "a policy may read records but not write them") }
        if let tx = transactions.last { return try body(tx) }
        return try workspace.store.write(as: user, access: callerAccess) { tx in
            transactions.append(tx)
            defer { transactions.removeLast() }
            return try body(tx)
        }
    }

    /// A read in the innermost open transaction (so hooks see their own writes), or a new one.
    func read<T>(_ body: (RecordReader) throws -> T) throws -> T {
        if let tx = transactions.last { return try body(tx.reader) }
        return try workspace.store.read(as: callerAccess, body)
    }

    /// Refuses data functions while the pack loads (they would run again at every start).
    func requireData(_ name: String) throws(LuaError) {
        if mode == .loading {
            throw .script("\(name) cannot run while the script pack loads; call it inside a hook (crm.on) or from the console")
        }
    }

    /// Turns any error from the kernel into a Lua error message naming entity and field.
    static func luaError(_ error: any Error) -> LuaError {
        if let e = error as? LuaError { return e }
        if let e = error as? KernelError { return .script(e.description) }
        return .script(String(describing: error))
    }
}

extension NSRecursiveLock {
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock()
        defer { unlock() }
        return try body()
    }
}
