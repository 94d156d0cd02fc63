import Foundation

/// A report declared as data: which records (entity and filters), how they are grouped
/// (fields, dates by day, month, quarter or year) and what is measured (count, sum, avg, min,
/// max, and rates such as 回款率 = sum(received) / sum(total)), with parameters.
///
/// The same spec comes from Lua (`crm.report(name, spec)`) and from an administrator's saved
/// report (stored as JSON); `validate(against:)` checks it against the workspace schema.
public struct ReportSpec: Sendable, Hashable, Codable {
    /// A condition on a field; `value` is a literal or `$param` (dropped when the parameter has no value).
    public struct Condition: Sendable, Hashable, Codable {
        /// The field.
        public var field: String
        /// `eq`, `ne`, `lt`, `le`, `gt`, `ge`, `in`, `not_in`, `contains`, `is_empty`, `is_not_empty`.
        public var op: String
        /// Literal values as text (one for most operators, several for `in`), or one `$param`.
        public var values: [String]

        /// Creates a condition.
        public init(_ field: String, _ op: String = "eq", _ values: [String]) {
            self.field = field
            self.op = op
            self.values = values
        }

        /// The parameter it refers to (`$period` → `period`), if any.
        public var parameter: String? {
            guard values.count == 1, values[0].hasPrefix("$") else { return nil }
            return String(values[0].dropFirst())
        }
    }

    /// A grouping column.
    public struct Grouping: Sendable, Hashable, Codable {
        /// The field.
        public var field: String
        /// For date and datetime fields: `day`, `month`, `quarter` or `year`.
        public var bucket: String?
        /// The heading (default: the field's label).
        public var label: String?

        /// Creates a grouping.
        public init(_ field: String, bucket: String? = nil, label: String? = nil) {
            self.field = field
            self.bucket = bucket
            self.label = label
        }
    }

    /// A measured column.
    public struct Measure: Sendable, Hashable, Codable {
        /// Column name (`amount`, `rate`).
        public var name: String
        /// `count`, `sum`, `avg`, `min`, `max` or `rate`.
        public var kind: String
        /// The field measured (for `rate`, the numerator summed).
        public var field: String?
        /// For `rate`: the denominator summed.
        public var denominator: String?
        /// The heading (default: from the field's label).
        public var label: String?

        /// Creates a measure.
        public init(_ name: String, _ kind: String, field: String? = nil, denominator: String? = nil, label: String? = nil) {
            self.name = name
            self.kind = kind
            self.field = field
            self.denominator = denominator
            self.label = label
        }
    }

    /// The title.
    public var title: LocalizedText?
    /// The entity counted.
    public var entity: String
    /// Conditions, all of which hold.
    public var filters: [Condition]
    /// Group-by columns, in order.
    public var groupBy: [Grouping]
    /// Measured columns, in order.
    public var measures: [Measure]
    /// Parameters, in form order.
    public var parameters: [ReportParameter]
    /// `bar`, `line` or `funnel` over `chartMeasure` (default: bars of the first measure when grouped).
    public var chart: String?
    /// The measure charted.
    public var chartMeasure: String?
    /// Sort rows by this column (`-amount`: descending); default: by the group keys.
    public var sort: String?
    /// Roles it is shared with (empty: all that can read the entity).
    public var roles: [String]
    /// Whether and to whom it is e-mailed weekly (the `reports.scheduled_mail` job).
    public var schedule: ReportSchedule?

    /// Creates a spec.
    public init(title: LocalizedText? = nil, entity: String, filters: [Condition] = [], groupBy: [Grouping] = [],
                measures: [Measure], parameters: [ReportParameter] = [], chart: String? = nil, chartMeasure: String? = nil,
                sort: String? = nil, roles: [String] = [], schedule: ReportSchedule? = nil) {
        self.title = title
        self.entity = entity
        self.filters = filters
        self.groupBy = groupBy
        self.measures = measures
        self.parameters = parameters
        self.chart = chart
        self.chartMeasure = chartMeasure
        self.sort = sort
        self.roles = roles
        self.schedule = schedule
    }

    private enum CodingKeys: String, CodingKey {
        case title, entity, filters, groupBy, measures, parameters, chart, chartMeasure, sort, roles, schedule
    }

