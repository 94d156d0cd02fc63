import CLua

/// The arguments of a Lua call into a `LuaSwiftFunction`.
///
/// Indices are 0-based (`0` is Lua's first argument); error messages use Lua's
/// 1-based numbering.  Accessors that check types throw `LuaError.script(...)`
/// such as `bad argument #1 to 'crm.create' (table expected, got nil)`, which
/// the runtime turns into a Lua error located at the caller's `file:line:`.
/// Only valid during the call it was passed to.
public struct LuaArguments {
    unowned(unsafe) let state: LuaState
    /// Number of arguments passed by Lua.
    public let count: Int
    /// The registered path of the function being called (e.g. `"crm.create"`).
    public let functionName: String

    init(state: LuaState, count: Int, functionName: String) {
        self.state = state
        self.count = count
        self.functionName = functionName
    }

    private var L: OpaquePointer { state.L }

    /// The Lua type name of argument `index` (`"nil"` when absent).
    public func typeName(_ index: Int) -> String {
        index < count ? state.typeName(at: Int32(index + 1)) : "nil"
    }

    /// Whether argument `index` is absent or `nil`.
    public func isNil(_ index: Int) -> Bool {
        index >= count || lua_type(L, Int32(index + 1)) <= LUA_TNIL
    }

    /// Argument `index` converted to a `LuaValue` (`.nil` when absent).
    public func value(_ index: Int) throws(LuaError) -> LuaValue {
        guard index < count else { return .nil }
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        return try state.value(at: Int32(index + 1))
    }

    /// All arguments converted to `LuaValue`s.
    public func values() throws(LuaError) -> [LuaValue] {
        var result: [LuaValue] = []
        for index in 0..<count { result.append(try value(index)) }
        return result
    }

    /// Argument `index` as a string (numbers are formatted as Lua does).
    public func string(_ index: Int) throws(LuaError) -> String {
        guard index < count else { throw bad(index, "string") }
        switch lua_type(L, Int32(index + 1)) {
        case LUA_TSTRING: return state.string(at: Int32(index + 1))
        case LUA_TNUMBER:
            if case .integer(let i) = try value(index) { return String(i) }
            lua_pushvalue(L, Int32(index + 1))
            defer { lua_settop(L, -2) }
            return state.string(at: -1)
        default: throw bad(index, "string")
        }
    }

    /// Argument `index` as a string, or `nil` when absent or `nil`.
    public func optionalString(_ index: Int) throws(LuaError) -> String? {
        isNil(index) ? nil : try string(index)
    }

    /// Argument `index` as an integer (floats with an exact integer value are accepted).
    public func integer(_ index: Int) throws(LuaError) -> Int64 {
        guard let i = try value(index).integerValue else { throw bad(index, "integer") }
        return i
    }

    /// Argument `index` as a number.
    public func number(_ index: Int) throws(LuaError) -> Double {
        guard let d = try value(index).numberValue else { throw bad(index, "number") }
        return d
    }

    /// Argument `index` by Lua truthiness (absent means `false`).
    public func boolean(_ index: Int) -> Bool {
        index < count && lua_toboolean(L, Int32(index + 1)) != 0
    }

    /// Argument `index` as a table snapshot.
    public func table(_ index: Int) throws(LuaError) -> LuaTable {
        guard case .table(let t) = try value(index) else { throw bad(index, "table") }
        return t
    }

    /// Argument `index` as a function handle that can be stored and called later.
    public func function(_ index: Int) throws(LuaError) -> LuaFunctionRef {
        guard index < count, lua_type(L, Int32(index + 1)) == LUA_TFUNCTION else { throw bad(index, "function") }
        return state.makeRef(at: Int32(index + 1))
    }

    private func bad(_ index: Int, _ expected: String) -> LuaError {
        .script("bad argument #\(index + 1) to '\(functionName)' (\(expected) expected, got \(typeName(index)))")
    }
}
