import CRMKernel
import Foundation

/// The funnel (漏斗): count and amount per stage, now or as of the end of a past day.
enum FunnelReport {
    /// One row of the funnel.
    struct Row: Sendable, Hashable {
        var stage: String
        var count: Int64
        var amount: Decimal
    }

    /// Count and amount per stage in pipeline order (stages without records included). Now: over
    /// the opportunities (period = expected close date); with `asOf`: over the stays in the
    /// stage history that were open at the end of that day (amounts as the stay last saw them).
    static func run(_ reader: RecordReader, _ filter: ReportFilter) throws -> [Row] {
        let pipelines = try PipelineLookup(reader.schema).scope(filter.pipeline)
        let rows: [AggregateRow]
        let key: String
        if let asOf = filter.asOf {
            let calendar = try WorkspaceCalendar(reader)
            let end = calendar.calendar.date(byAdding: .day, value: 1, to: try calendar.start(of: asOf))!
            let parts: [Filter] = try filter.historyParts("the funnel as of a day") + [
                .condition(field: "at", op: .lt, value: .datetime(end)),
                .any([.condition(field: "left_at", op: .isEmpty, value: .null), .condition(field: "left_at", op: .ge, value: .datetime(end))]),
            ]
            key = "to_stage"
            rows = try reader.aggregate("opportunity_stage", groupBy: [GroupKey(key)], measures: [.count, .sum("amount")], filter: .all(parts))
        } else {
            var parts = filter.opportunityParts
            if let period = filter.periodFilter("expected_close_date") { parts.append(period) }
            key = "stage"
            rows = try reader.aggregate("opportunity", groupBy: [GroupKey(key)], measures: [.count, .sum("amount")],
                                        filter: parts.isEmpty ? nil : .all(parts))
        }
        var byStage: [String: (Int64, Decimal)] = [:]
        for r in rows {
            byStage[r.group[key]?.textValue ?? "", default: (0, 0)].0 += r.values[0].integerValue ?? 0
            byStage[r.group[key]?.textValue ?? "", default: (0, 0)].1 += r.values[1].decimalValue ?? 0
        }
        let order = PipelineLookup.stageOrder(pipelines)
        var out = order.map { Row(stage: $0, count: byStage[$0]?.0 ?? 0, amount: byStage[$0]?.1 ?? 0) }
        for stage in byStage.keys.sorted() where !order.contains(stage) {
            out.append(Row(stage: stage.isEmpty ? "(none)" : stage, count: byStage[stage]!.0, amount: byStage[stage]!.1))
        }
        return out
    }
}
