import CRMKernel
@testable import CRMPayroll
import CRMScripting
import Foundation
import Testing

/// Receipt-based credits from the finance module's events: an approved receipt credits the order's
/// split users on the day it was received (回款提成 in that month), a refund next month claws back
/// what was paid, and a voided receipt is reversed.
struct ReceiptCreditTests {
    func lua(_ f: PayrollFixture, _ console: Console, _ code: String, as user: String) throws -> String {
        try f.host.engine.act(as: user)
        let answer = console.evaluate(code)
        #expect(answer.error == nil, "\(code): \(answer.error ?? "")")
        return answer.output
    }

    func receiptCredits(_ f: PayrollFixture, payment: String) throws -> [String: Int64] {
        let rows = try f.store.read { try $0.find(Query("commission_credit", filter: .eq("payment", .integer(Int64(payment) ?? 0)))).records }
        var out: [String: Int64] = [:]
        for r in rows {
            let name = f.ids.first { $0.value == r["user"].integerValue && ["rep", "rep2"].contains($0.key) }?.key ?? "?"
            out[name, default: 0] += Fen.of(r["amount"])
        }
        return out
    }

    @Test func receiptsCreditTheSplitRefundsClawBackAndReversalsUndo() throws {
        let f = try PayrollFixture()
        try f.rule("receipts_marginal")
        let console = Console(host: f.host) { _ in }
        let order = try f.approvedOrder(yuan: 100_000, split: "rep:60, rep2:40")
        let receipt = try lua(f, console, "return crm.finance.record_payment{ order = \(order), amount_fen = 10000000, received_on = '2026-11-20' }.id", as: "zhaomin")
        _ = try lua(f, console, "crm.approvals.approve(crm.approvals.pending()[1].id, 'ok')", as: "zhaomin")
        #expect(try receiptCredits(f, payment: receipt) == ["rep": 6_000_000, "rep2": 4_000_000])
        let entry = try require_(f.store.read { try $0.find(Query("commission_credit", filter: .eq("payment", .integer(Int64(receipt)!)), limit: 1)).records.first })
        #expect(entry["kind"] == .text("receipt") && entry["base"] == .text("receipt") && entry["date"] == .text("2026-11-20") && entry["order"] == .integer(order))

        let november = try f.payslip(run: try f.closeMonth("2026-11"), "rep")
        #expect(Fen.of(november["commission"]) == 130_000, "60,000 of receipts: 50,000 × 2 % + 10,000 × 3 %")

        let today = try f.store.read { try PayPeriod.day(Date(), $0) }
        let refund = try lua(f, console, "return crm.finance.record_payment{ order = \(order), kind = 'refund', amount_fen = 2000000, received_on = '\(today)' }.id", as: "zhaomin")
        _ = try lua(f, console, "crm.approvals.approve(crm.approvals.pending()[1].id, 'ok')", as: "zhaomin")
        _ = try lua(f, console, "crm.approvals.approve(crm.approvals.pending()[1].id, '同意退款')", as: "admin")
        #expect(try receiptCredits(f, payment: refund) == ["rep": -1_200_000, "rep2": -800_000])
        let month = String(today.prefix(7))
        let run = try f.write(as: "zhaomin") { try PayrollRuns.run($0, month: month, correction: false, dryRun: true) }
        let rep = try require_(run.payslips.first { $0.user == f.ids["rep"] })
        // November recomputed with 48,000: 960; 1,300 − 960 = 340 clawed back.
        #expect(rep.lines.contains { $0.clawback != nil && $0.amount == -34_000 && $0.label == "追回 2026-11 提成" }, "\(rep.lines)")

        let again = try lua(f, console, "return crm.finance.record_payment{ order = \(order), amount_fen = 500000, received_on = '\(today)' }.id", as: "zhaomin")
        _ = try lua(f, console, "crm.approvals.approve(crm.approvals.pending()[1].id, 'ok')", as: "zhaomin")
        #expect(try receiptCredits(f, payment: again) == ["rep": 300_000, "rep2": 200_000])
        _ = try lua(f, console, "crm.finance.reverse_payment(\(again), { reason = '录错订单' })", as: "admin")
        #expect(try receiptCredits(f, payment: again) == ["rep": 0, "rep2": 0])
        f.store.drainConsumers()
        #expect(try f.store.count("commission_credit", filter: .eq("payment", .integer(Int64(again)!))) == 4, "a repeated drain adds nothing")
    }
}
