import CRMKernel
import Foundation

/// The weighted forecast (加权预测): open amounts × probability by expected close month, per
/// person or team when asked, next to the sales target and what was won that month.
///
/// Targets: a month's target is the monthly `sales_target` plus a third of the quarter's.
/// By month and by owner the targets of users count; by team, the targets of teams.
enum ForecastReport {
    /// One row.
    struct Row: Sendable, Hashable {
        /// `YYYY-MM` (empty for open deals without an expected close date).
        var month: String
        /// The owner (by owner) or team (by team) the row is for.
        var owner: Int64?
        var team: Int64?
        var count: Int64 = 0
        var amount: Decimal = 0
        var weighted: Decimal = 0
        var target: Decimal = 0
        var won: Decimal = 0
    }

    private struct Key: Hashable, Comparable {
        var month: String
        var who: Int64
        static func < (a: Key, b: Key) -> Bool { (a.month, a.who) < (b.month, b.who) }
    }

    static func run(_ reader: RecordReader, _ filter: ReportFilter) throws -> [Row] {
        let pipelines = try PipelineLookup(reader.schema).scope(filter.pipeline)
        let common = filter.opportunityParts
        let open = PipelineLookup.stages(pipelines, outcome: nil)
        var openParts = common + [.condition(field: "stage", op: .in, value: .list(open))]
        if let period = filter.periodFilter("expected_close_date") { openParts.append(period) }
        // Grouped in the order of the covering index (stage, date, probability, owner, amount): a
        // few thousand groups by month, one per owner and day when by owner or team.
        var keys = [GroupKey("stage"), GroupKey("expected_close_date"), GroupKey("probability")]
        if filter.by != "month" { keys.append(GroupKey("owner")) }
        let openRows = try reader.aggregate("opportunity", groupBy: keys, measures: [.count, .sum("amount")], filter: .all(openParts))
        let wonParts = common + [filter.periodFilter("won_date") ?? .condition(field: "won_date", op: .ge, value: .text("0000-01-01"))]
        let wonRows = try reader.aggregate("opportunity", groupBy: [GroupKey("won_date", bucket: .month)] + (filter.by == "month" ? [] : [GroupKey("owner")]),
                                           measures: [.sum("amount")], filter: .all(wonParts))
        var teamOf: [Int64: Int64] = [:]
        if filter.by == "team" {
            for u in try reader.find(Query("user", limit: 100_000)).records { if let t = u["team"].integerValue { teamOf[u.id] = t } }
        }
        func key(_ month: String, _ owner: Int64?) -> Key {
            switch filter.by {
            case "owner": return Key(month: month, who: owner ?? 0)
            case "team": return Key(month: month, who: owner.flatMap { teamOf[$0] } ?? 0)
            default: return Key(month: month, who: 0)
            }
        }
        var rows: [Key: Row] = [:]
        func row(_ k: Key) -> Row {
            rows[k] ?? Row(month: k.month, owner: filter.by == "owner" && k.who != 0 ? k.who : nil, team: filter.by == "team" && k.who != 0 ? k.who : nil)
        }
        for r in openRows {
            let month = String((r.group["expected_close_date"]?.textValue ?? "").prefix(7))
            let k = key(month, r.group["owner"]?.integerValue)
            var x = row(k)
            let amount = r.values[1].decimalValue ?? 0
            x.count += r.values[0].integerValue ?? 0
            x.amount += amount
            x.weighted += (amount * Decimal(r.group["probability"]?.integerValue ?? 0) / 100).rounded(scale: 2)
            rows[k] = x
        }
        for r in wonRows {
            let k = key(r.group["won_date"]?.textValue ?? "", r.group["owner"]?.integerValue)
            var x = row(k)
            x.won += r.values[0].decimalValue ?? 0
            rows[k] = x
        }
        for (k, amount) in try targets(reader, filter, teams: filter.owners.map { Set($0.compactMap { teamOf[$0] }) }) {
            var x = row(k)
            x.target += amount
            rows[k] = x
        }
        return rows.keys.sorted().map { rows[$0]! }
    }

    /// The targets by month (and user or team), within the period when there is one; by team,
    /// only those of `teams` when the filter names owners.
    private static func targets(_ reader: RecordReader, _ filter: ReportFilter, teams: Set<Int64>?) throws -> [(Key, Decimal)] {
        var out: [(Key, Decimal)] = []
        var parts: [Filter] = [.condition(field: filter.by == "team" ? "team" : "user", op: .isNotEmpty, value: .null)]
        if filter.by == "team", let teams {
            parts.append(.condition(field: "team", op: .in, value: .list(teams.sorted().map(String.init))))
        } else if let owners = filter.owners, filter.by != "team" {
            parts.append(.condition(field: "user", op: .in, value: .list(owners.map(String.init))))
        }
        let targets = try reader.find(Query("sales_target", filter: .all(parts), limit: 100_000)).records
        for t in targets {
            // The forecast compares sales with the base level of sales targets (other kinds and
            // the 冲刺/挑战 levels are the payroll module's).
            guard ["签约", "sales", ""].contains(t["kind"].textValue ?? ""), ["目标", ""].contains(t["level"].textValue ?? "") else { continue }
            guard case .text(let period) = t["period"], let amount = t["amount"].decimalValue else { continue }
            let who = filter.by == "team" ? t["team"].integerValue ?? 0 : filter.by == "owner" ? t["user"].integerValue ?? 0 : 0
            let months: [String]
            if period.count == 4 {
                months = (1...12).map { String(period) + String(format: "-%02d", $0) }
            } else if let q = period.split(separator: "Q").last.flatMap({ Int($0) }), period.contains("Q") {
                months = (1...3).map { String(period.prefix(5)) + String(format: "%02d", q * 3 - 3 + $0) }
            } else {
                months = [period]
            }
            for month in months {
                if let p = filter.period, !(p.from.prefix(7) <= month && month <= p.to.prefix(7)) { continue }
                out.append((Key(month: month, who: who), (amount / Decimal(months.count)).rounded(scale: 2)))
            }
        }
        return out
    }
}
