import CRMKernel
import Foundation
import Hummingbird

/// The query string of a list request, read into a kernel `Query`:
///
/// - `q=`: full-text search; `sort=-created_at,name`; `limit=50`; `after=<next_cursor>`;
///   `total=true` adds the count of all matches;
/// - `field=value` (equals), `field[op]=value` with the kernel's operators (`in` and `not_in`
///   take comma-separated values), all of which must hold;
/// - `filter=<JSON>` in the form scripts use with `crm.find`, for OR and NOT:
///   `{"_or":[{"city":"深圳"},{"grade":"A"}]}`.
///
/// Fields hidden from the caller are unknown here, so a filter cannot probe them.
struct ListQuery {
    var query: Query
    var withTotal: Bool

    static let reserved: Set<String> = ["q", "sort", "limit", "after", "filter", "total"]

    static func parse(_ params: Parameters, entity: EntitySchema, hidden: Set<String>, maxLimit: Int) throws -> ListQuery {
        var conditions: [Filter] = []
        var query = Query(entity.name, limit: 50)
        var withTotal = false
        func known(_ field: String) throws {
            guard field == "id" || (entity.fieldsByName[field] != nil && !hidden.contains(field)) else {
                throw APIError(.badRequest, "\(entity.name) has no field '\(field)'", type: "validation",
                               fieldErrors: [FieldError(field: field, message: "unknown field")])
            }
        }
        for (rawKey, rawValue) in params {
            let key = String(rawKey).removingPercentEncoding ?? String(rawKey), value = String(rawValue)
            switch key {
            case "q": query.search = value.isEmpty ? nil : value
            case "sort":
                query.sort = value.split(separator: ",").map { SortKey(parsing: String($0)) }
                for s in query.sort { try known(s.field) }
            case "limit":
                guard let n = Int(value), n > 0, n <= maxLimit else {
                    throw APIError(.badRequest, "limit must be a whole number from 1 to \(maxLimit)", fieldErrors: [FieldError(field: "limit", message: "expected 1 to \(maxLimit)")])
                }
                query.limit = n
            case "after": query.after = value
            case "total":
                switch value {
                case "true", "1": withTotal = true
                case "false", "0": withTotal = false
                default: throw APIError(.badRequest, "total must be true or false", fieldErrors: [FieldError(field: "total", message: "expected true or false")])
                }
            case "filter":
                let json = try JSONValue.parse(Data(value.utf8), what: "filter")
                if let f = try Filter(script: json.scriptValue) {
                    for field in f.fieldNames { try known(field) }
                    conditions.append(f)
                }
            default:
                var field = key, op = FilterOperator.eq
                if let open = key.firstIndex(of: "["), key.hasSuffix("]") {
                    field = String(key[..<open])
                    let name = String(key[key.index(after: open)..<key.index(before: key.endIndex)])
                    guard let parsed = FilterOperator(rawValue: name) else {
                        throw APIError(.badRequest, "unknown filter operator '\(name)' (use \(FilterOperator.allCases.map(\.rawValue).joined(separator: ", ")))",
                                       fieldErrors: [FieldError(field: field, message: "unknown operator \(name)")])
                    }
                    op = parsed
                }
                try known(field)
                let operand: Value
                switch op {
                case .in, .notIn: operand = .list(value.split(separator: ",").map(String.init))
                case .isEmpty, .isNotEmpty: operand = .null
                default: operand = .text(value)
                }
                conditions.append(.condition(field: field, op: op, value: operand))
            }
        }
        if !conditions.isEmpty { query.filter = conditions.count == 1 ? conditions[0] : .all(conditions) }
        return ListQuery(query: query, withTotal: withTotal)
    }
}
