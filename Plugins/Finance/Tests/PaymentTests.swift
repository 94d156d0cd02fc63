import CRMKernel
@testable import CRMFinance
import Foundation
import Testing

/// Plans from payment terms, receipts through 财务's approval, allocation, derived status,
/// refunds and reversals, and the `payment.*` events other modules build on.
struct PaymentTests {
    /// The payload of the last outbox event named `name`, decoded.
    static func lastEvent(_ f: FinanceFixture, _ name: String) throws -> [String: Any] {
        let entry = try #require(try f.store.outbox(after: 0, limit: 10_000).last { $0.event == name })
        let json = try #require(try JSONSerialization.jsonObject(with: Data(entry.payload.utf8)) as? [String: Any])
        return try #require(json["record"] as? [String: Any])
    }

    @Test func termsBecomeInstallmentsAndTheLastTakesTheRemainder() throws {
        let f = try FinanceFixture()
        let order = try f.order(yuan: Decimal(string: "10000.01")!)
        try f.run("crm.finance.generate_plans(\(order))", as: "rep")
        #expect(try f.run("local t = {} for _, p in ipairs(crm.finance.plans(\(order))) do t[#t+1] = p.name .. '=' .. p.amount_fen .. ':' .. p.status end return table.concat(t, ' ')", as: "rep")
                == "定金=300000:待回款 验收后=600000:待回款 质保金=100001:待回款")
        let signed = try f.get("order", order)["signed_date"].textValue ?? ""
        #expect(try f.run("return crm.finance.plans(\(order))[3].due_date", as: "rep") == FinanceDates.adding(months: 12, days: 0, to: signed))
    }

    @Test func aReceiptApprovedByFinanceIsAllocatedCountedAndPublished() throws {
        let f = try FinanceFixture()
        let order = try f.order(yuan: 10_000)
        try f.run("crm.finance.generate_plans(\(order))", as: "rep")
        let first = try f.run("return crm.finance.plans(\(order))[1].id", as: "rep")
        let id = try f.run("local p = crm.finance.record_payment{ order = \(order), plan = \(first), amount_fen = 450000, received_on = '\(f.today)', method = '银行转账' } return p.id", as: "rep")
        #expect(try f.get("payment", Int64(id)!)["status"] == .text("审批中"))
        #expect(try f.fail("crm.approvals.approve(crm.approvals.history('payment', \(id))[1].id, 'ok')", as: "rep").isEmpty == false, "a rep never approves")
        try f.run("crm.approvals.approve(crm.approvals.pending()[1].id, '已到账')", as: "cw")
        #expect(try f.get("payment", Int64(id)!)["status"] == .text("已确认"))
        #expect(try f.run("local o = crm.finance.order_figures(\(order)) return o.received_fen .. ' ' .. o.outstanding_fen .. ' ' .. o.percent", as: "rep") == "450000 550000 45.00")
        #expect(FinanceMoney.fen(try f.get("order", order)["received"]) == 450_000)
        #expect(try f.run("local t = {} for _, p in ipairs(crm.finance.plans(\(order))) do t[#t+1] = p.status end return table.concat(t, ' ')", as: "rep") == "已回款 部分回款 待回款")
        #expect(try f.run("return crm.finance.plans(\(order), '\(f.day(1))')[2].status", as: "rep") == "已逾期", "moving the as-of date makes it overdue")
        #expect(try f.run("return crm.finance.plans(\(order), '\(f.day(-1))')[1].status", as: "rep") == "待回款", "a receipt dated later is ignored as of an earlier day")
        let event = try Self.lastEvent(f, "payment.approved")
        #expect(event["amount_fen"] as? Int == 450_000 && event["kind"] as? String == "receipt" && event["received_on"] as? String == f.today)
        #expect(event["owner"] as? Int == Int(f.rep.id ?? 0) && event["order"] as? Int == Int(order) && event["plan"] as? Int == Int(first))
        #expect(try f.run("return crm.finance.customer_figures(\(f.customer)).received_fen", as: "rep") == "450000")
    }

    @Test func aRefundNeedsItsOwnApprovalAndAReversalUndoesEverything() throws {
        let f = try FinanceFixture()
        let order = try f.order(yuan: 10_000)
        try f.run("crm.finance.generate_plans(\(order))", as: "cw")
        let id = try f.run("return crm.finance.record_payment{ order = \(order), amount_fen = 500000, received_on = '\(f.today)' }.id", as: "cw")
        try f.run("crm.approvals.approve(crm.approvals.pending()[1].id, 'ok')", as: "cw")
        let refund = try f.run("return crm.finance.record_payment{ order = \(order), kind = 'refund', amount_fen = 100000, received_on = '\(f.today)' }.id", as: "cw")
        try f.run("crm.approvals.approve(crm.approvals.pending()[1].id, 'ok')", as: "cw")
        #expect(try f.get("payment", Int64(refund)!)["status"] == .text("审批中"), "a refund also needs the general manager")
        try f.run("crm.approvals.approve(crm.approvals.pending()[1].id, '同意退款')", as: "admin")
        #expect(FinanceMoney.fen(try f.get("order", order)["received"]) == 400_000)
        let refunded = try Self.lastEvent(f, "payment.approved")
        #expect(refunded["amount_fen"] as? Int == -100_000 && refunded["kind"] as? String == "refund")
        let second = try f.run("return crm.finance.record_payment{ order = \(order), amount_fen = 200000, received_on = '\(f.today)' }.id", as: "rep")
        try f.run("crm.approvals.approve(crm.approvals.pending()[1].id, 'ok')", as: "cw")
        #expect(FinanceMoney.fen(try f.get("order", order)["received"]) == 600_000)
        #expect(try f.fail("crm.finance.reverse_payment(\(second), { reason = '录错' })", as: "rep").isEmpty == false, "a rep cannot reverse")
        #expect(try f.fail("crm.finance.reverse_payment(\(second), { reason = '' })", as: "cw").contains("reversal_reason"))
        try f.run("crm.finance.reverse_payment(\(second), { reason = '录错订单' })", as: "cw")
        #expect(FinanceMoney.fen(try f.get("order", order)["received"]) == 400_000)
        let reversed = try Self.lastEvent(f, "payment.reversed")
        #expect(reversed["amount_fen"] as? Int == 200_000 && reversed["kind"] as? String == "receipt" && reversed["id"] as? Int == Int(second))
        #expect(try f.get("payment", Int64(second)!)["status"] == .text("已冲销"))
        #expect(try f.run("local s = 0 for _, p in ipairs(crm.finance.plans(\(order))) do s = s + p.received_fen end return s", as: "cw") == "400000")
        #expect(try f.fail("crm.finance.reverse_payment(\(id), { reason = '退款后不能冲销全部' })", as: "cw").isEmpty == false,
                "reversing the first receipt would leave less than the refund: refused")
    }
}
