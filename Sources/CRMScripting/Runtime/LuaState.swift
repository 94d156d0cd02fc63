import CLua
import Synchronization

/// A Swift function callable from Lua.  It reads its arguments from
/// `LuaArguments` and returns the Lua results.  Errors it throws become Lua
/// errors (catchable with `pcall`) whose message is the error's description
/// prefixed with the Lua caller's `file:line:`.
public typealias LuaSwiftFunction = (inout LuaArguments) throws -> [LuaValue]

private let nextLuaStateID = Atomic<UInt64>(1)

/// One sandboxed Lua 5.4 interpreter.
///
/// **Ownership:** a `LuaState` is deliberately not `Sendable`.  Exactly one
/// owner (an actor, a serial executor or a single task) must create, use and
/// drop it; never touch it from two threads.  Swift functions registered on it
/// run synchronously on the caller's thread and may call back into the same
/// state (nested calls share the outer call's instruction budget).
///
/// **Sandbox:** only `base` (without `dofile`, `loadfile`, `load`,
/// `collectgarbage`, `warn`), `string` (without `dump`), `table`, `math`,
/// `utf8`, and `os.time/date/clock` are available.  `print` goes to
/// `printHandler`; `require` loads modules of the same script pack through
/// `moduleSource`.  Source is compiled as text only; bytecode is refused.
/// `setmetatable` refuses `__gc`, `pcall`/`xpcall` cannot swallow limit errors.
public final class LuaState {
    let L: OpaquePointer
    let ctl: UnsafeMutablePointer<crm_ctl>
    var functions: [(name: String, body: LuaSwiftFunction)] = []
    /// The record hook calls running on this state are `recordFrames[..<recordDepth]`,
    /// innermost last (`LuaState+Records.swift`); the frames above are empty, kept for reuse.
    /// Touched on every field a hook reads; the state has one owner at a time (see above), so
    /// the runtime's dynamic exclusivity check is left out here and on the other per-call flags.
    @exclusivity(unchecked) var recordFrames: [LuaRecordFrame] = []
    /// How many record hook calls are running (`recordFrames`).
    @exclusivity(unchecked) var recordDepth = 0

    /// Unique identifier of this state (stored in its `LuaFunctionRef`s).
    public let id: UInt64
    /// The resource limits; changes apply to the next call.
    public var limits: LuaLimits { didSet { applyLimits() } }
    /// False once the state hit its memory limit; every call then throws `.stateUnusable`.
    public internal(set) var isUsable = true
    /// Set when a call drawing from a held budget (`withBudget`) hit its instruction or time limit.
    @exclusivity(unchecked) var budgetHit = false
    /// The wall-clock limit of the held budget, for error messages.
    @exclusivity(unchecked) var heldSeconds: Double?
    /// Receives the text of each Lua `print` call (arguments joined by tabs).
    public var printHandler: (String) -> Void = { Swift.print($0) }
    /// Resolves `require(name)` to the module's source and chunk name; `nil`
    /// (or no resolver) means "module not found in this script pack".
    public var moduleSource: ((String) -> (source: String, chunkName: String)?)?

    /// Bytes currently allocated by the state.
    public var memoryInUse: Int { Int(crm_memory_used(L)) }
    /// Whether `lockGlobals()` has been called.
    public var isLocked: Bool { ctl.pointee.locked != 0 }
    /// Whether a Lua call is running (a Swift function called from Lua is using the state).
    public var isRunning: Bool { ctl.pointee.depth > 0 }

