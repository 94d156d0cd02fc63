import CRMKernel
import CRMOrders
import Foundation

/// Demo data: fund accounts, installments on the approved orders in every derived state (paid,
/// partly paid, overdue, pending, void), receipts (approved, one waiting for 财务, a refund),
/// invoices (issued, reversed by a 红字 one, a request waiting), expense claims (an advance, a
/// paid claim offsetting it, one waiting) and 回款 targets for this month.
enum FinanceDemo {
    static func seed(_ tx: WriteContext, _ demo: inout DemoContext) throws {
        let today = try OrderActions.today(tx.reader)
        func day(_ offset: Int) -> String { FinanceDates.adding(months: 0, days: offset, to: today) ?? today }
        let bank = try tx.create("fund_account", ["name": .text("招商银行基本户"), "kind": .text("银行"), "bank": .text("招商银行深圳分行"),
                                                  "account_no": .text("755912345610801"), "opening_balance": FinanceMoney.value(50_000_000),
                                                  "opening_date": .text(day(-120))])
        _ = try tx.create("fund_account", ["name": .text("现金"), "kind": .text("现金"), "opening_balance": FinanceMoney.value(2_000_000), "opening_date": .text(day(-120))])
        _ = try tx.create("fund_account", ["name": .text("支付宝"), "kind": .text("支付宝"), "opening_balance": FinanceMoney.value(0), "opening_date": .text(day(-120))])
        let statuses = FinanceScriptFunctions.countedOrderStatuses(tx.schema)
        let orders = try tx.reader.find(Query("order", filter: .condition(field: "status", op: .in, value: .list(statuses)),
                                              sort: [SortKey("id")], limit: 20)).records.filter { FinanceMoney.fen($0["total"]) > 0 }
        // (due offsets of the three installments, fen received per installment as a share in ‰ of it)
        let shapes: [(dues: [Int], paid: [Int])] = [([-90, -20, 40], [1000, 500, 0]), ([-10, 15, 200], [0, 400, 0]), ([-60, -30, 300], [1000, 1000, 0])]
        for (index, order) in orders.prefix(shapes.count).enumerated() {
            let shape = shapes[index], total = FinanceMoney.fen(order["total"])
            let shares = [total * 30 / 100, total * 60 / 100, total - total * 30 / 100 - total * 60 / 100]
            let names = ["定金", "验收款", "质保金"]
            let plans = try PlanGeneration.set(tx, order: order.id, items: (0..<3).map { k in
                ["name": .text(names[k]), "due_date": .text(day(shape.dues[k])), "amount": FinanceMoney.value(shares[k]),
                 "percent": .decimal(Decimal([30, 60, 10][k])), "method": .text("银行转账"), "remind_days": .integer(5)]
            })
            for (k, plan) in plans.enumerated() where shape.paid[k] > 0 {
                let amount = shares[k] * Int64(shape.paid[k]) / 1000
                try? receipt(tx, order: order, plan: plan.id, amount: amount, on: day(min(shape.dues[k] + 3, 0)), account: bank.id, approve: true)
            }
        }
        if let order = orders.dropFirst(shapes.count).first {
            // Plans from the payment terms by the stock policy, one receipt waiting for 财务.
            if (try? tx.isolated({ try PlanGeneration.generate(tx, order: order.id, terms: "30 % 定金, 60 % 验收后, 10 % 质保金 12 个月后", remindDays: 3, replace: true) })) != nil {
                try? receipt(tx, order: order, plan: nil, amount: FinanceMoney.fen(order["total"]) / 5, on: day(0), account: bank.id, approve: false)
            }
        }
        if let order = orders.first {
            try? tx.isolated {
                let payment = try tx.create("payment", ["order": .integer(order.id), "kind": .text("refund"), "amount": FinanceMoney.value(-100_000),
                                                        "received_on": .text(day(-1)), "method": .text("银行转账"), "account": .integer(bank.id), "notes": .text("多付退回")])
                try PaymentApprovals.approved(tx, payment)
            }
        }
        // A void order's installment shows 作废.
        let settings = OrderSettings.current(tx.schema)
        if let void = try tx.reader.find(Query("order", filter: .eq("status", .text(settings.status("void"))), limit: 1)).records.first,
           FinanceMoney.fen(void["total"]) > 0 {
            _ = try? tx.isolated { try tx.create("payment_plan", ["order": .integer(void.id), "name": .text("首付款"), "due_date": .text(day(-5)),
                                                                  "amount": FinanceMoney.value(FinanceMoney.fen(void["total"]) / 2)]) }
        }
        try invoices(tx, orders: orders, day: day)
        try expenses(tx, demo: demo, account: bank.id, day: day)
        for rep in demo.users(withRole: "sales_rep") {
            _ = try? tx.isolated { try tx.create("sales_target", ["user": .integer(rep), "period": .text(String(today.prefix(7))), "kind": .text("回款"),
                                                                  "amount": FinanceMoney.value(30_000_000)]) }
        }
    }

