import CLua

/// The result of a record hook called with `LuaState.call(_:record:)`.
public enum LuaRecordOutcome: Sendable {
    /// The hook accepted the record; these are its string-keyed fields after the
    /// hook ran (in Lua's iteration order, not the input order).
    case record([(String, LuaValue)])
    /// The hook returned `false[, reason]` or `nil, reason`.
    case rejected(reason: String?)
}

/// Fast path for per-record hooks such as `customer.before_save`.
extension LuaState {
    /// Calls `function(record)` where `record` is pushed directly as a Lua table
    /// (no intermediate `LuaTable`).  The hook may modify the table in place and
    /// return nothing/`true`, return a replacement table, or reject with
    /// `return false, "reason"` / `return nil, "reason"`.  Only string keys are
    /// read back; `.nil` fields are omitted.  Any other return value is an error.
    public func call(_ function: LuaFunctionRef, record: [(String, LuaValue)]) throws(LuaError) -> LuaRecordOutcome {
        try checkUsable()
        try checkOwnership(function)
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        lua_checkstack(L, 12)
        lua_createtable(L, 0, Int32(clamping: record.count))
        for (key, value) in record {
            if case .nil = value { continue }
            pushString(key)
            push(value)
            lua_rawset(L, -3)
        }
        crm_push_ref(L, function.reference)
        lua_pushvalue(L, -2)
        let status = crm_call(L, 1, 2)
        if status != Int32(CRM_OK) { throw failure(status, chunk: nil) }
        let table = top + 1, first = top + 2, second = top + 3
        switch lua_type(L, first) {
        case LUA_TTABLE:
            return .record(try readRecord(at: first))
        case LUA_TBOOLEAN where lua_toboolean(L, first) == 0:
            return .rejected(reason: lua_type(L, second) == LUA_TSTRING ? string(at: second) : nil)
        case LUA_TNIL where lua_type(L, second) == LUA_TSTRING:
            return .rejected(reason: string(at: second))
        case LUA_TNIL, LUA_TBOOLEAN:
            return .record(try readRecord(at: table))
        default:
            throw .script("record hook returned a \(typeName(at: first)); expected nothing, true, a table, or false plus a reason")
        }
    }

    private func readRecord(at table: Int32) throws(LuaError) -> [(String, LuaValue)] {
        var fields: [(String, LuaValue)] = []
        fields.reserveCapacity(16)
        lua_pushnil(L)
        while lua_next(L, table) != 0 {
            if lua_type(L, -2) == LUA_TSTRING {
                fields.append((string(at: -2), try value(at: -1, depth: 1)))
            }
            lua_settop(L, -2)
        }
        return fields
    }
}
