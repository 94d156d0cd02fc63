import Foundation
import Testing

/// The finance issue's "Done when" through the real `crm` binary on a demo workspace, as a 销售专员
/// (lina), her manager (zhangwei) and a 财务 (zhaomin): a 30/60/10 plan for an approved order, a
/// partial receipt (部分回款 and the order's collection %), another installment 已逾期 by moving the
/// as-of date, an invoice requested, issued and reversed by a 红字 one, an expense claimed and
/// approved, and aging and 回款-vs-target reports whose totals equal the sums of their rows.
struct FinanceCLITests {
    @Test func theDoneWhenWalkThroughAsARepAndFinance() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init", "--demo"]).status == 0)
        func run(_ name: String, as user: String, _ lua: String) throws -> [String] {
            let out = try crm.run(["run", try crm.write(name, lua), "--as", user])
            #expect(out.status == 0, "\(name): \(out.stderr)")
            return out.stdout.split(separator: "\n").map(String.init)
        }
        let approveAll = """
            for _, p in ipairs(crm.approvals.pending()) do crm.approvals.approve(p.id, "同意") print("approved", p.entity) end
            """
        // The rep's approved order (the stock flow adds no step for a plain order).
        let made = try run("order.lua", as: "lina", """
            local c = crm.find("customer", {})[1]
            local o = crm.orders.save_order{ customer = c.id, title = "财务验收合同", payment_terms = "30 % 定金, 60 % 验收后, 10 % 质保金 12 个月后",
              lines = { { description = "实施服务", quantity = "1", sales_price = "10000", tax_rate = "6" } } }
            o = crm.orders.submit(o.id)
            print("order", o.id, o.status)
            """)
        let order = try #require(made.first { $0.hasPrefix("order\t") }?.split(separator: "\t").dropFirst().first.map(String.init))
        if made.contains(where: { $0.hasSuffix("审批中") }) {
            _ = try run("approve-order-m.lua", as: "zhangwei", approveAll)
            _ = try run("approve-order-f.lua", as: "zhaomin", approveAll)
        }
        let plans = try run("plans.lua", as: "lina", """
            local plans = crm.finance.generate_plans(\(order))
            for _, p in ipairs(crm.finance.plans(\(order))) do print("plan", p.seq, p.amount_fen, p.status) end
            local r = crm.finance.record_payment{ order = \(order), amount_fen = 500000, received_on = crm.now():sub(1, 10), method = "银行转账" }
            print("receipt", r.status)
            """)
        #expect(plans.contains("plan\t1\t300000\t待回款") && plans.contains("plan\t2\t600000\t待回款") && plans.contains("plan\t3\t100000\t待回款"), "\(plans)")
        #expect(plans.contains("receipt\t审批中"))
        #expect(try run("approve-receipt.lua", as: "zhaomin", approveAll).contains("approved\tpayment"))
        let status = try run("status.lua", as: "lina", """
            local f = crm.finance.order_figures(\(order))
            print("figures", f.received_fen, f.outstanding_fen, f.percent)
            for _, p in ipairs(crm.finance.plans(\(order))) do print("now", p.seq, p.status) end
            local later = crm.finance.plans(\(order), "2099-01-01")
            print("later", later[2].status, later[3].status)
            local inv = crm.finance.request_invoice{ customer = crm.get("order", \(order)).customer, order = \(order), type = "增值税专用发票",
              amount_fen = 500000, tax_rate = 6, title_kind = "企业", title = "验收测试有限公司", tax_no = "91440300MA5D12345X" }
            print("invoice", inv.id, inv.status)
            local e = crm.finance.claim_expense{ title = "客户拜访", lines = { { category = "交通", amount_fen = 12800 }, { category = "餐饮", amount = "56.50" } } }
            print("expense", e.id, e.status, e.total)
            """)
        #expect(status.contains("figures\t500000\t500000\t50.00"), "\(status)")
        #expect(status.contains("now\t1\t已回款") && status.contains("now\t2\t部分回款") && status.contains("now\t3\t待回款"))
        #expect(status.contains("later\t已逾期\t已逾期"), "moving the as-of date makes them overdue")
        let invoice = try #require(status.first { $0.hasPrefix("invoice\t") }?.split(separator: "\t")[1])
        let expense = try #require(status.first { $0.hasPrefix("expense\t") }?.split(separator: "\t")[1])
        _ = try run("approve-expense-m.lua", as: "zhangwei", approveAll)
        _ = try run("approve-f.lua", as: "zhaomin", approveAll)
        let finance = try run("finance.lua", as: "zhaomin", """
            local i = crm.finance.issue_invoice(\(invoice), { invoice_no = "26449999" })
            print("issued", i.status, i.invoice_no)
            local ok, err = pcall(crm.update, "invoice", \(invoice), { amount = "1.00" })
            print("locked", ok)
            local red = crm.finance.reverse_invoice(\(invoice), { invoice_no = "26449998", reason = "抬头有误" })
            print("red", red.red, crm.get("invoice", \(invoice)).status)
            local e = crm.finance.pay_expense(\(expense), { account = crm.find("fund_account", {})[1].id })
            print("paid", e.status)
            local aging = crm.finance.aging{ by = "rep" }
            local sum = 0
            for _, row in ipairs(aging.rows) do sum = sum + row.total_fen end
            local buckets = 0
            for _, t in ipairs(aging.totals) do buckets = buckets + t end
            print("aging", #aging.rows > 0, sum == aging.total_fen, buckets == aging.total_fen)
            local month = crm.now():sub(1, 7)
            local r = crm.finance.collection_report{ from = month, to = month, by = "rep" }
            local got, target = 0, 0
            for _, row in ipairs(r.rows) do got = got + row.received_fen target = target + row.target_fen end
            print("collection", got == r.received_fen, target == r.target_fen, r.target_fen > 0)
            """)
        #expect(finance.contains("issued\t已开票\t26449999"), "\(finance)")
        #expect(finance.contains("locked\tfalse"))
        #expect(finance.contains("red\ttrue\t已红冲"))
        #expect(finance.contains("paid\t已支付"))
        #expect(finance.contains("aging\ttrue\ttrue\ttrue"))
        #expect(finance.contains("collection\ttrue\ttrue\ttrue"))
        let jobs = try crm.run(["jobs", "run", "finance.due_reminders"])
        #expect(jobs.status == 0 && jobs.stdout.contains("reminder(s) sent"), "\(jobs.stdout) \(jobs.stderr)")
    }
}
