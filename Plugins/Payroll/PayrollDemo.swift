import CRMKernel
import Foundation

/// Demo data: a pay profile for every demo user, two versions of the salespeople's 回款 plan,
/// receipt targets, a year of ledger entries for each salesperson, and three closed (已发放)
/// runs: the three months before last month (last month is left for the user to run).
enum PayrollDemo {
    static let salaries: [String: Int64] = ["sales_manager": 1_500_000, "sales_rep": 800_000, "finance": 1_000_000, "admin": 2_000_000]

    static func seed(_ tx: WriteContext, _ demo: inout DemoContext) throws {
        let today = try PayPeriod.day(tx.now, tx.reader)
        let thisMonth = String(today.prefix(7))
        var months = [thisMonth]
        for _ in 0..<12 { months.insert(PayPeriod.previous(months[0]), at: 0) }
        let sellers = Set(demo.users(withRole: "sales_manager") + demo.users(withRole: "sales_rep"))
        for (login, user) in demo.users.sorted(by: { $0.key < $1.key }) {
            let salary = salaries[demo.roles[login] ?? ""] ?? 700_000
            _ = try tx.create("pay_profile", ["user": .integer(user), "base_salary": Fen.value(salary), "allowance": Fen.value(50_000),
                                              "special_deduction": Fen.value(user % 2 == 0 ? 200_000 : 100_000), "city": .text("深圳"),
                                              "insurance_base": Fen.value(salary), "fund_base": Fen.value(salary), "active": .bool(true), "owner": .null])
        }
        // A year of credits: orders approved and receipts collected each month.
        let customers = try tx.reader.find(Query("customer", sort: [SortKey("id")], limit: 12)).records.map(\.id)
        for user in sellers.sorted() {
            for month in months.dropLast() {
                _ = try tx.create("sales_target", ["user": .integer(user), "period": .text(month), "kind": .text("回款"),
                                                   "amount": .decimal(150_000)])
                for k in 0..<3 {
                    let day = "\(month)-\(String(format: "%02d", 3 + k * 9))"
                    let amount = Int64(Int.random(in: 3_000_000...9_000_000, using: &demo.random))
                    let customer = customers.isEmpty ? nil : customers[(Int(user) + k) % customers.count]
                    _ = try CreditLedger.write(tx, user: user, day: day, kind: "order", base: "sales", amount: amount, margin: amount * 3 / 10,
                                               share: 10_000, order: nil, customer: customer, reason: "演示数据", event: nil)
                    _ = try CreditLedger.write(tx, user: user, day: day, kind: "receipt", base: "receipt", amount: amount * 8 / 10,
                                               share: 10_000, order: nil, customer: customer, reason: "演示数据", event: nil)
                }
            }
        }
        // The plans come from the pack: without it (no scripts) there are no rules and no runs.
        guard !PlanBook.current(tx.schema).plans.isEmpty else { return }
        // Two versions of the salespeople's plan: plain marginal 回款提成, then with an accelerator.
        let v2From = months[7] + "-01"
        _ = try tx.create("commission_rule", ["name": .text("销售回款提成"), "plan": .text("receipts_marginal"), "plan_version": .integer(1),
                                              "effective_from": .text(months[0] + "-01"), "effective_to": .text(dayBefore(v2From)), "role": .text("sales_rep")])
        _ = try tx.create("commission_rule", ["name": .text("销售回款提成"), "plan": .text("receipts_accelerated"), "plan_version": .integer(2),
                                              "effective_from": .text(v2From), "role": .text("sales_rep")])
        _ = try tx.create("commission_rule", ["name": .text("经理销售提成"), "plan": .text("sales_slab"), "plan_version": .integer(1),
                                              "effective_from": .text(months[0] + "-01"), "role": .text("sales_manager")])
        // Three closed runs, through the module as on a real month (approval history skips the engine).
        for month in months[8...10] {
            let outcome = try PayrollRuns.run(tx, month: month, correction: false, dryRun: false)
            guard let run = outcome.run else { continue }
            try PayrollApprovals.setStatus(tx, run.id, "已审批", locked: true)
            _ = try PayrollApprovals.pay(tx, run.id, day: PayPeriod.next(month) + "-10")
        }
    }

    /// The day before `day` (YYYY-MM-DD, the first of a month).
    static func dayBefore(_ day: String) -> String {
        let month = PayPeriod.previous(String(day.prefix(7)))
        let y = Int(month.prefix(4)) ?? 2000, m = Int(month.suffix(2)) ?? 1
        let last = [31, (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        return "\(month)-\(last)"
    }
}
