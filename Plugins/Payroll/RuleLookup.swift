import CRMKernel

/// Which `commission_rule` applies to a person in a month: among the rules in force on the
/// month's first day, one for the user beats one for their team, which beats one for their role,
/// which beats one for everyone; then the latest `effective_from`, then the highest version.
enum RuleLookup {
    /// The rule for `user` in `month`, or nil when none is in force.
    static func rule(_ reader: RecordReader, user: Int64, month: String) throws -> Record? {
        let day = month + "-01"
        let rules = try reader.system.find(Query("commission_rule", filter: .all([
            .condition(field: "effective_from", op: .le, value: .text(day)),
            .any([.condition(field: "effective_to", op: .isEmpty, value: .null), .condition(field: "effective_to", op: .ge, value: .text(day))]),
        ]), limit: 10_000)).records
        guard !rules.isEmpty else { return nil }
        let person = try reader.system.get("user", user)
        func rank(_ r: Record) -> Int? {
            if let u = r["user"].integerValue { return u == user ? 3 : nil }
            if let t = r["team"].integerValue { return t == person?["team"].integerValue ? 2 : nil }
            if let role = r["role"].textValue, !role.isEmpty { return role == person?["role"].textValue ? 1 : nil }
            return 0
        }
        return rules.compactMap { r in rank(r).map { (r, $0) } }.max { a, b in
            (a.1, a.0["effective_from"].description, a.0["plan_version"].integerValue ?? 1) < (b.1, b.0["effective_from"].description, b.0["plan_version"].integerValue ?? 1)
        }?.0
    }

    /// Refuses a rule for more than one audience, or ending before it starts.
    static func check(_ ctx: inout SaveContext) {
        guard ctx.operation != .delete else { return }
        let audiences = ["user", "team", "role"].filter { !(ctx.values[$0] ?? .null).isEmpty }
        if audiences.count > 1 { ctx.reject(audiences[1], "a rule is for one user, one team, one role or everyone, not \(audiences.joined(separator: " and "))") }
        if let from = ctx.values["effective_from"]?.textValue, let to = ctx.values["effective_to"]?.textValue, !to.isEmpty, to < from {
            ctx.reject("effective_to", "ends (\(to)) before it starts (\(from))")
        }
        if let plan = ctx.values["plan"]?.textValue, PlanBook.current(ctx.tx.schema).plans[plan] == nil {
            ctx.reject("plan", "no plan '\(plan)' in crm.payroll.plans (have: \(PlanBook.current(ctx.tx.schema).plans.keys.sorted().joined(separator: ", ")))")
        }
        if (ctx.values["plan_version"] ?? .null).isEmpty { ctx.values["plan_version"] = .integer(1) }
    }
}
