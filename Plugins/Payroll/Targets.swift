import CRMKernel
import Foundation

/// Targets (`sales_target`, declared by the opportunities module and extended there with kind,
/// level and quantity) as the payroll module reads them: a person's targets for a month (a
/// quarter's or a year's spread evenly over its months), and attainment by period, person and team.
enum Targets {
    /// Level names to plan keys.
    static let levels = ["目标": "target", "冲刺": "stretch", "挑战": "challenge"]
    /// Target kinds (the finance module's 签约 / 回款) to plan keys.
    static let kindKeys = ["签约": "sales", "回款": "receipts", "": "sales"]

    /// Target value of each (kind, level) covering `months`, for the given user or team filter;
    /// money in fen, counts as they are.
    static func values(_ reader: RecordReader, who: Filter, months: [String]) throws -> [String: [String: Int64]] {
        let years = Set(months.map { String($0.prefix(4)) })
        var candidates = Set(months)
        for y in years { candidates.insert(y); for q in 1...4 { candidates.insert("\(y)-Q\(q)") } }
        let rows = try reader.system.find(Query("sales_target", filter: .all([who, .condition(field: "period", op: .in, value: .list(candidates.sorted()))]),
                                                limit: 10_000)).records
        var out: [String: [String: Int64]] = [:]
        for t in rows {
            guard let period = t["period"].textValue else { continue }
            let covered = PayPeriod.months(of: period)
            let inside = Int64(covered.filter(months.contains).count)
            guard inside > 0 else { continue }
            let kind = kindKeys[t["kind"].textValue ?? "签约"] ?? t["kind"].textValue ?? "sales", level = levels[t["level"].textValue ?? "目标"] ?? "target"
            let whole = t["quantity"].integerValue ?? Fen.of(t["amount"])
            out[kind, default: [:]][level, default: 0] += Fen.share(whole, inside, Int64(covered.count))
        }
        return out
    }

    /// `{sales = {target = fen, stretch = fen, challenge = fen}, receipts = {...}, ...}` for a person's month.
    static func forPlan(_ reader: RecordReader, user: Int64, month: String) throws -> ScriptValue {
        let found = try values(reader, who: .eq("user", .integer(user)), months: [month])
        return .table(found.mapValues { levels in .table(levels.mapValues { .value(.integer($0)) }) })
    }

    /// One row of the attainment report.
    struct Row: Sendable, Hashable {
        var who: Int64
        var kind: String
        var target: [String: Int64]
        var actual: Int64
        var commission: Int64?

        /// Attainment of the base level in whole percent (nil without a target).
        var percent: Int64? { (target["target"] ?? 0) > 0 ? Fen.share(actual, 100, target["target"]!) : nil }

        /// The row for Lua and the API.
        var scriptValue: ScriptValue {
            var t: [String: ScriptValue] = ["who": .value(.integer(who)), "kind": .value(.text(kind)), "actual": .value(.integer(actual)),
                                            "target": .table(target.mapValues { .value(.integer($0)) })]
            if let p = percent { t["percent"] = .value(.integer(p)) }
            if let c = commission { t["commission"] = .value(.integer(c)) }
            return .table(t)
        }
    }

    /// Attainment for `period` (month, quarter or year) by `person` or `team`: each target kind
    /// next to what the ledger (sales, receipts) or the customers (new_customers) show, with the
    /// commission paid on the period's payslips for persons.
    static func attainment(_ reader: RecordReader, period: String, by: String) throws -> [Row] {
        let months = PayPeriod.months(of: period)
        guard by == "person" || by == "team" else { throw KernelError.invalid("sales_target", field: "by", "expects person or team") }
        let field = by == "person" ? "user" : "team"
        let holders = try reader.find(Query("sales_target", filter: .condition(field: field, op: .isNotEmpty, value: .null), limit: 100_000)).records
            .filter { PayPeriod.months(of: $0["period"].textValue ?? "").contains(where: months.contains) }
        var rows: [Row] = []
        for who in Set(holders.compactMap { $0[field].integerValue }).sorted() {
            let members = try by == "person" ? [who] : reader.system.teamMembers([who])
            let targets = try values(reader, who: .eq(field, .integer(who)), months: months)
            let commission = by == "person" ? try paidCommission(reader, user: who, months: months) : nil
            for kind in targets.keys.sorted() {
                rows.append(Row(who: who, kind: kind, target: targets[kind]!, actual: try actual(reader, kind: kind, users: members, months: months),
                                commission: commission))
            }
        }
        return rows
    }

    /// What `users` achieved in `months` for a target kind.
    static func actual(_ reader: RecordReader, kind: String, users: [Int64], months: [String]) throws -> Int64 {
        guard !users.isEmpty else { return 0 }
        let who = Filter.condition(field: "user", op: .in, value: .list(users.map(String.init)))
        let within = Filter.condition(field: "period", op: .in, value: .list(months))
        switch kind {
        case "sales", "receipts":
            let rows = try reader.system.aggregate("commission_credit", measures: [.sum("amount")],
                                                   filter: .all([who, within, .eq("base", .text(kind == "sales" ? "sales" : "receipt"))]))
            return rows.first.map { Fen.of($0.values[0]) } ?? 0
        case "new_customers":
            let first = PayPeriod.start(of: months.min()!), last = PayPeriod.start(of: PayPeriod.next(months.max()!))
            return Int64(try reader.system.count("customer", filter: .all([
                .condition(field: "owner", op: .in, value: .list(users.map(String.init))),
                .condition(field: "created_at", op: .ge, value: .datetime(first)), .condition(field: "created_at", op: .lt, value: .datetime(last))])))
        default:
            return 0
        }
    }

    /// 提成工资 on the locked payslips of `months`.
    static func paidCommission(_ reader: RecordReader, user: Int64, months: [String]) throws -> Int64 {
        let rows = try reader.system.aggregate("payslip", measures: [.sum("commission")], filter: .all([
            .eq("user", .integer(user)), .condition(field: "period", op: .in, value: .list(months)), .eq("locked", .bool(true))]))
        return rows.first.map { Fen.of($0.values[0]) } ?? 0
    }
}
