import Foundation

/// Runs a `ReportSpec` with the kernel's group-by aggregates, under the caller's access: a field
/// the caller cannot read can be neither filtered, grouped nor measured (the reader refuses it).
public enum ReportEngine {
    /// The table of `spec` for the arguments in `context`, with a totals row when grouped.
    public static func run(name: String, spec: ReportSpec, _ context: ReportContext) throws -> ReportTable {
        let reader = context.reader
        try spec.validate(name: name, against: reader.schema)
        let entity = try reader.schema.entity(spec.entity)
        let filter = try conditions(spec, entity, context.arguments)
        // The kernel measures, deduplicated; each spec measure points at its slots.
        var kernelMeasures: [Measure] = []
        func slot(_ m: Measure) -> Int {
            if let i = kernelMeasures.firstIndex(of: m) { return i }
            kernelMeasures.append(m)
            return kernelMeasures.count - 1
        }
        let slots: [[Int]] = spec.measures.map { m in
            switch m.kind {
            case "count": return [slot(.count)]
            case "sum": return [slot(.sum(m.field!))]
            case "avg": return [slot(.avg(m.field!))]
            case "min": return [slot(.min(m.field!))]
            case "max": return [slot(.max(m.field!))]
            default: return [slot(.sum(m.field!)), slot(.sum(m.denominator!))]
            }
        }
        let keys = spec.groupBy.map { GroupKey($0.field, bucket: $0.bucket.flatMap(GroupKey.Bucket.init(rawValue:))) }
        let grouped = try reader.aggregate(spec.entity, groupBy: keys, measures: kernelMeasures, filter: filter)
        let labels = ReportLabels(reader: reader, language: context.language)
        var rows: [[Value]] = []
        for r in grouped {
            var row: [Value] = []
            for g in spec.groupBy {
                let value = r.group[g.field] ?? .null
                row.append(g.bucket == nil ? .text(labels.label(value, entity.fieldsByName[g.field]!)) : (value == .null ? .text(labels.none) : value))
            }
            row += measureValues(spec, slots, r.values)
            rows.append(row)
        }
        if let sort = spec.sort {
            let descending = sort.hasPrefix("-")
            let key = descending ? String(sort.dropFirst()) : sort
            let index = spec.groupBy.firstIndex { $0.field == key } ?? (spec.groupBy.count + (spec.measures.firstIndex { $0.name == key } ?? 0))
            rows.sort { a, b in
                let x = a[index], y = b[index]
                let less: Bool
                if let dx = x.decimalValue, let dy = y.decimalValue { less = dx < dy } else { less = x.description < y.description }
                return descending ? (!less && x != y) : less
            }
        }
        var columns = spec.groupBy.map { g in
            ReportTable.Column(g.field, g.label ?? entity.fieldsByName[g.field]!.label.text(for: context.language), .text)
        }
        for m in spec.measures { columns.append(column(m, entity, context.language)) }
        if !spec.groupBy.isEmpty {
            let total = try reader.aggregate(spec.entity, measures: kernelMeasures, filter: filter).first?.values ?? []
            var row: [Value] = [.text(context.language == "en" ? "Total" : "合计")] + Array(repeating: .text(""), count: spec.groupBy.count - 1)
            row += total.isEmpty ? Array(repeating: .null, count: spec.measures.count) : measureValues(spec, slots, total)
            rows.append(row)
        }
        let chartKind = spec.chart ?? (spec.groupBy.isEmpty ? "none" : "bar")
        let chart = ReportTable.Chart.Kind(rawValue: chartKind).flatMap { kind -> ReportTable.Chart? in
            guard let first = spec.groupBy.first else { return nil }
            return ReportTable.Chart(kind, label: first.field, value: spec.chartMeasure ?? spec.measures[0].name)
        }
        let title = spec.title?.text(for: context.language) ?? name
        let arguments = spec.parameters.compactMap { p in
            context.arguments[p.name].map { (name: p.name, label: p.label.text(for: context.language), value: labels.argument($0)) }
        }
        return ReportTable(name: name, title: title, columns: columns, rows: rows, chart: chart, arguments: arguments,
                           hasTotals: !spec.groupBy.isEmpty)
    }

