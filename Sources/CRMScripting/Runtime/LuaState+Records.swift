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

/// The fields of a record handed to a record hook, read one at a time as the hook asks for them.
public protocol LuaRecordSource {
    /// The value of `field`, or `nil` when the record has none.
    func luaValue(of field: String) -> LuaValue?
    /// Every field that has a value: what `pairs(record)` visits.
    var luaFieldNames: [String] { get }
}

/// A record given as name–value pairs (a later pair of the same name wins; `.nil` is no value).
public struct LuaRecordPairs: LuaRecordSource {
    /// The pairs, in the order `pairs(record)` fetches them.
    public var pairs: [(String, LuaValue)]

    /// A record of `pairs`.
    public init(_ pairs: [(String, LuaValue)]) { self.pairs = pairs }

    public func luaValue(of field: String) -> LuaValue? {
        guard let value = pairs.last(where: { $0.0 == field })?.1 else { return nil }
        if case .nil = value { return nil }
        return value
    }

    public var luaFieldNames: [String] {
        var names: [String] = []
        for (name, _) in pairs where !names.contains(name) && luaValue(of: name) != nil { names.append(name) }
        return names
    }
}

/// One running record hook call: its table (by address), its fields, and each field the hook
/// has read or written so far with the record's value of it (nil: the record has none), taken
/// once when the field was first touched. Every string key the table holds got there through a
/// touch (a read, a write, `rawset`, `pairs`), so these are all the fields that can have changed.
///
/// Frames are kept for reuse (`LuaState.recordFrames` above `recordDepth`): a call fills a free
/// one, and returning empties it, keeping the touched list's storage.
struct LuaRecordFrame {
    var table: UnsafeRawPointer
    var source: any LuaRecordSource
    var touched: [(key: String, original: LuaValue?)] = []

    /// Lets go of the call's record (so the kernel's values are not shared when it changes
    /// them next) and empties the touched list, keeping its storage for the next call.
    mutating func release() {
        source = LuaRecordPairs([])
        touched.removeAll(keepingCapacity: true)
    }

    func isTouched(_ key: String) -> Bool { touched.contains { $0.key == key } }

    /// Notes `key` as touched; returns the record's value of it.
    mutating func touch(_ key: String) -> LuaValue? {
        let original = source.luaValue(of: key)
        touched.append((key, original))
        return original
    }
}

/// Fast path for per-record hooks such as `customer.before_save`.
///
/// The hook's argument is a *lazy record*: an ordinary Lua table that starts empty and fetches a
/// field from Swift the first time the hook reads it (the table then keeps it). Writes go into
/// the table. `pairs(record)` fetches every field first, and so does passing the record to a
/// Swift function (`crm.*`). Only `next(record)` and `rawget` see just the fields read or written
/// so far. The record belongs to its call: reading it after the hook returned is an error. Its
/// metatable is protected. A hook that reads one field of a twenty-field record converts one
/// value instead of twenty, and reading its changes back looks only at what it touched.
extension LuaState {
    /// Calls `function(record)` with `record` as a lazy record table. The hook may modify the
    /// table in place and return nothing/`true`, return a replacement table, or reject with
    /// `return false, "reason"` / `return nil, "reason"`. Only string keys are read back, and
    /// only where they differ from the input. Any other return value is an error.
    public func call(_ function: LuaFunctionRef, record: some LuaRecordSource) throws(LuaError) -> LuaRecordOutcome {
        try checkUsable()
        try checkOwnership(function)
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        guard lua_checkstack(L, 12) != 0 else { throw .invalidOperation(message: "Lua stack overflow before a record hook") }
        if crm_host_fits(ctl, 256) != 0 { crm_push_record(L, 4) } else { lua_pushnil(L) }
        try checkHostPushes(top)
        let table = top + 1
        let frame = recordDepth, pointer = lua_topointer(L, table)!
        if frame < recordFrames.count {
            recordFrames[frame].table = pointer
            recordFrames[frame].source = record
        } else {
            recordFrames.append(LuaRecordFrame(table: pointer, source: record))
        }
        recordDepth += 1
        defer {
            recordDepth -= 1
            recordFrames[frame].release()
        }
        crm_push_ref(L, function.reference)
        lua_pushvalue(L, table)
        let status = crm_call(L, 1, 2)
        if status != Int32(CRM_OK) { throw failure(status, chunk: nil) }
        let first = top + 2, second = top + 3
        switch lua_type(L, first) {
        case LUA_TTABLE where lua_rawequal(L, first, table) != 0:
            return .changed(try changes(of: recordFrames[frame], in: table))
        case LUA_TTABLE:
            return .changed(try changes(from: record, toReplacement: first))
        case LUA_TBOOLEAN where lua_toboolean(L, first) == 0:
            return .rejected(reason: lua_type(L, second) == LUA_TSTRING ? string(at: second) : nil)
        case LUA_TNIL where lua_type(L, second) == LUA_TSTRING:
            return .rejected(reason: string(at: second))
        case LUA_TNIL, LUA_TBOOLEAN:
            return .changed(try changes(of: recordFrames[frame], in: table))
        default:
            throw .script("record hook returned a \(typeName(at: first)); expected nothing, true, a table, or false plus a reason")
        }
    }

    /// `call(_:record:)` with the record given as name–value pairs.
    public func call(_ function: LuaFunctionRef, record: [(String, LuaValue)]) throws(LuaError) -> LuaRecordOutcome {
        try call(function, record: LuaRecordPairs(record))
    }