    /// Creates a sandboxed state.  Aborts only if the process is out of memory.
    public init(limits: LuaLimits = LuaLimits()) {
        guard let state = crm_open(max(limits.memoryLimit, 0)) else {
            fatalError("CRMScripting: could not allocate a Lua state")
        }
        L = state
        ctl = crm_get_ctl(state)
        id = nextLuaStateID.add(1, ordering: .relaxed).oldValue
        self.limits = limits
        applyLimits()
        ctl.pointee.owner = Unmanaged.passUnretained(self).toOpaque()
        ctl.pointee.dispatch = { L, owner, index in
            Unmanaged<LuaState>.fromOpaque(owner!).takeUnretainedValue().dispatch(L!, Int(index))
        }
        ctl.pointee.resolve = { _, owner, name, length in
            let state = Unmanaged<LuaState>.fromOpaque(owner!).takeUnretainedValue()
            let module = String(decoding: UnsafeRawBufferPointer(start: name, count: length), as: UTF8.self)
            return state.resolveModule(module)
        }
        ctl.pointee.record = { L, owner, operation in
            Unmanaged<LuaState>.fromOpaque(owner!).takeUnretainedValue().recordAccess(L!, operation)
        }
        ctl.pointee.print = { owner, text, length in
            let state = Unmanaged<LuaState>.fromOpaque(owner!).takeUnretainedValue()
            state.printHandler(String(decoding: UnsafeRawBufferPointer(start: text, count: length), as: UTF8.self))
        }
    }

    deinit {
        crm_close(L)
    }

    func applyLimits() {
        ctl.pointee.mem_limit = max(limits.memoryLimit, 0)
        if ctl.pointee.budget_held == 0 { ctl.pointee.instr_budget = Int64(limits.instructionBudget) }
        ctl.pointee.time_limit = max(limits.timeLimit, 0)
        ctl.pointee.max_pattern = max(limits.maxPatternLength, 0)
        ctl.pointee.max_subject = max(limits.maxPatternSubjectLength, 0)
        ctl.pointee.pattern_work = limits.maxPatternWork
    }

    // MARK: compiling and calling

    /// Compiles `source` (text only; bytecode is refused) into a function handle.
    /// `chunkName` (e.g. `"orders.lua"`) appears in error messages as `orders.lua:12:`.
    public func load(source: String, chunkName: String) throws(LuaError) -> LuaFunctionRef {
        try checkUsable()
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        try compile(source, chunkName)
        return makeRef(at: -1)
    }

    /// Compiles and runs `source`, returning the chunk's results.
    public func run(source: String, chunkName: String) throws(LuaError) -> [LuaValue] {
        try checkUsable()
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        try compile(source, chunkName)
        return try callOnStack(nargs: 0, base: top)
    }

    /// Calls a Lua function with `args`, resetting the instruction budget
    /// (unless called from inside a Swift function, where the outer budget
    /// continues).  Runtime errors carry the message location and a traceback.
    public func call(_ function: LuaFunctionRef, _ args: [LuaValue] = []) throws(LuaError) -> [LuaValue] {
        try checkUsable()
        try checkOwnership(function)
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        guard lua_checkstack(L, Int32(clamping: args.count + 8)) != 0 else {
            throw .invalidOperation(message: "too many arguments (\(args.count))")
        }
        crm_push_ref(L, function.reference)
        for arg in args { push(arg) }
        try checkHostPushes(top)
        return try callOnStack(nargs: Int32(args.count), base: top)
    }

    /// Drops the state's reference to a function handle.  Every equal handle
    /// becomes invalid (the reference number may later be reused).
    public func release(_ function: LuaFunctionRef) {
        guard function.stateID == id else { return }
        crm_unref(L, function.reference)
    }

    // MARK: globals

    /// Sets a global variable (after `lockGlobals()` the host may still replace protected globals).
    public func setGlobal(_ name: String, _ value: LuaValue) throws(LuaError) {
        try checkUsable()
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        lua_checkstack(L, 8)
        push(value)
        try checkHostPushes(top)
        crm_set_global(L, name)
    }

    /// Reads a global variable (raw access: no metamethods run).
    public func global(_ name: String) throws(LuaError) -> LuaValue {
        try checkUsable()
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        lua_checkstack(L, 8)
        crm_get_global(L, name)
        return try value(at: -1)
    }

