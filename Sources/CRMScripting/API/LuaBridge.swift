import CRMKernel
import Foundation

/// Conversions between kernel values and Lua values.
///
/// Money and decimals reach Lua as integers when whole and as exact decimal strings (`"12.34"`)
/// otherwise — never as a binary float (before 2026-12 they were Lua floats when not whole); they
/// come back rounded to the field's scale by the kernel, from an integer, a decimal string or a
/// number. `crm.money.fen` / `crm.money.yuan` convert to and from integer fen for arithmetic; datetimes are ISO-8601 UTC strings (`2026-11-22T08:30:00Z`), which
/// compare correctly as strings; tags and multiple choices are arrays of strings.
enum LuaBridge {
    static func lua(_ value: Value) -> LuaValue {
        switch value {
        case .null: return .nil
        case .text(let s): return .string(s)
        case .integer(let i): return .integer(i)
        case .bool(let b): return .boolean(b)
        case .real(let r): return .number(r)
        case .datetime(let d): return .string(DateCoding.iso(d))  // integer arithmetic, no format style
        case .list(let l): return .table(LuaTable(array: l.map(LuaValue.string)))
        case .decimal(let d):
            if d == d.rounded(scale: 0), let i = Int64(exactly: NSDecimalNumber(decimal: d).int64Value), Decimal(i) == d { return .integer(i) }
            return .string(d.plainString)
        }
    }

    /// A kernel value from a Lua value; tables must be arrays of strings (lists).
    static func value(_ lua: LuaValue, field: String) throws(LuaError) -> Value {
        switch lua {
        case .nil: return .null
        case .boolean(let b): return .bool(b)
        case .integer(let i): return .integer(i)
        case .number(let n): return n == n.rounded() && abs(n) < 9e15 ? .integer(Int64(n)) : .real(n)
        case .string(let s): return .text(s)
        case .table(let t):
            var list: [String] = []
            for item in t.array {
                switch item {
                case .string(let s): list.append(s)
                case .integer(let i): list.append(String(i))
                default: throw .script("field '\(field)': a list may hold only strings")
                }
            }
            guard t.fields.isEmpty else { throw .script("field '\(field)': expected a value or a list, got a table with keys") }
            return .list(list)
        case .function: throw .script("field '\(field)': a function is not a field value")
        }
    }

    /// A record as a Lua table keyed by field name, with `id`.
    static func table(_ record: Record) -> LuaValue {
        var fields: [String: LuaValue] = [:]
        for (k, v) in record.values { fields[k] = lua(v) }
        fields["id"] = .integer(record.id)
        return .table(LuaTable(fields: fields))
    }

    /// Field values from a Lua table of `field = value`.
    static func values(_ table: LuaTable) throws(LuaError) -> [String: Value] {
        var out: [String: Value] = [:]
        for (k, v) in table.fields { out[k] = try value(v, field: k) }
        guard table.array.isEmpty, table.otherEntries.isEmpty else {
            throw .script("expected a table of field = value pairs")
        }
        return out
    }

    /// A record being saved, as a record hook reads it (`LuaState.call(_:record:)`): each field
    /// is converted only when the hook asks for it. Empty fields are absent; `id` is the
    /// record's id on update.
    struct SavedFields: LuaRecordSource {
        var values: [String: Value]
        var id: Int64?

        func luaValue(of field: String) -> LuaValue? {
            if field == "id", let id { return .integer(id) }
            guard let value = values[field] else { return nil }
            let lua = LuaBridge.lua(value)
            if case .nil = lua { return nil }
            return lua
        }

        var luaFieldNames: [String] {
            var names = values.compactMap { $0.value == .null ? nil : $0.key }
            if id != nil, values["id"] == nil { names.append("id") }
            return names
        }
    }
}