    /// A lazy record's field access from C (`crm_records.h`): the table is at 1, the key at 2.
    /// Returns the number of values pushed, or -1 / -3 with a message pushed (as `dispatch`).
    func recordAccess(_ thread: OpaquePointer, _ operation: Int32) -> Int32 {
        guard thread == L, let frame = recordFrame(of: 1) else {
            pushMessage("this record belongs to a hook call that has returned; copy the fields you need while the hook runs")
            return -1
        }
        switch operation {
        case Int32(CRM_RECORD_INDEX):
            guard lua_type(L, 2) == LUA_TSTRING else { return 0 }
            let key = string(at: 2)
            guard !recordFrames[frame].isTouched(key) else { return 0 }  // read or written before, now removed
            guard let value = recordFrames[frame].touch(key) else { return 0 }
            push(value)
            return ctl.pointee.host_refused != 0 ? refusedRecordPush() : 1
        case Int32(CRM_RECORD_NEWINDEX):
            guard lua_type(L, 2) == LUA_TSTRING else { return 0 }
            let key = string(at: 2)
            if !recordFrames[frame].isTouched(key) { _ = recordFrames[frame].touch(key) }
            return 0
        default:
            fetchAllFields(frame, into: 1)
            return ctl.pointee.host_refused != 0 ? refusedRecordPush() : 0
        }
    }

    /// Stores every field of a lazy record at `index` that it does not hold yet, so raw
    /// iteration (`lua_next`) sees the whole record. Other tables are left alone.
    func fetchAllFieldsIfRecord(at index: Int32) {
        guard crm_is_record(L, index) != 0, let frame = recordFrame(of: index) else { return }
        fetchAllFields(frame, into: lua_absindex(L, index))
    }

    /// The running call whose record table is at `index`, innermost first.
    private func recordFrame(of index: Int32) -> Int? {
        guard let pointer = lua_topointer(L, index) else { return nil }
        return recordFrames[..<recordDepth].lastIndex { $0.table == pointer }
    }

    private func fetchAllFields(_ frame: Int, into table: Int32) {
        guard lua_checkstack(L, 4) != 0 else { return }
        for key in recordFrames[frame].source.luaFieldNames where !recordFrames[frame].isTouched(key) {
            guard let value = recordFrames[frame].touch(key) else { continue }
            pushString(key)
            push(value)
            lua_rawset(L, table)
        }
    }

    private func refusedRecordPush() -> Int32 {
        lua_settop(L, 2)
        pushMessage("not enough memory: the record's fields do not fit in the script memory limit (\(limits.memoryLimit) bytes)")
        return -3
    }

    /// What the hook changed in its own record table: each touched field whose value in the
    /// table differs from the record's (bytes for strings, so nothing is converted when it is
    /// equal), a field no longer there reading as removed.
    private func changes(of frame: LuaRecordFrame, in table: Int32) throws(LuaError) -> [(String, LuaValue)] {
        var out: [(String, LuaValue)] = []
        for (key, original) in frame.touched {
            pushString(key)
            let type = lua_rawget(L, table)
            let changed = original.map { !equals($0, at: -1, type: type) } ?? (type != LUA_TNIL)
            if changed { out.append((key, try value(at: -1, depth: 1))) }
            lua_settop(L, -2)
        }
        return out
    }

    /// What a replacement table changes: every field of the record it lacks or holds
    /// differently, and every field it adds.
    private func changes(from record: some LuaRecordSource, toReplacement table: Int32) throws(LuaError) -> [(String, LuaValue)] {
        fetchAllFieldsIfRecord(at: table)
        var out: [(String, LuaValue)] = []
        for key in record.luaFieldNames {
            guard let original = record.luaValue(of: key) else { continue }
            pushString(key)
            let type = lua_rawget(L, table)
            if !equals(original, at: -1, type: type) { out.append((key, try value(at: -1, depth: 1))) }
            lua_settop(L, -2)
        }
        lua_pushnil(L)
        while lua_next(L, table) != 0 {
            if lua_type(L, -2) == LUA_TSTRING {
                let key = string(at: -2)
                if record.luaValue(of: key) == nil { out.append((key, try value(at: -1, depth: 1))) }
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
        case .table(let table):
            guard type == LUA_TTABLE else { return false }
            return equals(table, at: index)
        case .function:
            return (try? self.value(at: index, depth: 1)) == value
        }
    }

    /// Whether the Lua table at `index` equals `table`. A sequence without holes (a tag list) is
    /// compared element by element in place, so an unchanged list builds no `LuaTable`; any
    /// other shape is converted and compared.
    private func equals(_ table: LuaTable, at index: Int32) -> Bool {
        let isSequence = table.fields.isEmpty && table.otherEntries.isEmpty && !table.array.contains(.nil)
        guard isSequence, lua_checkstack(L, 3) != 0 else { return (try? self.value(at: index, depth: 1)) == .table(table) }
        let position = lua_absindex(L, index)
        guard Int(lua_rawlen(L, position)) == table.array.count else { return false }
        for (offset, element) in table.array.enumerated() {
            let type = lua_rawgeti(L, position, lua_Integer(offset + 1))
            let same = equals(element, at: -1, type: type)
            lua_settop(L, -2)
            if !same { return false }
        }
        var entries = 0
        lua_pushnil(L)
        while lua_next(L, position) != 0 {
            entries += 1
            lua_settop(L, -2)
        }
        return entries == table.array.count
    }
}
