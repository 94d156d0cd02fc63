import Foundation
import GRDB

/// Converts field values to and from their SQLite representation.
enum ValueCodec {
    /// The stored form of a (validated) value of `field`.
    static func encode(_ value: Value, _ field: FieldDefinition) -> DatabaseValue {
        switch value {
        case .null: return .null
        case .text(let s): return s.databaseValue
        case .integer(let i): return i.databaseValue
        case .bool(let b): return (b ? 1 : 0).databaseValue
        case .decimal(let d): return scaled(d, field.scale).databaseValue
        case .datetime(let d): return DateCoding.iso(d).databaseValue
        case .list(let l): return JSONList.encode(l).databaseValue
        case .real(let r): return r.databaseValue
        }
    }

    /// The value of `field` read from its stored form.
    static func decode(_ dbValue: DatabaseValue, _ field: FieldDefinition) -> Value {
        switch dbValue.storage {
        case .null: return .null
        case .int64(let i):
            switch field.type {
            case .boolean: return .bool(i != 0)
            case .decimal, .money: return .decimal(unscaled(i, field.scale))
            default: return .integer(i)
            }
        case .string(let s):
            switch field.type {
            case .datetime:
                // The store writes whole-second UTC instants: read those from their digits.
                var text = s
                if let instant = text.withUTF8(JSONBytes.canonicalInstant) { return .datetime(instant) }
                return DateCoding.parseInstant(s).map(Value.datetime) ?? .text(s)
            case .multiChoice, .tags: return .list(JSONList.decode(s))
            default: return .text(s)
            }
        case .double(let d): return .real(d)
        case .blob: return .null
        }
    }

    /// `d` × 10^scale as an integer (the value is validated to have at most `scale` digits).
    static func scaled(_ d: Decimal, _ scale: Int) -> Int64 {
        var v = d
        if scale > 0 { v *= pow(10, scale) }
        return NSDecimalNumber(decimal: v.rounded(scale: 0)).int64Value
    }

    /// The decimal for a stored scaled integer.
    static func unscaled(_ i: Int64, _ scale: Int) -> Decimal {
        Decimal(sign: i < 0 ? .minus : .plus, exponent: -scale, significand: Decimal(i.magnitude))
    }
}

/// A minimal, fast JSON encoding for lists of strings (tags, multiple choices).
enum JSONList {
    static func encode(_ list: [String]) -> String {
        var out = "["
        for (i, s) in list.enumerated() {
            if i > 0 { out += "," }
            out += JSONText.quote(s)
        }
        return out + "]"
    }

    static func decode(_ text: String) -> [String] {
        guard let data = text.data(using: .utf8),
              let array = try? JSONSerialization.jsonObject(with: data) as? [Any] else { return [] }
        return array.compactMap { $0 as? String }
    }
}

/// JSON string quoting without Foundation's encoder overhead.
enum JSONText {
    static func quote(_ s: String) -> String {
        var out = ""
        appendQuoted(s, to: &out)
        return out
    }

    /// Appends `s` as a JSON string to `out` (no temporary strings).
    static func appendQuoted(_ s: String, to out: inout String) {
        out.append("\"")
        // Most text needs no escaping: copy it whole.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(s)
            out.append("\"")
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            default:
                if scalar.value < 0x20 {
                    out.append(String(format: "\\u%04x", scalar.value))
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append("\"")
    }

    /// JSON for a value as stored in audit and outbox payloads.
    static func value(_ v: Value) -> String {
        var out = ""
        appendValue(v, to: &out)
        return out
    }

    /// Appends `value(v)` to `out`.
    static func appendValue(_ v: Value, to out: inout String) {
        switch v {
        case .null: out.append("null")
        case .text(let s): appendQuoted(s, to: &out)
        case .integer(let i): out.append(String(i))
        case .decimal(let d): appendQuoted(d.plainString, to: &out)
        case .bool(let b): out.append(b ? "true" : "false")
        case .datetime(let d): appendQuoted(DateCoding.iso(d), to: &out)
        case .list(let l): out.append(JSONList.encode(l))
        case .real(let r): out.append(r.isFinite ? String(r) : "null")
        }
    }

    /// JSON object for name → value pairs, keys sorted for stable output.
    static func object(_ values: [String: Value]) -> String {
        "{" + values.keys.sorted().map { quote($0) + ":" + value(values[$0]!) }.joined(separator: ",") + "}"
    }
}
