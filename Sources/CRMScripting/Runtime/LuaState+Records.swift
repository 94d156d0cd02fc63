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

/// The field names of the last record one record hook got, kept as Lua strings in a registry
/// table. While the next record has the same names in the same order (the kernel's records of one
/// entity do), each key is pushed by its position, an array read, instead of being hashed and
/// looked up in Lua's string table again, both to build the table and to read the changes back.
struct RecordShape {
    /// The names, in the record's order.
    var keys: [String]
    /// Registry reference of the Lua array holding `keys` as strings.
    var reference: Int32
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
        // top + 1: the record's keys as Lua strings (or nil when they could not be kept).
        let shaped = pushRecordKeys(record, for: function.reference)
        let keys = top + 1
        if crm_host_fits(ctl, record.count * 40 + 64) != 0 { lua_createtable(L, 0, Int32(clamping: record.count)) } else { lua_pushnil(L) }
        if lua_type(L, -1) == LUA_TTABLE {
            for (position, (key, value)) in record.enumerated() {
                if case .nil = value { continue }
                pushKey(key, position, keys: shaped ? keys : 0)
                push(value)
                lua_rawset(L, -3)
            }
        }
        try checkHostPushes(top)
        crm_push_ref(L, function.reference)
        lua_pushvalue(L, -2)
        let status = crm_call(L, 1, 2)
        if status != Int32(CRM_OK) { throw failure(status, chunk: nil) }
        let table = top + 2, first = top + 3, second = top + 4
        switch lua_type(L, first) {
        case LUA_TTABLE:
            return .changed(try changes(in: first, from: record, keys: shaped ? keys : 0))
        case LUA_TBOOLEAN where lua_toboolean(L, first) == 0:
            return .rejected(reason: lua_type(L, second) == LUA_TSTRING ? string(at: second) : nil)
        case LUA_TNIL where lua_type(L, second) == LUA_TSTRING:
            return .rejected(reason: string(at: second))
        case LUA_TNIL, LUA_TBOOLEAN:
            return .changed(try changes(in: table, from: record, keys: shaped ? keys : 0))
        default:
            throw .script("record hook returned a \(typeName(at: first)); expected nothing, true, a table, or false plus a reason")
        }
    }

    /// Pushes the Lua array of `record`'s keys kept for `hook`, first replacing it when the
    /// record's names differ from the last record's. Returns false (and pushes nil) when a new
    /// array would not fit under the memory cap; keys are then pushed as new strings.
    private func pushRecordKeys(_ record: [(String, LuaValue)], for hook: Int32) -> Bool {
        if let shape = recordShapes[hook], shape.keys.count == record.count,
           zip(shape.keys, record).allSatisfy({ $0 == $1.0 }) {
            lua_rawgeti(L, crm_registry_index(), lua_Integer(shape.reference))
            return true
        }
        var bytes = 64 + record.count * 40
        for (key, _) in record { bytes += key.utf8.count + 40 }
        // Checked without `crm_host_fits`, which would fail the call: without room the keys are
        // simply not kept.
        guard ctl.pointee.mem_used <= ctl.pointee.mem_limit, bytes <= ctl.pointee.mem_limit - ctl.pointee.mem_used else {
            forgetRecordShape(of: hook)
            lua_pushnil(L)
            return false
        }
        lua_createtable(L, Int32(clamping: record.count), 0)
        for (position, (key, _)) in record.enumerated() {
            pushString(key)
            lua_rawseti(L, -2, lua_Integer(position + 1))
        }
        lua_pushvalue(L, -1)
        if let old = recordShapes[hook]?.reference {
            lua_rawseti(L, crm_registry_index(), lua_Integer(old))
            recordShapes[hook]?.keys = record.map(\.0)
        } else {
            recordShapes[hook] = RecordShape(keys: record.map(\.0), reference: luaL_ref(L, crm_registry_index()))
        }
        return true
    }

    /// Drops the keys kept for `hook` (its function reference is being released).
    func forgetRecordShape(of hook: Int32) {
        guard let shape = recordShapes.removeValue(forKey: hook) else { return }
        luaL_unref(L, crm_registry_index(), shape.reference)
    }

    /// Pushes `key`, the record's field at `position`: from the kept array at `keys`, or as a new
    /// string when `keys` is 0.
    @inline(__always)
    private func pushKey(_ key: String, _ position: Int, keys: Int32) {
        if keys != 0 { lua_rawgeti(L, keys, lua_Integer(position + 1)) } else { pushString(key) }
    }

    /// The fields of the table at `table` that differ from `record`: each input field is looked
    /// up and compared in place (bytes for strings, so nothing is converted when it is equal);
    /// the table's keys are then counted, and only when there are more than the input left does
    /// a full scan look for added fields.
    private func changes(in table: Int32, from record: [(String, LuaValue)], keys: Int32) throws(LuaError) -> [(String, LuaValue)] {
        var out: [(String, LuaValue)] = []
        var remaining = 0
        for (position, (key, original)) in record.enumerated() {
            if case .nil = original { continue }
            pushKey(key, position, keys: keys)
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
