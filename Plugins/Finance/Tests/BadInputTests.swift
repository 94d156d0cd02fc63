import CRMKernel
@testable import CRMFinance
@testable import CRMOrders
import Foundation
import Testing

/// The "Bad input": each refused with an error naming the field, nothing written.
struct BadInputTests {
    func count(_ f: FinanceFixture, _ entity: String) throws -> Int { try f.store.read { try $0.count(entity) } }

    @Test func receiptsOverTheOutstandingAgainstUnapprovedOrVoidOrdersOrTooFarAheadAreRefused() throws {
        let f = try FinanceFixture()
        let order = try f.order(yuan: 1_000)
        let draft = try f.order(yuan: 1_000, approve: false)
        let before = try count(f, "payment")
        let over = try f.fail("crm.finance.record_payment{ order = \(order), amount_fen = 100001, received_on = '\(f.today)' }", as: "rep")
        #expect(over.contains("amount") && over.contains("未回款"), "\(over)")
        let unapproved = try f.fail("crm.finance.record_payment{ order = \(draft), amount_fen = 100, received_on = '\(f.today)' }", as: "rep")
        #expect(unapproved.contains("order"), "\(unapproved)")
        let future = try f.fail("crm.finance.record_payment{ order = \(order), amount_fen = 100, received_on = '\(f.day(3))' }", as: "rep")
        #expect(future.contains("received_on"), "\(future)")
        // A company rule allows receipts dated a few days ahead.
        try f.companyRules("crm.finance.rules{ future_days = 5 }")
        let ahead = try f.run("return crm.finance.record_payment{ order = \(order), amount_fen = 100, received_on = '\(f.day(3))', submit = false }.status", as: "rep")
        #expect(ahead == "草稿")
        try f.run("crm.delete('payment', crm.find('payment', {})[1].id)", as: "rep")
        let method = try f.fail("crm.finance.record_payment{ order = \(order), amount_fen = 100, received_on = '\(f.today)', method = '比特币' }", as: "rep")
        #expect(method.contains("method"), "\(method)")
        _ = try f.store.write(as: .system) { tx in try OrderWorkflow.void(tx, order, reason: "客户取消") }
        let void = try f.fail("crm.finance.record_payment{ order = \(order), amount_fen = 100, received_on = '\(f.today)' }", as: "rep")
        #expect(void.contains("作废"), "\(void)")
        #expect(try count(f, "payment") == before)
    }

    @Test func planSetsThatDoNotAddUpAreRefused() throws {
        let f = try FinanceFixture()
        let order = try f.order(yuan: 1_000)
        let short = try f.fail("crm.finance.generate_plans(\(order), { terms = '30 % 定金, 60 % 验收后' })", as: "rep")
        #expect(short.contains("payment_terms") && short.contains("90.00"), "\(short)")
        let noPercent = try f.fail("crm.finance.generate_plans(\(order), { terms = '货到付款' })", as: "rep")
        #expect(noPercent.contains("payment_terms"), "\(noPercent)")
        let over = try f.fail("crm.finance.set_plans(\(order), { { due_date = '\(f.today)', amount_fen = 60000 }, { due_date = '\(f.day(30))', amount_fen = 40001 } })", as: "rep")
        #expect(over.contains("amount") && over.contains("超过订单总额"), "\(over)")
        #expect(try count(f, "payment_plan") == 0)
        try f.run("crm.finance.set_plans(\(order), { { due_date = '\(f.today)', amount_fen = 60000 }, { due_date = '\(f.day(30))', amount = '400.00' } })", as: "rep")
        #expect(try count(f, "payment_plan") == 2)
    }

    @Test func anIssuedInvoiceCannotChangeAndAnExpenseLineNeedsAnAmount() throws {
        let f = try FinanceFixture()
        let order = try f.order(yuan: 1_000)
        let id = try f.run("return crm.finance.request_invoice{ customer = \(f.customer), order = \(order), type = '增值税专用发票', amount_fen = 100000, tax_rate = 13, title_kind = '企业', title = '深圳华信科技有限公司', tax_no = '91440300MA5DXXXX1' }.id", as: "rep")
        try f.run("crm.approvals.approve(crm.approvals.pending()[1].id, 'ok')", as: "cw")
        try f.run("crm.finance.issue_invoice(\(id), { invoice_no = '26440001' })", as: "cw")
        let change = try f.fail("crm.update('invoice', \(id), { notes = '改一下' })", as: "cw")
        #expect(change.contains("notes") && change.contains("红字"), "\(change)")
        #expect(try f.get("invoice", Int64(id)!)["notes"].isEmpty)
        let before = try count(f, "expense")
        let noAmount = try f.fail("crm.finance.claim_expense{ title = '差旅', lines = { { category = '交通', date = '\(f.today)' } } }", as: "rep")
        #expect(noAmount.contains("amount"), "\(noAmount)")
        let zero = try f.fail("crm.finance.claim_expense{ title = '差旅', lines = { { category = '交通', amount_fen = 0 } } }", as: "rep")
        #expect(zero.contains("lines[1].amount"), "\(zero)")
        #expect(try count(f, "expense") == before && count(f, "expense_line") == 0)
    }

    @Test func moneyNeverCrossesIntoLuaAsAFloat() throws {
        let f = try FinanceFixture()
        let order = try f.order(yuan: Decimal(string: "0.30")!)
        try f.run("crm.finance.generate_plans(\(order), { terms = '33.33 % 首付, 33.33 % 二期, 33.34 % 尾款' })", as: "rep")
        #expect(try f.run("local t = {} for _, p in ipairs(crm.finance.plans(\(order))) do t[#t+1] = math.type(p.amount_fen) .. p.amount_fen end return table.concat(t, ' ')", as: "rep")
                == "integer9 integer9 integer12")
        #expect(try f.run("return math.type(crm.finance.order_figures(\(order)).total_fen)", as: "rep") == "integer")
    }
}

