import CRMKernel

/// 应收账龄 as of a day: every open installment (not void, not fully received by that day;
/// receipts dated later are ignored) by how long past its due date it is, in the company's
/// buckets (未到期, 1–30, 31–60, 61–90, 90+ by default), grouped by customer, rep or team.
/// Sums are taken by the store per bucket (one aggregate each), then corrected for the few
/// allocations dated after the as-of day; all in integer fen.
public struct AgingReport: Sendable, Hashable {
    /// The bucket names, in order.
    public var buckets: [String]
    /// One row per group, biggest total first.
    public var rows: [Row]
    /// Per-bucket totals (equal to the sums of the rows).
    public var totalsFen: [Int64]
    /// The grand total.
    public var totalFen: Int64 { totalsFen.reduce(0, +) }

    /// One group's open amounts per bucket.
    public struct Row: Sendable, Hashable {
        /// The group's id (customer, user or team), null for none.
        public var key: Value
        /// Its name.
        public var label: String
        /// Open fen per bucket.
        public var bucketsFen: [Int64]
        /// The row total.
        public var totalFen: Int64 { bucketsFen.reduce(0, +) }
    }

    /// The field a grouping reads.
    static func field(_ by: String) throws -> String {
        switch by {
        case "customer": return "customer"
        case "rep", "owner": return "owner"
        case "team": return "team"
        default: throw KernelError.invalid("payment_plan", field: "by", "账龄分组应为 customer、rep 或 team (group by customer, rep or team; got \(by))")
        }
    }

    /// The filter of installments open as of `asOf`, optionally one group's.
    static func openFilter(asOf: String, extra: [Filter]) -> Filter {
        .all([.eq("cancelled", .bool(false)),
              .any([.condition(field: "paid_on", op: .isEmpty, value: .null), .condition(field: "paid_on", op: .gt, value: .text(asOf))])] + extra)
    }

    /// The due-date range of bucket `index` as of `asOf` (inclusive bounds; nil: open-ended).
    static func dueRange(_ index: Int, settings: FinanceSettings, asOf: String) -> (from: String?, to: String?) {
        func back(_ days: Int) -> String? { FinanceDates.adding(months: 0, days: -days, to: asOf) }
        if index == 0 { return (asOf, nil) }
        let low = index == 1 ? 1 : settings.agingBuckets[index - 2] + 1
        let high = index <= settings.agingBuckets.count ? settings.agingBuckets[index - 1] : nil
        return (high.flatMap(back), back(low))
    }

    /// The report as of `asOf` grouped `by` customer, rep or team; `owner` limits it to one rep.
    public static func build(_ reader: RecordReader, asOf: String, by: String = "customer", owner: Int64? = nil) throws -> AgingReport {
        let settings = FinanceSettings.current(reader.schema)
        let group = try field(by)
        let extra: [Filter] = owner.map { [.eq("owner", .integer($0))] } ?? []
        let count = settings.agingBuckets.count + 2
        var cells: [Value: [Int64]] = [:]
        for index in 0..<count {
            let range = dueRange(index, settings: settings, asOf: asOf)
            var filters = extra
            if let from = range.from { filters.append(.condition(field: "due_date", op: index == 0 ? .ge : .ge, value: .text(from))) }
            if let to = range.to { filters.append(.condition(field: "due_date", op: .le, value: .text(to))) }
            for row in try reader.aggregate("payment_plan", groupBy: [GroupKey(group)], measures: [.sum("amount"), .sum("received")],
                                            filter: openFilter(asOf: asOf, extra: filters)) {
                let key = row.group[group] ?? .null
                cells[key, default: Array(repeating: 0, count: count)][index] += FinanceMoney.fen(row.values[0]) - FinanceMoney.fen(row.values[1])
            }
        }
        // Receipts dated after the as-of day did not happen yet.
        var later = try reader.find(Query("payment_allocation", filter: .condition(field: "received_on", op: .gt, value: .text(asOf)), limit: 10_000))
        var byPlan: [Int64: Int64] = [:]
        while true {
            for a in later.records { if let p = a["plan"].integerValue { byPlan[p, default: 0] += FinanceMoney.fen(a["amount"]) } }
            guard let next = later.nextCursor else { break }
            later = try reader.find(Query("payment_allocation", filter: .condition(field: "received_on", op: .gt, value: .text(asOf)), limit: 10_000, after: next))
        }
        for (planID, fen) in byPlan where fen != 0 {
            guard let plan = try reader.get("payment_plan", planID), plan["cancelled"] != .bool(true),
                  owner == nil || plan["owner"] == .integer(owner ?? 0),
                  plan["paid_on"].isEmpty || (plan["paid_on"].textValue ?? "") > asOf,
                  let due = plan["due_date"].textValue else { continue }
            let index = settings.bucket(overdueDays: FinanceDates.days(from: due, to: asOf) ?? 0)
            cells[plan[group], default: Array(repeating: 0, count: count)][index] += fen
        }
        let labels = try GroupLabels.labels(reader, field: group, keys: Array(cells.keys))
        let rows = cells.filter { $0.value.contains { $0 != 0 } }
            .map { Row(key: $0.key, label: labels[$0.key] ?? "—", bucketsFen: $0.value) }
            .sorted { ($0.totalFen, $1.label) > ($1.totalFen, $0.label) }
        var totals = Array(repeating: Int64(0), count: count)
        for row in rows { for i in 0..<count { totals[i] += row.bucketsFen[i] } }
        return AgingReport(buckets: settings.bucketNames, rows: rows, totalsFen: totals)
    }

    /// The open installments of one group as of `asOf` (the drill-down), oldest due first.
    public static func installments(_ reader: RecordReader, asOf: String, by: String, key: Value, limit: Int = 500) throws -> [PlanStatus.Row] {
        let filter = openFilter(asOf: asOf, extra: [key.isEmpty ? .condition(field: try field(by), op: .isEmpty, value: .null) : .eq(try field(by), key)])
        let plans = try reader.find(Query("payment_plan", filter: filter, sort: [SortKey("due_date"), SortKey("id")], limit: limit)).records
        let later = try PlanStatus.laterAllocations(reader, plans: plans.map(\.id), asOf: asOf)
        return plans.map { PlanStatus.row($0, later: later[$0.id] ?? 0, asOf: asOf) }.filter { $0.openFen > 0 }
    }
}

/// Names of customers, users and teams for report rows.
enum GroupLabels {
    static func labels(_ reader: RecordReader, field: String, keys: [Value]) throws -> [Value: String] {
        let entity: String
        switch field {
        case "customer": entity = "customer"
        case "owner", "user": entity = "user"
        case "team": entity = "team"
        default: return [:]
        }
        var out: [Value: String] = [:]
        let system = reader.system
        for key in keys {
            guard let id = key.integerValue, let record = try system.get(entity, id) else { continue }
            out[key] = record["display_name"].textValue ?? record["name"].textValue ?? "#\(id)"
        }
        return out
    }
}
