import Foundation
import Testing

/// Payroll through the real `crm` binary on a demo workspace: an approved order credits the rep,
/// a receipt confirmed by 财务 counts for last month's 回款 plan, the run shows the rep's 提成工资 and a 个税 that follows the cumulative
/// method from the payslip's own figures, a refund in the current month claws the commission back,
/// `explain` tells how, and a second rep sees only their own payslip in the console and over HTTP.
struct PayrollCLITests {
    /// `YYYY-MM` of this month and last month in Asia/Shanghai.
    static func months() -> (this: String, last: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let c = calendar.dateComponents([.year, .month], from: Date())
        let y = c.year!, m = c.month!
        return (String(format: "%04d-%02d", y, m), m == 1 ? String(format: "%04d-12", y - 1) : String(format: "%04d-%02d", y, m - 1))
    }

    /// Today in Asia/Shanghai.
    static func today() -> String {
        let f = DateFormatter()
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: Date())
    }

    @Test(.timeLimit(.minutes(5)))
    func demoRepIsCreditedPaidTaxedClawedBackAndPrivate() async throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        let init_ = try crm.run(["init", "--demo"])
        try #require(init_.status == 0, "\(init_.stderr)")
        let (this, last) = Self.months()
        let today = Self.today()
        let setup = try crm.write("setup.lua", """
            local lina = crm.find("user", { name = "lina" })[1]
            local c = crm.find("customer", {}, { limit = 1 })[1]
            local o = crm.orders.save_order{ customer = c.id, owner = lina.id, title = "端到端合同",
              lines = { { description = "实施服务", quantity = "1", sales_price = "100000.00", tax_rate = "0", unit_cost = "50000.00" } } }
            crm.orders.submit(o.id)
            print("order", crm.get("order", o.id).status)
            print("credits", crm.count("commission_credit", { order = o.id, kind = "order" }))
            print("ids", lina.id, o.id)
            """)
        let out = try crm.run(["run", setup])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("order\t已审批") && lines.contains("credits\t1"), "\(lines)")
        let ids = try #require(lines.first { $0.hasPrefix("ids\t") }).split(separator: "\t")
        let (lina, order) = (String(ids[1]), String(ids[2]))
        // 财务 records last month's receipt and confirms it (flow 财务确认): the ledger gets the receipt credit.
        let receipt = try crm.write("receipt.lua", """
            local p = crm.finance.record_payment{ order = \(order), amount_fen = 10000000, received_on = "\(last)-20" }
            crm.approvals.approve(crm.approvals.history("payment", p.id)[1].id, "已到账")
            print("receipts", crm.count("commission_credit", { order = \(order), base = "receipt" }))
            """)
        let received = try crm.run(["run", receipt, "--as", "zhaomin"])
        #expect(received.status == 0 && received.stdout.contains("receipts\t1"), "\(received.stdout) \(received.stderr)")

        let refused = try crm.run(["payroll", "run", last, "--as", "lina"])
        #expect(refused.status != 0 && !refused.stderr.isEmpty, "a rep cannot run payroll")
        let run = try crm.run(["payroll", "run", last, "--as", "zhaomin"])
        #expect(run.status == 0 && run.stdout.contains("核算完成"), "\(run.stderr)")

        let check = try crm.write("check.lua", """
            local s = crm.find("payslip", { user = \(lina), period = "\(last)" })[1]
            print("commission", s.commission)
            print("figures", s.ytd_income, s.ytd_deductions, s.ytd_taxable, s.ytd_tax, s.tax_withheld_before, s.tax, s.tax_months)
            local lines = crm.payroll.explain(s.id)
            print("explain", #lines > 5, table.concat(lines, "|"):find("累计应纳税所得额") ~= nil)
            local r = crm.find("payroll_run", { period = "\(last)" })[1]
            crm.payroll.submit(r.id)
            crm.approvals.approve(crm.approvals.history("payroll_run", r.id)[1].id, "同意")
            crm.payroll.pay(r.id)
            print("run", crm.get("payroll_run", r.id).status)
            -- A partial refund this month (财务 then 总经理 approve it) claws back last month's commission.
            local refund = crm.finance.record_payment{ order = \(order), kind = "refund", amount_fen = 2000000, received_on = "\(today)" }
            print("slip", s.id)
            print("refund", refund.id)
            """)
        let checked = try crm.run(["run", check])
        #expect(checked.status == 0, "\(checked.stderr)")
        let refund = try #require(checked.stdout.split(separator: "\n").first { $0.hasPrefix("refund\t") }).split(separator: "\t")[1]
        let approve = try crm.write("approve.lua", "crm.approvals.approve(crm.approvals.history('payment', \(refund))[1].id, '同意退款')")
        for who in ["zhaomin", "admin"] {
            let decided = try crm.run(["run", approve, "--as", who])
            #expect(decided.status == 0, "\(who): \(decided.stderr)")
        }
        let claw = try crm.write("claw.lua", """
            print("refunds", crm.count("commission_credit", { order = \(order), kind = "refund" }))
            local sim = crm.payroll.simulate(\(lina), "\(this)")
            local claw = 0
            for _, l in ipairs(sim.lines) do if l.clawback then claw = claw + l.amount end end
            print("clawback", claw < 0, table.concat(crm.payroll.explain(\(lina), "\(this)"), "|"):find("追回") ~= nil)
            """)
        let clawed = try crm.run(["run", claw])
        #expect(clawed.status == 0, "\(clawed.stderr)")
        let c = checked.stdout.split(separator: "\n").map(String.init) + clawed.stdout.split(separator: "\n").map(String.init)
        let commission = try #require(c.first { $0.hasPrefix("commission\t") }.flatMap { Decimal(string: String($0.split(separator: "\t")[1])) })
        #expect(commission >= 2_000, "the 100,000 receipt earns at least 2 % under the tiered 回款 plan: \(commission)")
        // The cumulative method from the payslip's own figures: taxable = income − deductions;
        // tax due by the seven-bracket table; this month = due − withheld before.
        let f = try #require(c.first { $0.hasPrefix("figures\t") }).split(separator: "\t").dropFirst().map { Decimal(string: String($0))! }
        let (income, deductions, taxable, due, before, tax) = (f[0], f[1], f[2], f[3], f[4], f[5])
        #expect(taxable == max(0, income - deductions))
        let brackets: [(Decimal, Decimal, Decimal)] = [(0, 3, 0), (36_000, 10, 2_520), (144_000, 20, 16_920), (300_000, 25, 31_920),
                                                        (420_000, 30, 52_920), (660_000, 35, 85_920), (960_000, 45, 181_920)]
        let b = brackets.last { taxable > $0.0 } ?? brackets[0]
        var exact = taxable * b.1 / 100 - b.2, rounded = Decimal()
        NSDecimalRound(&rounded, &exact, 2, .plain)
        #expect(due == max(0, rounded), "累计应纳税额 \(due) vs \(rounded)")
        #expect(tax == max(0, due - before))
        #expect(c.contains("explain\ttrue\ttrue") && c.contains("run\t已发放") && c.contains("refunds\t1") && c.contains("clawback\ttrue\ttrue"), "\(c)")
        let slip = try #require(c.first { $0.hasPrefix("slip\t") }).split(separator: "\t")[1]

        // A second rep sees only their own payslip: in the console ...
        let peek = try crm.write("peek.lua", """
            print("visible", crm.count("payslip", { user = \(lina) }))
            print("get", crm.get("payslip", \(slip)) == nil)
            print("own", crm.count("payslip", {}) == crm.count("payslip", { user = crm.user().id }))
            """)
        let peeked = try crm.run(["run", peek, "--as", "wangqiang"])
        #expect(peeked.status == 0 && peeked.stdout.contains("visible\t0") && peeked.stdout.contains("get\ttrue") && peeked.stdout.contains("own\ttrue"),
                "\(peeked.stdout) \(peeked.stderr)")
        // ... and over HTTP.
        let token = try crm.run(["token", "create", "wangqiang"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try ServerProcess(crm)
        defer { server.stop() }
        let theirs = try await server.call("GET", "/api/v1/records/payslip/\(slip)", token: token)
        #expect(theirs.status == 404, "\(theirs.text)")
        let own = try await server.call("GET", "/api/v1/records/payslip?limit=200", token: token)
        #expect(own.status == 200 && !own.data.isEmpty && own.data.allSatisfy { ($0["user"] as? Int).map(String.init) != lina }, "\(own.text)")
    }
}