    /// The values of the spec's measures from the kernel's slots (rates in percent, two places;
    /// nil when the denominator is zero).
    private static func measureValues(_ spec: ReportSpec, _ slots: [[Int]], _ values: [Value]) -> [Value] {
        zip(spec.measures, slots).map { m, s in
            guard m.kind == "rate" else { return values[s[0]] }
            guard let num = values[s[0]].decimalValue, let den = values[s[1]].decimalValue, den != 0 else { return .null }
            return .decimal((num * 100 / den).rounded(scale: 2))
        }
    }

    private static func column(_ m: ReportSpec.Measure, _ entity: EntitySchema, _ language: String) -> ReportTable.Column {
        let field = m.field.flatMap { entity.fieldsByName[$0] }
        let label = m.label ?? {
            let fieldLabel = field?.label.text(for: language) ?? ""
            switch m.kind {
            case "count": return language == "en" ? "Count" : "数量"
            case "sum": return fieldLabel
            case "avg": return (language == "en" ? "Average " : "平均") + fieldLabel
            case "min": return (language == "en" ? "Min " : "最小") + fieldLabel
            case "max": return (language == "en" ? "Max " : "最大") + fieldLabel
            default: return m.name
            }
        }()
        let kind: ReportTable.ColumnKind
        switch (m.kind, field?.type) {
        case ("count", _): kind = .integer
        case ("rate", _): kind = .percent
        case (_, .money?): kind = .money
        case ("avg", _), (_, .decimal?): kind = .decimal
        default: kind = .integer
        }
        return ReportTable.Column(m.name, label, kind)
    }

    /// The spec's filters with the arguments put in; conditions on parameters without a value are dropped.
    static func conditions(_ spec: ReportSpec, _ entity: EntitySchema, _ arguments: ReportArguments) throws -> Filter? {
        var parts: [Filter] = []
        for c in spec.filters {
            let field = entity.fieldsByName[c.field]!
            let op = FilterOperator(rawValue: c.op)!
            if let p = c.parameter {
                guard let argument = arguments[p] else { continue }
                switch argument {
                case .period(let from, let to, _):
                    parts.append(.condition(field: c.field, op: .ge, value: .text(from)))
                    parts.append(.condition(field: c.field, op: .le, value: .text(field.type == .datetime ? to + "T23:59:59.999Z" : to)))
                case .team(let id, let members):
                    if field.type == .user {
                        parts.append(.condition(field: c.field, op: op == .notIn || op == .ne ? .notIn : .in, value: .list(members.map(String.init))))
                    } else {
                        parts.append(.condition(field: c.field, op: op, value: .integer(id)))
                    }
                case .user(let id), .integer(let id): parts.append(.condition(field: c.field, op: op, value: .integer(id)))
                case .text(let s), .date(let s): parts.append(.condition(field: c.field, op: op, value: .text(s)))
                }
                continue
            }
            switch op {
            case .in, .notIn: parts.append(.condition(field: c.field, op: op, value: .list(c.values)))
            case .isEmpty, .isNotEmpty: parts.append(.condition(field: c.field, op: op, value: .null))
            default: parts.append(.condition(field: c.field, op: op, value: literal(c.values.first ?? "", field)))
            }
        }
        return parts.isEmpty ? nil : .all(parts)
    }

    private static func literal(_ text: String, _ field: FieldDefinition) -> Value {
        switch field.type {
        case .integer, .reference, .user: return Int64(text).map(Value.integer) ?? .text(text)
        case .money, .decimal: return Decimal(string: text).map(Value.decimal) ?? .text(text)
        case .boolean: return ["true", "1", "yes", "是"].contains(text) ? .bool(true) : .bool(false)
        default: return .text(text)
        }
    }
}