    /// Freezes the environment after set-up, like Redis does: every global that
    /// exists now (`string`, `table`, `math`, `os`, `crm`, `print`, ...) can no
    /// longer be replaced or removed by scripts, and every table reachable from
    /// those globals (nested up to 8 levels, e.g. `crm.customers`) becomes
    /// read-only (`string.find = f` raises; `rawset` on them is refused; `pairs`
    /// and `#` still work).  Scripts may still create *new* globals and read
    /// undefined ones (they are `nil`).  Register Swift functions first:
    /// `register` throws after locking.  The host's `setGlobal` is not restricted.
    public func lockGlobals() throws(LuaError) {
        try checkUsable()
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        if crm_lock(L) != Int32(CRM_OK) {
            throw .invalidOperation(message: "lockGlobals failed: \(string(at: -1))")
        }
    }

    // MARK: internals

    func checkUsable() throws(LuaError) {
        if !isUsable { throw .stateUnusable }
    }

    func checkOwnership(_ function: LuaFunctionRef) throws(LuaError) {
        guard function.stateID == id else {
            throw .invalidOperation(message: "\(function) belongs to another Lua state")
        }
    }

    /// Compiles text, leaving the function on the stack; throws on failure.
    func compile(_ source: String, _ chunkName: String) throws(LuaError) {
        let status = loadStatus(source, chunkName)
        if status != Int32(CRM_OK) { throw failure(status, chunk: chunkName) }
    }

    func loadStatus(_ source: String, _ chunkName: String) -> Int32 {
        var text = source
        return text.withUTF8 { buffer in
            crm_load_text(L, UnsafeRawPointer(buffer.baseAddress)?.assumingMemoryBound(to: CChar.self), buffer.count, chunkName)
        }
    }

    /// Calls the function at `base + 1` with `nargs` arguments above it.
    func callOnStack(nargs: Int32, base: Int32) throws(LuaError) -> [LuaValue] {
        let status = crm_call(L, nargs, LUA_MULTRET)
        if status != Int32(CRM_OK) { throw failure(status, chunk: nil) }
        let top = lua_gettop(L)
        guard top > base else { return [] }
        var results: [LuaValue] = []
        results.reserveCapacity(Int(top - base))
        for index in (base + 1)...top { results.append(try value(at: index)) }
        return results
    }

    /// Converts a failed status (message on top) into a `LuaError`.
    func failure(_ status: Int32, chunk: String?) -> LuaError {
        switch Int(status) {
        case Int(CRM_ERR_MEM):
            isUsable = false
            return .memoryLimitExceeded(limit: limits.memoryLimit)
        case Int(CRM_ERR_HOSTMEM):
            lua_settop(L, -2)
            releaseRefusedPushes()
            return .memoryLimitExceeded(limit: limits.memoryLimit)
        case Int(CRM_ERR_INSTR):
            if ctl.pointee.budget_held != 0 { budgetHit = true }
            let parts = LuaError.splitLocation(string(at: -1))
            return .instructionLimitExceeded(budget: Int(ctl.pointee.instr_budget), chunk: parts.chunk, line: parts.line)
        case Int(CRM_ERR_TIME):
            if ctl.pointee.budget_held != 0 { budgetHit = true }
            let parts = LuaError.splitLocation(string(at: -1))
            return .timeLimitExceeded(seconds: heldSeconds ?? limits.timeLimit, chunk: parts.chunk, line: parts.line)
        case Int(CRM_ERR_SYNTAX):
            let parts = LuaError.splitLocation(string(at: -1))
            let fallback = chunk.map { $0.hasPrefix("@") || $0.hasPrefix("=") ? String($0.dropFirst()) : $0 }
            return .syntax(chunk: parts.chunk ?? fallback ?? "?", line: parts.line, message: parts.message)
        default:
            let parts = LuaError.splitLocation(string(at: -1))
            lua_getfield(L, crm_registry_index(), "crm.traceback")
            let traceback = lua_type(L, -1) == LUA_TSTRING ? string(at: -1) : nil
            lua_pushnil(L)
            lua_setfield(L, crm_registry_index(), "crm.traceback")
            return .runtime(message: parts.message, chunk: parts.chunk, line: parts.line, traceback: traceback)
        }
    }

    func resolveModule(_ name: String) -> Int32 {
        guard let resolver = moduleSource, let found = resolver(name) else { return 0 }
        pushString(found.source)
        pushString(found.chunkName)
        return 2
    }
}
