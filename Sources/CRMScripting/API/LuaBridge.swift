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
        case .datetime(let d): return .string(isoText(d))
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

    /// Values as the fast hook path wants them, appended to `out` (emptied first, its storage
    /// kept, so a hook runner can reuse one array for every record).
    static func pairs(_ values: [String: Value], id: Int64?, into out: inout [(String, LuaValue)]) {
        out.removeAll(keepingCapacity: true)
        out.reserveCapacity(values.count + 1)
        for (k, v) in values { out.append((k, lua(v))) }
        if let id { out.append(("id", .integer(id))) }
    }

    /// `DateCoding.iso(date)` (`2026-11-22T08:30:00Z`, whole seconds, UTC), written from the
    /// date's seconds with integer arithmetic instead of Foundation's format style, since every
    /// record a hook gets has at least two datetimes. Dates outside years 1600...9999 (and NaN)
    /// are left to Foundation.
    static func isoText(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        // 1 Jan 1600 ... 31 Dec 9999, as seconds from 1970 (Foundation writes dates before the
        // Gregorian reform of 1582 in the Julian calendar).
        guard interval >= -11_676_096_000, interval < 253_402_300_800 else { return DateCoding.iso(date) }
        let seconds = Int(interval.rounded(.down))
        let (days, second) = seconds.quotientAndRemainder(dividingBy: 86_400)
        let (day, inDay) = second < 0 ? (days - 1, second + 86_400) : (days, second)
        let date = CivilDate(ordinal: day)
        let time = (hour: inDay / 3600, minute: inDay / 60 % 60, second: inDay % 60)
        return String(unsafeUninitializedCapacity: 20) { buffer in
            func put(_ value: Int, _ width: Int, at offset: Int) {
                var value = value
                for i in stride(from: offset + width - 1, through: offset, by: -1) {
                    buffer[i] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            put(date.year, 4, at: 0)
            buffer[4] = UInt8(ascii: "-")
            put(date.month, 2, at: 5)
            buffer[7] = UInt8(ascii: "-")
            put(date.day, 2, at: 8)
            buffer[10] = UInt8(ascii: "T")
            put(time.hour, 2, at: 11)
            buffer[13] = UInt8(ascii: ":")
            put(time.minute, 2, at: 14)
            buffer[16] = UInt8(ascii: ":")
            put(time.second, 2, at: 17)
            buffer[19] = UInt8(ascii: "Z")
            return 20
        }
    }
}
