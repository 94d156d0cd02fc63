import CRMKernel
import Foundation

/// The named commission plans of the pack (`crm.payroll.plans{name = {type = ..., ...}}`),
/// kept as given: the pack's policy `payroll.commission` reads each plan's parameters.
struct PlanBook: Sendable, Hashable {
    /// Plans by name, each a table with at least `type`.
    var plans: [String: ScriptValue]

    /// The setting key.
    static let settingKey = "payroll.plans"

    /// The plans in force.
    static func current(_ schema: Schema) -> PlanBook { schema.setting(settingKey, as: PlanBook.self) ?? PlanBook(plans: [:]) }

    /// Parses `{name = {type = "flat" | "rates" | "tiered" | ..., ...}, ...}`.
    static func parse(_ value: ScriptValue) throws -> PlanBook {
        if case .list(let l) = value, l.isEmpty { return PlanBook(plans: [:]) }
        guard let fields = value.fields else { throw KernelError(.validation, "crm.payroll.plans: expects a table of named plans") }
        for (name, plan) in fields where plan.fields?["type"]?.text == nil {
            throw KernelError(.validation, "crm.payroll.plans: plan \(name) needs a type (flat, rates, tiered ...)")
        }
        return PlanBook(plans: fields)
    }
}

/// One line of a person's commission for a month.
struct CommissionLine: Sendable, Hashable {
    var label: String
    var amount: Int64
    var explain: String
    var clawback: String?

    /// The line as the payslip keeps it (JSON) and as Lua gets it.
    var scriptValue: ScriptValue {
        var t: [String: ScriptValue] = ["label": .value(.text(label)), "amount": .value(.integer(amount)), "explain": .value(.text(explain))]
        if let clawback { t["clawback"] = .value(.text(clawback)) }
        return .table(t)
    }
}

/// A person's commission for a month: the rule used, its lines, and their total.
struct CommissionResult: Sendable, Hashable {
    var rule: Record?
    var plan: String?
    var lines: [CommissionLine]
    var total: Int64 { lines.reduce(0) { $0 + $1.amount } }
}

/// Runs a plan over ledger entries through the pack's pure policy `payroll.commission`.
struct CommissionCalculator {
    /// Reads (as the system: the caller's access was checked before).
    let reader: RecordReader
    /// Calls a policy (inside the caller's transaction or read).
    let policy: (String, ScriptValue) throws -> ScriptValue
    /// Names of products and categories met so far.
    private var names: NameCache

    init(reader: RecordReader, policy: @escaping (String, ScriptValue) throws -> ScriptValue) {
        self.reader = reader.system
        self.policy = policy
        self.names = NameCache(reader: reader.system)
    }

    /// The commission of `user` for `month`, with clawbacks of earlier months' pay for refunds
    /// and reversals of what those months credited.
    mutating func commission(user: Int64, month: String) throws -> CommissionResult {
        let entries = try reader.find(Query("commission_credit", filter: .all([.eq("user", .integer(user)), .eq("period", .text(month))]),
                                            sort: [SortKey("date")], limit: 1_000_000)).records
        // A negative entry for an order credited in an earlier month claws back that month's pay.
        var current: [Record] = [], clawbacks: [String: [Record]] = [:]
        for e in entries {
            if Fen.of(e["amount"]) < 0, let order = e["order"].integerValue, let origin = try originMonth(user: user, order: order, base: e["base"], before: month) {
                clawbacks[origin, default: []].append(e)
            } else {
                current.append(e)
            }
        }
        let rule = try RuleLookup.rule(reader, user: user, month: month)
        var result = CommissionResult(rule: rule, plan: rule?["plan"].textValue, lines: [])
        if let rule { result.lines = try run(rule, user: user, month: month, entries: current) }
        for origin in clawbacks.keys.sorted() {
            guard let originRule = try RuleLookup.rule(reader, user: user, month: origin) else { continue }
            let orders = Set(clawbacks[origin]!.compactMap { $0["order"].integerValue })
            let paid = try reader.find(Query("commission_credit", filter: .all([.eq("user", .integer(user)), .eq("period", .text(origin))]),
                                             sort: [SortKey("date")], limit: 1_000_000)).records
            let between = try reader.find(Query("commission_credit", filter: .all([
                .eq("user", .integer(user)), .condition(field: "period", op: .gt, value: .text(origin)),
                .condition(field: "period", op: .lt, value: .text(month)), .condition(field: "amount", op: .lt, value: .integer(0)),
                .condition(field: "order", op: .in, value: .list(orders.sorted().map(String.init)))]), limit: 1_000_000)).records
            let before = try run(originRule, user: user, month: origin, entries: paid + between).reduce(0) { $0 + $1.amount }
            let after = try run(originRule, user: user, month: origin, entries: paid + between + clawbacks[origin]!).reduce(0) { $0 + $1.amount }
            let refunded = clawbacks[origin]!.reduce(0) { $0 + Fen.of($1["amount"]) }
            guard before != after else { continue }
            result.lines.append(CommissionLine(
                label: "追回 \(origin) 提成", amount: after - before,
                explain: "\(origin) 的退款/冲销 \(MoneyText.yuan(refunded)) 元（订单 \(orders.sorted().map(String.init).joined(separator: ","))）："
                    + "按 \(origin) 适用的方案 \(originRule["name"].description) v\(originRule["plan_version"].integerValue ?? 1) 重算，"
                    + "原提成 \(MoneyText.yuan(before)) 元，重算后 \(MoneyText.yuan(after)) 元，追回 \(MoneyText.yuan(before - after)) 元",
                clawback: "退款追回已发提成"))
        }
        return result
    }

