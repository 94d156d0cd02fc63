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

    /// Parses a request body strictly (see `JSONParser`: duplicate keys refused, numbers kept
    /// whole); malformed JSON is a 400 saying where it broke, by line and column.
    public static func parse(_ data: Data, what: String = "the request body") throws(APIError) -> JSONValue {
        do { return try JSONParser.parse(data) } catch {
            throw APIError(.badRequest, "malformed JSON in \(what): \(error.description)", type: "malformed-json")
        }
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
        let (values, edits) = try recordChanges()
        if let name = edits.keys.first {
            throw APIError(.badRequest, "field \(name): add/remove apply only to updates", fieldErrors: [FieldError(field: name, message: "expected a value, not an object")])
        }
        return values
    }

    /// The changes of an update: values, and add/remove edits of list fields given as
    /// `{"tags": {"add": ["x"], "remove": ["y"]}}` (applied by the kernel inside the write).
    public func recordChanges() throws(APIError) -> (values: [String: Value], listEdits: [String: ListEdit]) {
        var values: [String: Value] = [:]
        var edits: [String: ListEdit] = [:]
        for (k, v) in try object("the request body") where k != "id" {
            if case .object(let ops) = v {
                edits[k] = try Self.listEdit(k, ops)
            } else {
                values[k] = try v.fieldValue(k)
            }
        }
        return (values, edits)
    }

    private static func listEdit(_ field: String, _ ops: [String: JSONValue]) throws(APIError) -> ListEdit {
        func bad(_ m: String) -> APIError { APIError(.badRequest, "field \(field): \(m)", fieldErrors: [FieldError(field: field, message: m)]) }
        guard !ops.isEmpty, ops.keys.allSatisfy({ $0 == "add" || $0 == "remove" }) else {
            throw bad("an object value must be {\"add\": [...], \"remove\": [...]}")
        }
        func items(_ key: String) throws(APIError) -> [String] {
            guard let v = ops[key] else { return [] }
            guard case .array(let list) = v else { throw bad("\(key) needs an array of strings") }
            var out: [String] = []
            for item in list {
                guard case .string(let s) = item else { throw bad("\(key) needs an array of strings") }
                out.append(s)
            }
            return out
        }
        return ListEdit(add: try items("add"), remove: try items("remove"))
    }
}