    /// A receipt, approved directly (demo history) or submitted to the approval flow.
    private static func receipt(_ tx: WriteContext, order: Record, plan: Int64?, amount: Int64, on day: String, account: Int64, approve: Bool) throws {
        try tx.isolated {
            var values: [String: Value] = ["order": .integer(order.id), "amount": FinanceMoney.value(amount), "received_on": .text(day),
                                           "method": .text("银行转账"), "account": .integer(account), "payer": order["title"]]
            if let plan { values["plan"] = .integer(plan) }
            let payment = try tx.create("payment", values)
            if approve { try PaymentApprovals.approved(tx, payment) } else { _ = try Approvals.submit("payment", payment.id, in: tx) }
        }
    }

    private static func invoices(_ tx: WriteContext, orders: [Record], day: (Int) -> String) throws {
        for (index, order) in orders.prefix(3).enumerated() {
            try? tx.isolated {
                let invoice = try tx.create("invoice", ["customer": order["customer"], "order": .integer(order.id), "type": .text(InvoiceStatus.types[index % 3]),
                                                        "amount": FinanceMoney.value(FinanceMoney.fen(order["total"]) * 3 / 10), "tax_rate": .decimal(13),
                                                        "title_kind": .text("企业"), "title": .text("客户\(order["customer"])有限公司"),
                                                        "tax_no": .text("91440300MA5D\(String(format: "%06d", order.id))"), "bank": .text("中国银行"),
                                                        "bank_account": .text("7441\(String(format: "%08d", order.id))"), "owner": order["owner"]])
                if index == 2 { _ = try Approvals.submit("invoice", invoice.id, in: tx); return }
                _ = try tx.update("invoice", invoice.id, ["status": .text(InvoiceStatus.approved)])
                _ = try InvoiceActions.issue(tx, invoice.id, invoiceNo: String(format: "2644%08d", 1000 + index), date: day(-15 + index))
                if index == 1 {
                    _ = try InvoiceActions.reverse(tx, invoice.id, invoiceNo: String(format: "2644%08d", 2000 + index), date: day(-2), reason: "抬头有误")
                }
            }
        }
    }

    private static func expenses(_ tx: WriteContext, demo: DemoContext, account: Int64, day: (Int) -> String) throws {
        guard let rep = demo.users(withRole: "sales_rep").first else { return }
        let customer = try tx.reader.find(Query("customer", filter: .eq("owner", .integer(rep)), limit: 1)).records.first
        func claim(_ kind: String, _ title: String, _ lines: [(String, Int64)], pay: Bool) {
            try? tx.isolated {
                let expense = try tx.create("expense", ["title": .text(title), "kind": .text(kind), "owner": .integer(rep), "customer": customer.map { .integer($0.id) } ?? .null])
                for (k, line) in lines.enumerated() {
                    _ = try tx.create("expense_line", ["expense": .integer(expense.id), "category": .text(line.0), "amount": FinanceMoney.value(line.1),
                                                       "date": .text(day(-20 + k)), "customer": customer.map { .integer($0.id) } ?? .null, "owner": .integer(rep)])
                }
                if pay {
                    _ = try tx.update("expense", expense.id, ["status": .text(ExpenseStatus.approved)])
                    _ = try ExpenseActions.pay(tx, expense.id, account: account, date: day(kind == "借款" ? -25 : -5))
                } else {
                    _ = try Approvals.submit("expense", expense.id, in: tx)
                }
            }
        }
        claim("借款", "华南客户拜访差旅借款", [("交通", 300_000)], pay: true)
        claim("报销", "拜访客户差旅费", [("交通", 128_000), ("住宿", 96_000), ("餐饮", 23_450)], pay: true)
        claim("报销", "客户招待", [("招待", 158_800)], pay: false)
    }
}
