import Foundation
import GRDB

/// Converts field values to and from their SQLite representation.
enum ValueCodec {
    /// The stored form of a (validated) value of `field`.
    static func encode(_ value: Value, _ field: FieldDefinition) -> DatabaseValue {
        encode(value, scale: field.scale)
    }

    /// `encode(_:_:)` for a field of decimal scale `scale` (the only part of the field it reads).
    static func encode(_ value: Value, scale: Int) -> DatabaseValue {
        switch value {
        case .null: return .null
        case .text(let s): return s.databaseValue
        case .integer(let i): return i.databaseValue
        case .bool(let b): return (b ? 1 : 0).databaseValue
        case .decimal(let d): return scaled(d, scale).databaseValue
        case .datetime(let d): return DateCoding.iso(d).databaseValue
        case .list(let l): return JSONList.encode(l).databaseValue
        case .real(let r): return r.databaseValue
        }
    }

    /// The value of `field` read from its stored form.
    static func decode(_ dbValue: DatabaseValue, _ field: FieldDefinition) -> Value {
        decode(dbValue, type: field.type, scale: field.scale)
    }

    /// The value of a field of `type` (and decimal `scale`) read from its stored form, for loops
    /// that would otherwise copy the whole field definition per row.
    static func decode(_ dbValue: DatabaseValue, type: FieldType, scale: Int) -> Value {
        switch dbValue.storage {
        case .null: return .null
        case .int64(let i):
            switch type {
            case .boolean: return .bool(i != 0)
            case .decimal, .money: return .decimal(unscaled(i, scale))
            default: return .integer(i)
            }
        case .string(let s):
            switch type {
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
        if let (digits, exponent) = d.integerParts, let value = MoneyText.fen(digits, exponent: exponent + scale) { return value }
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
    static func encode(_ list: [String]) -> String { JSONText.value(.list(list)) }

    static func decode(_ text: String) -> [String] {
        guard let data = text.data(using: .utf8),
              let array = try? JSONSerialization.jsonObject(with: data) as? [Any] else { return [] }
        return array.compactMap { $0 as? String }
    }
}

/// JSON text for audit and outbox payloads: `JSONBytes`, the kernel's one encoding of values,
/// as a `String`.
enum JSONText {
    static func quote(_ s: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count + 2)
        JSONBytes.appendString(s, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// JSON for a value as stored in audit and outbox payloads.
    static func value(_ v: Value) -> String {
        var bytes: [UInt8] = []
        JSONBytes.append(v, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// JSON object for name → value pairs, keys sorted for stable output.
    static func object(_ values: [String: Value]) -> String {
        "{" + values.keys.sorted().map { quote($0) + ":" + value(values[$0]!) }.joined(separator: ",") + "}"
    }
}