    /// The latest earlier month in which `user` was credited positively for `order` on `base`.
    private func originMonth(user: Int64, order: Int64, base: Value, before month: String) throws -> String? {
        let rows = try reader.find(Query("commission_credit", filter: .all([
            .eq("user", .integer(user)), .eq("order", .integer(order)), .eq("base", base),
            .condition(field: "period", op: .lt, value: .text(month)), .condition(field: "amount", op: .gt, value: .integer(0))]),
            sort: [SortKey("period", descending: true)], limit: 1)).records
        return rows.first?["period"].textValue
    }

    /// The plan of `rule` over `entries`, checked: whole fen, and no negative line without a clawback reason.
    mutating func run(_ rule: Record, user: Int64, month: String, entries: [Record]) throws -> [CommissionLine] {
        let name = rule["plan"].textValue ?? ""
        guard var plan = PlanBook.current(reader.schema).plans[name]?.fields else {
            throw KernelError.invalid("commission_rule", field: "plan", "commission rule \(rule.id) names plan '\(name)', which crm.payroll.plans does not declare")
        }
        plan["name"] = .value(.text(name))
        var items: [ScriptValue] = []
        items.reserveCapacity(entries.count)
        for e in entries { items.append(try entry(e)) }
        let argument = ScriptValue.table([
            "plan": .table(plan), "period": .value(.text(month)), "user": .value(.integer(user)),
            "entries": .list(items), "targets": try Targets.forPlan(reader, user: user, month: month),
        ])
        let answer: ScriptValue
        do { answer = try policy("payroll.commission", argument) } catch let e as KernelError {
            throw KernelError(.scriptFailed, "commission plan \(name) (rule \(rule.id)) for user \(user), \(month): \(e.message)")
        }
        guard case .list(let items)? = answer.fields?["lines"] ?? (answer == .list([]) ? .list([]) : nil) else {
            throw KernelError(.scriptFailed, "commission plan \(name): payroll.commission must return {lines = {{label =, amount = fen, explain =}, ...}}")
        }
        return try items.enumerated().map { i, item in
            guard let t = item.fields, let amount = t["amount"]?.integer else {
                throw KernelError(.scriptFailed, "commission plan \(name): line \(i + 1) needs amount as whole fen (an integer)")
            }
            let label = t["label"]?.text ?? "提成", reason = t["clawback"]?.text
            if amount < 0, (reason ?? "").isEmpty {
                throw KernelError(.scriptFailed, "commission plan \(name): line \(i + 1) (\(label)) is negative (\(MoneyText.yuan(amount))) without a clawback reason")
            }
            return CommissionLine(label: label, amount: amount, explain: t["explain"]?.text ?? "", clawback: reason)
        }
    }

    /// A ledger entry as the plan sees it (money in whole fen).
    private mutating func entry(_ e: Record) throws -> ScriptValue {
        var t: [String: ScriptValue] = [
            "id": .value(.integer(e.id)), "kind": .value(e["kind"]), "base": .value(e["base"]), "date": .value(e["date"]),
            "amount": .value(.integer(Fen.of(e["amount"]))), "margin": .value(.integer(Fen.of(e["margin"]))),
        ]
        for key in ["order", "customer", "reason"] where !e[key].isEmpty { t[key] = .value(e[key]) }
        if let p = e["product"].integerValue { t["product"] = .value(.integer(p)); t["product_name"] = .value(try names.name("product", p)) }
        if let c = e["category"].integerValue { t["category"] = .value(.integer(c)); t["category_name"] = .value(try names.name("product_category", c)) }
        return .table(t)
    }
}

/// Names of records by id, read once each.
struct NameCache {
    let reader: RecordReader
    private var names: [String: Value] = [:]

    init(reader: RecordReader) { self.reader = reader }

    /// The record's name (`name` field), or null.
    mutating func name(_ entity: String, _ id: Int64) throws -> Value {
        let key = "\(entity)#\(id)"
        if let known = names[key] { return known }
        let value = try reader.get(entity, id)?["name"] ?? .null
        names[key] = value
        return value
    }
}
