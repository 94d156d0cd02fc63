import CLua
import Foundation

/// The result of a record hook called with `LuaState.call(_:record:)`.
public enum LuaRecordOutcome: Sendable {
    /// The hook accepted the record. `changes` holds only the fields it set, changed or removed
    /// (a removed field reads as `.nil`), so an unchanged record costs no conversions back.
    case changed([(String, LuaValue)])
    /// The hook returned `false[, reason]` or `nil, reason`.
    case rejected(reason: String?)
}

/// Fast path for per-record hooks such as `customer.before_save`.
extension LuaState {
    /// Calls `function(record)` where `record` is pushed directly as a Lua table
    /// (no intermediate `LuaTable`).  The hook may modify the table in place and
    /// return nothing/`true`, return a replacement table, or reject with
    /// `return false, "reason"` / `return nil, "reason"`.  Only string keys are
    /// read back, and only where they differ from the input.  Any other return value is an error.
    public func call(_ function: LuaFunctionRef, record: [(String, LuaValue)]) throws(LuaError) -> LuaRecordOutcome {
        try checkUsable()
        try checkOwnership(function)
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        lua_checkstack(L, 12)
        if crm_host_fits(ctl, record.count * 40 + 64) != 0 { lua_createtable(L, 0, Int32(clamping: record.count)) } else { lua_pushnil(L) }
        if lua_type(L, -1) == LUA_TTABLE {
            for (key, value) in record {
                if case .nil = value { continue }
                pushString(key)
                push(value)
                lua_rawset(L, -3)
            }
        }
        try checkHostPushes(top)
        crm_push_ref(L, function.reference)
        lua_pushvalue(L, -2)
        let status = crm_call(L, 1, 2)
        if status != Int32(CRM_OK) { throw failure(status, chunk: nil) }
        let table = top + 1, first = top + 2, second = top + 3
        switch lua_type(L, first) {
        case LUA_TTABLE:
            return .changed(try changes(in: first, from: record))
        case LUA_TBOOLEAN where lua_toboolean(L, first) == 0:
            return .rejected(reason: lua_type(L, second) == LUA_TSTRING ? string(at: second) : nil)
        case LUA_TNIL where lua_type(L, second) == LUA_TSTRING:
            return .rejected(reason: string(at: second))
        case LUA_TNIL, LUA_TBOOLEAN:
            return .changed(try changes(in: table, from: record))
        default:
            throw .script("record hook returned a \(typeName(at: first)); expected nothing, true, a table, or false plus a reason")
        }
    }

    /// The fields of the table at `table` that differ from `record`: each input field is looked
    /// up and compared in place (bytes for strings, so nothing is converted when it is equal);
    /// the table's keys are then counted, and only when there are more than the input left does
    /// a full scan look for added fields.
    private func changes(in table: Int32, from record: [(String, LuaValue)]) throws(LuaError) -> [(String, LuaValue)] {
        var out: [(String, LuaValue)] = []
        var remaining = 0
        for (key, original) in record {
            if case .nil = original { continue }
            pushString(key)
            let type = lua_rawget(L, table)
            if type != LUA_TNIL { remaining += 1 }
            if !equals(original, at: -1, type: type) { out.append((key, try value(at: -1, depth: 1))) }
            lua_settop(L, -2)
        }
        var count = 0
        lua_pushnil(L)
        while lua_next(L, table) != 0 {
            count += 1
            lua_settop(L, -2)
        }
        guard count > remaining else { return out }
        var known = Set<String>()
        for (key, original) in record {
            if case .nil = original { continue }
            known.insert(key)
        }
        lua_pushnil(L)
        while lua_next(L, table) != 0 {
            if lua_type(L, -2) == LUA_TSTRING {
                let key = string(at: -2)
                if !known.contains(key) { out.append((key, try value(at: -1, depth: 1))) }
            }
            lua_settop(L, -2)
        }
        return out
    }

    /// Whether the Lua value at `index` (of Lua type `type`) equals `value`, without converting it.
    private func equals(_ value: LuaValue, at index: Int32, type: Int32) -> Bool {
        switch value {
        case .string(let s):
            guard type == LUA_TSTRING else { return false }
            var length = 0
            guard let bytes = lua_tolstring(L, index, &length) else { return false }
            var text = s
            // memcmp: a generic byte-by-byte `elementsEqual` was about 500 instructions a field.
            return text.withUTF8 { utf8 in
                utf8.count == length && (length == 0 || memcmp(utf8.baseAddress!, bytes, length) == 0)
            }
        case .integer(let i):
            return type == LUA_TNUMBER && lua_isinteger(L, index) != 0 && lua_tointegerx(L, index, nil) == i
        case .number(let d):
            return type == LUA_TNUMBER && lua_isinteger(L, index) == 0 && lua_tonumberx(L, index, nil) == d
        case .boolean(let b):
            return type == LUA_TBOOLEAN && (lua_toboolean(L, index) != 0) == b
        case .nil:
            return type == LUA_TNIL
        case .table, .function:
            return (try? self.value(at: index, depth: 1)) == value
        }
    }
}
