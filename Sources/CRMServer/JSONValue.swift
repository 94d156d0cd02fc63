import CRMKernel
import Foundation

/// A JSON document as the API reads it: numbers keep their digits (money is never a Double).
public indirect enum JSONValue: Sendable, Hashable, Decodable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Decimal)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .integer(i) }
        else if let d = try? c.decode(Decimal.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    /// Parses a request body; malformed JSON is a 400 naming where it broke.
    public static func parse(_ data: Data) throws(APIError) -> JSONValue {
        do { return try JSONDecoder().decode(JSONValue.self, from: data) } catch {
            throw APIError(.badRequest, "malformed JSON: \(Self.describe(error))", type: "malformed-json")
        }
    }

    private static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let ctx) = error {
            return (ctx.underlyingError.map { "\($0)" } ?? ctx.debugDescription)
        }
        return "\(error)"
    }

    /// The object's fields, or a 400.
    public func object(_ what: String) throws(APIError) -> [String: JSONValue] {
        guard case .object(let o) = self else { throw APIError(.badRequest, "\(what) must be a JSON object") }
        return o
    }

    /// As the value scripts and plugin functions take (objects become tables).
    public var scriptValue: ScriptValue {
        switch self {
        case .null: return .null
        case .bool(let b): return .value(.bool(b))
        case .integer(let i): return .value(.integer(i))
        case .number(let d): return .value(.decimal(d))
        case .string(let s): return .value(.text(s))
        case .array(let a): return .list(a.map(\.scriptValue))
        case .object(let o): return .table(o.mapValues(\.scriptValue))
        }
    }

    /// As a field value for `field`; objects (and arrays of non-strings) are refused.
    public func fieldValue(_ field: String) throws(APIError) -> Value {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .integer(let i): return .integer(i)
        case .number(let d): return .decimal(d)
        case .string(let s): return .text(s)
        case .array(let items):
            var list: [String] = []
            for item in items {
                switch item {
                case .string(let s): list.append(s)
                case .integer(let i): list.append(String(i))
                default: throw APIError(.badRequest, "field \(field): a list may hold only strings", fieldErrors: [FieldError(field: field, message: "expected a list of strings")])
                }
            }
            return .list(list)
        case .object:
            throw APIError(.badRequest, "field \(field): an object is not a field value", fieldErrors: [FieldError(field: field, message: "expected a value, not an object")])
        }
    }

    /// The record values of a JSON object (an `id` key is left out).
    public func recordValues() throws(APIError) -> [String: Value] {
        var values: [String: Value] = [:]
        for (k, v) in try object("the request body") where k != "id" { values[k] = try v.fieldValue(k) }
        return values
    }
}
