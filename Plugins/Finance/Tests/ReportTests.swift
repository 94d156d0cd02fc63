import CRMKernel
@testable import CRMFinance
import Foundation
import Testing

/// Aging as of a day, 回款 against targets, income and expense, the due/overdue reminders.
struct ReportTests {
    @Test func agingBucketsOpenInstallmentsAsOfADayAndTotalsEqualTheRows() throws {
        let f = try FinanceFixture()
        let order = try f.order(yuan: 1_000)
        try f.run("crm.finance.set_plans(\(order), { { due_date = '\(f.day(-45))', amount_fen = 30000 }, { due_date = '\(f.day(-5))', amount_fen = 50000 }, { due_date = '\(f.day(10))', amount_fen = 20000 } })", as: "cw")
        try f.run("crm.finance.record_payment{ order = \(order), amount_fen = 10000, received_on = '\(f.today)' }", as: "cw")
        try f.run("crm.approvals.approve(crm.approvals.pending()[1].id, 'ok')", as: "cw")
        let now = try f.run("local r = crm.finance.aging{ by = 'customer' } return r.rows[1].buckets[1] .. ' ' .. r.rows[1].buckets[2] .. ' ' .. r.rows[1].buckets[3] .. ' ' .. r.total_fen", as: "cw")
        #expect(now == "20000 50000 20000 90000", "the receipt paid the oldest first")
        let earlier = try f.run("local r = crm.finance.aging{ as_of = '\(f.day(-1))', by = 'rep' } return r.rows[1].label .. ' ' .. r.rows[1].buckets[2] .. ' ' .. r.rows[1].buckets[3] .. ' ' .. r.total_fen", as: "cw")
        #expect(earlier == "rep 50000 30000 100000", "a receipt after the as-of day is ignored")
        let later = try f.run("local r = crm.finance.aging{ as_of = '\(f.day(30))' } return r.buckets[3] .. ' ' .. r.totals[2] .. ' ' .. r.totals[3] .. ' ' .. r.totals[4]", as: "cw")
        #expect(later == "31-60 20000 50000 20000")
        #expect(try f.run("return #crm.finance.aging_installments{ by = 'customer', key = \(f.customer) }", as: "cw") == "3")
        #expect(try f.run("return crm.finance.aging{ by = 'rep', owner = \(f.rep.id ?? 0) }.total_fen", as: "rep") == "90000")
        try f.companyRules("crm.finance.rules{ aging_buckets = { 7, 90 } }")
        #expect(try f.run("local r = crm.finance.aging{} return table.concat(r.buckets, ',') .. ' ' .. r.totals[2] .. ' ' .. r.totals[3]", as: "cw") == "未到期,1-7,8-90,90+ 50000 20000")
        #expect(try f.fail("crm.finance.aging{ by = 'planet' }", as: "cw").contains("by"))
    }

    @Test func collectionAgainstTargetsAndIncomeAndExpenseMatchTheLedger() throws {
        let f = try FinanceFixture()
        let order = try f.order(yuan: 1_000)
        let month = String(f.today.prefix(7))
        try f.run("crm.create('sales_target', { user = \(f.rep.id ?? 0), period = '\(month)', kind = '回款', amount = '800.00' })", as: "admin")
        try f.run("crm.create('sales_target', { user = \(f.rep.id ?? 0), period = '\(month)', amount = '5000.00' })", as: "admin")
        let account = try f.run("return crm.create('fund_account', { name = '基本户', opening_balance = '0' }).id", as: "cw")
        try f.run("crm.finance.record_payment{ order = \(order), amount_fen = 60000, received_on = '\(f.today)', account = \(account) }", as: "cw")
        try f.run("crm.approvals.approve(crm.approvals.pending()[1].id, 'ok')", as: "cw")
        let report = try f.run("local r = crm.finance.collection_report{ from = '\(month)', to = '\(month)' } local s = 0 for _, row in ipairs(r.rows) do s = s + row.received_fen end return r.rows[1].key .. ' ' .. r.rows[1].target_fen .. ' ' .. r.received_fen .. ' ' .. s .. ' ' .. r.rate", as: "cw")
        #expect(report == "\(month) 80000 60000 60000 75.00", "only 回款 targets count")
        #expect(try f.run("return crm.finance.collection_report{ from = '\(month)', to = '\(month)', by = 'rep' }.rows[1].label", as: "cw") == "rep")
        let io = try f.run("local r = crm.finance.income_expense{ from = '\(f.day(-1))', to = '\(f.today)' } return r[1].category .. ' ' .. r[1].in_fen", as: "cw")
        #expect(io == "回款 60000")
        #expect(try f.run("return crm.finance.balances{}[1].closing_fen", as: "cw") == "60000")
        #expect(try f.fail("crm.finance.collection_report{ from = '2026-13', to = '2026-12' }", as: "cw").contains("from"))
    }

    @Test func dueAndOverdueRemindersAreSentOnce() throws {
        let f = try FinanceFixture()
        let order = try f.order(yuan: 1_000)
        try f.run("crm.finance.set_plans(\(order), { { due_date = '\(f.day(-2))', amount_fen = 50000 }, { due_date = '\(f.day(2))', amount_fen = 30000, remind_days = 3 }, { due_date = '\(f.day(20))', amount_fen = 20000 } })", as: "cw")
        #expect(try f.run("return crm.finance.send_reminders()", as: "admin") == "2")
        #expect(try f.run("return crm.finance.send_reminders()", as: "admin") == "0", "deduplicated")
        #expect(try f.run("local n = 0 for _, x in ipairs(crm.notifications()) do if x.kind:match('^payment_plan') then n = n + 1 end end return n", as: "rep") == "2")
    }
}
