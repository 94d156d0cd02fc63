/// A comparison in a filter.
public enum FilterOperator: String, Sendable, CaseIterable {
    case eq, ne, lt, le, gt, ge
    /// The value is one of a list.
    case `in`
    /// The value is none of a list.
    case notIn = "not_in"
    /// Text contains the given text (case-insensitive for Latin letters); a list contains the item.
    case contains
    /// Text starts with the given text.
    case startsWith = "starts_with"
    /// Null, empty text or an empty list.
    case isEmpty = "is_empty"
    /// Anything but empty.
    case isNotEmpty = "is_not_empty"
}

/// A condition on records, combined with AND / OR / NOT.
public indirect enum Filter: Sendable, Hashable {
    /// Every filter holds.
    case all([Filter])
    /// At least one filter holds.
    case any([Filter])
    /// The filter does not hold.
    case not(Filter)
    /// A comparison of one field with a value (a `.list` for `in`).
    case condition(field: String, op: FilterOperator, value: Value)

    /// `field = value`.
    public static func eq(_ field: String, _ value: Value) -> Filter { .condition(field: field, op: .eq, value: value) }

    /// Every field the filter names, in order (repeats included).
    public var fieldNames: [String] {
        switch self {
        case .all(let list), .any(let list): return list.flatMap(\.fieldNames)
        case .not(let inner): return inner.fieldNames
        case .condition(let field, _, _): return [field]
        }
    }
}

/// One sort key.
public struct SortKey: Sendable, Hashable {
    /// The field sorted on.
    public var field: String
    /// Largest first.
    public var descending: Bool

    /// Creates a sort key.
    public init(_ field: String, descending: Bool = false) {
        self.field = field
        self.descending = descending
    }

    /// Parses `name` or `-name` (descending).
    public init(parsing text: String) {
        if text.hasPrefix("-") { self.init(String(text.dropFirst()), descending: true) }
        else { self.init(text) }
    }
}

/// A query over one entity: filter, full-text search, sort, and keyset pagination.
public struct Query: Sendable, Hashable {
    /// The entity queried.
    public var entity: String
    /// Which records; nil for all.
    public var filter: Filter?
    /// Full-text search over the searchable fields; Chinese substrings of any length match.
    public var search: String?
    /// Sort keys; the record id always breaks ties.
    public var sort: [SortKey]
    /// Maximum number of records returned.
    public var limit: Int?
    /// The `nextCursor` of the previous page.
    public var after: String?

    /// Creates a query.
    public init(_ entity: String, filter: Filter? = nil, search: String? = nil, sort: [SortKey] = [],
                limit: Int? = nil, after: String? = nil) {
        self.entity = entity
        self.filter = filter
        self.search = search
        self.sort = sort
        self.limit = limit
        self.after = after
    }
}

/// One page of records with the cursor of the next page (nil on the last page).
public struct Page: Sendable {
    /// The records, in order.
    public var records: [Record]
    /// Pass as `Query.after` to get the next page.
    public var nextCursor: String?
}