    /// Decodes a spec; everything but `entity` and `measures` may be left out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        title = try c.decodeIfPresent(LocalizedText.self, forKey: .title)
        entity = try c.decode(String.self, forKey: .entity)
        filters = try c.decodeIfPresent([Condition].self, forKey: .filters) ?? []
        groupBy = try c.decodeIfPresent([Grouping].self, forKey: .groupBy) ?? []
        measures = try c.decode([Measure].self, forKey: .measures)
        parameters = try c.decodeIfPresent([ReportParameter].self, forKey: .parameters) ?? []
        chart = try c.decodeIfPresent(String.self, forKey: .chart)
        chartMeasure = try c.decodeIfPresent(String.self, forKey: .chartMeasure)
        sort = try c.decodeIfPresent(String.self, forKey: .sort)
        roles = try c.decodeIfPresent([String].self, forKey: .roles) ?? []
        schedule = try c.decodeIfPresent(ReportSchedule.self, forKey: .schedule)
    }

    static let operators: Set<String> = ["eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "contains", "is_empty", "is_not_empty"]
    static let kinds: Set<String> = ["count", "sum", "avg", "min", "max", "rate"]
    static let buckets: Set<String> = ["day", "month", "quarter", "year"]

    /// Checks every entity, field, operator, measure and parameter against `schema`; the error
    /// starts with `crm.report 'NAME':` and names what is wrong.
    public func validate(name: String, against schema: Schema) throws(KernelError) {
        func fail(_ message: String) -> KernelError { KernelError(.validation, "crm.report '\(name)': \(message)", entity: entity) }
        guard let e = schema.entities[entity] else {
            throw fail("unknown entity '\(entity)' (known: \(schema.entities.keys.sorted().prefix(40).joined(separator: ", ")))")
        }
        func field(_ n: String, _ role: String) throws(KernelError) -> FieldDefinition {
            guard let f = e.fieldsByName[n] else { throw fail("unknown field '\(n)' on \(entity) in \(role)") }
            return f
        }
        let params = Dictionary(parameters.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        guard params.count == parameters.count else { throw fail("a parameter is declared twice") }
        for p in parameters where !ReservedFieldNames.isValidIdentifier(p.name) { throw fail("parameter name '\(p.name)' is not an identifier") }
        for c in filters {
            let f = try field(c.field, "filters")
            guard Self.operators.contains(c.op) else { throw fail("unknown operator '\(c.op)' for '\(c.field)' (known: \(Self.operators.sorted().joined(separator: ", ")))") }
            if let p = c.parameter {
                guard let param = params[p] else { throw fail("filter on '\(c.field)' uses undeclared parameter '$\(p)'") }
                if param.kind == .period, f.type != .date, f.type != .datetime { throw fail("period parameter '$\(p)' on '\(c.field)', which is not a date") }
                if param.kind == .team, f.type != .user, !(f.type == .reference && f.target == "team") {
                    throw fail("team parameter '$\(p)' on '\(c.field)', which is neither a user nor a team")
                }
            }
        }
        for (i, g) in groupBy.enumerated() {
            let f = try field(g.field, "group_by")
            if groupBy[..<i].contains(where: { $0.field == g.field }) { throw fail("group_by lists '\(g.field)' twice") }
            if let b = g.bucket {
                guard Self.buckets.contains(b) else { throw fail("unknown bucket '\(b)' for '\(g.field)' (day, month, quarter, year)") }
                guard f.type == .date || f.type == .datetime else { throw fail("'\(g.field)' is not a date; it cannot be grouped by \(b)") }
            }
        }
        guard !measures.isEmpty else { throw fail("measures is empty") }
        var names = Set<String>()
        for m in measures {
            guard names.insert(m.name).inserted else { throw fail("measure '\(m.name)' is declared twice") }
            guard Self.kinds.contains(m.kind) else { throw fail("unknown measure '\(m.kind)' for '\(m.name)' (count, sum, avg, min, max, rate)") }
            if m.kind == "count" { continue }
            guard let n = m.field else { throw fail("measure '\(m.name)' (\(m.kind)) names no field") }
            let f = try field(n, "measure '\(m.name)'")
            if ["sum", "avg", "rate"].contains(m.kind), f.type.storage != .integer || [.boolean, .date, .datetime, .reference, .user].contains(f.type) {
                throw fail("measure '\(m.name)': \(m.kind) needs a number field, '\(n)' is \(f.type.rawValue)")
            }
            if m.kind == "rate" {
                guard let d = m.denominator else { throw fail("rate '\(m.name)' needs a denominator field") }
                let df = try field(d, "measure '\(m.name)'")
                guard df.type.storage == .integer, ![.boolean, .date, .datetime, .reference, .user].contains(df.type) else {
                    throw fail("rate '\(m.name)': the denominator '\(d)' is not a number field")
                }
            }
        }
        if let c = chart, !["bar", "line", "funnel", "none"].contains(c) { throw fail("unknown chart '\(c)' (bar, line, funnel, none)") }
        if let cm = chartMeasure, !names.contains(cm) { throw fail("chart measure '\(cm)' is not a measure") }
        if let s = sort {
            let key = s.hasPrefix("-") ? String(s.dropFirst()) : s
            guard names.contains(key) || groupBy.contains(where: { $0.field == key }) else { throw fail("sort '\(key)' is neither a measure nor a group") }
        }
        try schedule?.validate(name: name, parameters: parameters)
    }
}
