import CRMKernel
@testable import CRMFinance
import Foundation
import Testing

/// Invoices (title profiles, approval, issue, 红字) and expense claims (approval, payment, advances).
struct DocumentTests {
    @Test func anInvoiceIsRequestedApprovedIssuedAndReversedWithARedOne() throws {
        let f = try FinanceFixture()
        let order = try f.order(yuan: 1_130)
        let first = try f.run("return crm.finance.request_invoice{ customer = \(f.customer), order = \(order), type = '增值税专用发票', amount_fen = 113000, tax_rate = 13, title_kind = '企业', title = '深圳华信科技有限公司', tax_no = '91440300MA5D00001', bank = '中国银行', bank_account = '744100001' }.id", as: "rep")
        let invoice = try f.get("invoice", Int64(first)!)
        #expect(invoice["status"] == .text("审批中") && FinanceMoney.fen(invoice["tax"]) == 13_000 && FinanceMoney.fen(invoice["net"]) == 100_000)
        #expect(try f.fail("crm.finance.issue_invoice(\(first), { invoice_no = '1' })", as: "rep").isEmpty == false, "a rep cannot issue")
        #expect(try f.fail("crm.approvals.approve(crm.approvals.history('invoice', \(first))[1].id, 'ok')", as: "rep").isEmpty == false, "nor approve")
        try f.run("crm.approvals.approve(crm.approvals.pending()[1].id, 'ok')", as: "cw")
        #expect(try f.fail("crm.finance.issue_invoice(\(first), { })", as: "cw").contains("invoice_no"))
        try f.run("crm.finance.issue_invoice(\(first), { invoice_no = '26440001', date = '\(f.today)' })", as: "cw")
        #expect(try f.run("return crm.finance.order_figures(\(order)).invoiced_fen", as: "rep") == "113000")
        // The saved title profile is reused by the next request.
        let second = try f.run("return crm.finance.request_invoice{ customer = \(f.customer), type = '电子发票', amount_fen = 1000, tax_rate = 6, submit = false }", as: "rep")
        #expect(second.isEmpty == false)
        #expect(try f.run("local i = crm.find('invoice', { status = '草稿' })[1] return i.tax_no .. ' ' .. i.title", as: "rep") == "91440300MA5D00001 深圳华信科技有限公司")
        let red = try f.run("return crm.finance.reverse_invoice(\(first), { invoice_no = '26440002', reason = '抬头有误' }).id", as: "cw")
        let redInvoice = try f.get("invoice", Int64(red)!)
        #expect(redInvoice["red"] == .bool(true) && FinanceMoney.fen(redInvoice["amount"]) == -113_000 && FinanceMoney.fen(redInvoice["tax"]) == -13_000)
        #expect(try f.get("invoice", Int64(first)!)["status"] == .text("已红冲"))
        #expect(try f.run("return crm.finance.order_figures(\(order)).invoiced_fen", as: "rep") == "0")
        #expect(try f.fail("crm.finance.reverse_invoice(\(first), { invoice_no = '3', reason = 'again' })", as: "cw").isEmpty == false)
        #expect(try f.store.outbox(after: 0, limit: 10_000).filter { $0.event == "invoice.issued" }.count == 2)
    }

    @Test func aClaimIsApprovedByManagerAndFinanceAndPaidOffsettingAnAdvance() throws {
        let f = try FinanceFixture()
        let account = try f.run("return crm.create('fund_account', { name = '基本户', kind = '银行', opening_balance = '10000.00' }).id", as: "cw")
        let advance = try f.run("return crm.finance.claim_expense{ title = '出差借款', kind = '借款', lines = { { category = '交通', amount_fen = 50000 } } }.id", as: "rep")
        try f.run("crm.approvals.approve(crm.approvals.pending()[1].id, 'ok')", as: "boss_zhang")
        try f.run("crm.approvals.approve(crm.approvals.pending()[1].id, 'ok')", as: "cw")
        try f.run("crm.finance.pay_expense(\(advance), { account = \(account) })", as: "cw")
        #expect(try f.run("return crm.finance.open_advances(\(f.rep.id ?? 0))", as: "cw") == "50000")
        let claim = try f.run("return crm.finance.claim_expense{ title = '差旅报销', customer = \(f.customer), lines = { { category = '交通', amount_fen = 30000, date = '\(f.today)' }, { category = '住宿', amount = '450.00' } } }.id", as: "rep")
        #expect(FinanceMoney.fen(try f.get("expense", Int64(claim)!)["total"]) == 75_000)
        #expect(try f.fail("crm.finance.pay_expense(\(claim), { account = \(account) })", as: "cw").contains("status"), "not approved yet")
        try f.run("crm.approvals.approve(crm.approvals.pending()[1].id, 'ok')", as: "boss_zhang")
        try f.run("crm.approvals.approve(crm.approvals.pending()[1].id, 'ok')", as: "cw")
        #expect(try f.fail("crm.finance.pay_expense(\(claim), { account = \(account) })", as: "rep").isEmpty == false, "a rep cannot pay")
        let paid = try f.get("expense", Int64(try f.run("return crm.finance.pay_expense(\(claim), { account = \(account) }).id", as: "cw"))!)
        #expect(FinanceMoney.fen(paid["offset"]) == 50_000 && FinanceMoney.fen(paid["payable"]) == 25_000 && paid["status"] == .text("已支付"))
        #expect(try f.run("return crm.finance.open_advances(\(f.rep.id ?? 0))", as: "cw") == "0")
        #expect(try f.run("return crm.finance.balances{}[1].closing_fen", as: "cw") == String(1_000_000 - 50_000 - 25_000))
        let ledger = try f.run("local l = crm.finance.ledger(\(account), {}) return #l .. ' ' .. l[#l].balance_fen", as: "cw")
        #expect(ledger == "4 925000", "advance, two categories and the offset")
        #expect(try f.run("return crm.finance.expenses_by_customer{ from = '\(f.day(-1))', to = '\(f.day(1))' }[1].amount_fen", as: "cw") == "75000")
        #expect(try f.store.outbox(after: 0, limit: 10_000).filter { $0.event == "expense.paid" }.count == 2)
    }
}
