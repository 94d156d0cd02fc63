import CRMKernel
import Foundation

/// Win rate (赢率), average deal size (平均客单) and sales cycle (成交周期) over the
/// opportunities closed in the period (by `closed_date`).
enum WinStats {
    /// The figures.
    struct Result: Sendable, Hashable {
        var won: Int64 = 0
        var lost: Int64 = 0
        var wonAmount: Decimal = 0
        /// won / (won + lost) × 100, one decimal; nil when nothing closed.
        var winRate: Decimal?
        /// Average amount of won deals, to the fen; nil when none won.
        var averageDealSize: Decimal?
        /// Average days from opening to winning, one decimal; nil when none won.
        var averageCycleDays: Decimal?
    }

    static func run(_ reader: RecordReader, _ filter: ReportFilter) throws -> Result {
        let pipelines = try PipelineLookup(reader.schema).scope(filter.pipeline)
        let won = Set(PipelineLookup.stages(pipelines, outcome: .won)), lost = Set(PipelineLookup.stages(pipelines, outcome: .lost))
        var parts = filter.opportunityParts + [.condition(field: "stage", op: .in, value: .list(Array(won.union(lost)).sorted()))]
        if let period = filter.periodFilter("closed_date") { parts.append(period) }
        let rows = try reader.aggregate("opportunity", groupBy: [GroupKey("stage")],
                                        measures: [.count, .sum("amount"), .sum("cycle_days")], filter: .all(parts))
        var r = Result()
        var cycleDays: Int64 = 0
        for row in rows {
            let stage = row.group["stage"]?.textValue ?? "", n = row.values[0].integerValue ?? 0
            if won.contains(stage) {
                r.won += n
                r.wonAmount += row.values[1].decimalValue ?? 0
                cycleDays += row.values[2].integerValue ?? 0
            } else if lost.contains(stage) {
                r.lost += n
            }
        }
        if r.won + r.lost > 0 { r.winRate = (Decimal(r.won) * 100 / Decimal(r.won + r.lost)).rounded(scale: 1) }
        if r.won > 0 {
            r.averageDealSize = (r.wonAmount / Decimal(r.won)).rounded(scale: 2)
            r.averageCycleDays = (Decimal(cycleDays) / Decimal(r.won)).rounded(scale: 1)
        }
        return r
    }
}
