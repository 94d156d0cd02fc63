import CRMKernel
@testable import CRMOrders
@testable import CRMPayroll
import Foundation
import Testing

/// The credit ledger: written by the orders' events (approval credits the split users, a void
/// reverses), append-only, adjustments need a reason, a bad split is refused.
struct LedgerTests {
    func credits(_ f: PayrollFixture, order: Int64) throws -> [Record] {
        try f.store.read { try $0.find(Query("commission_credit", filter: .eq("order", .integer(order)), sort: [SortKey("id")])).records }
    }

    @Test func anApprovedOrderCreditsItsSplitUsersAndAVoidReversesIt() throws {
        let f = try PayrollFixture()
        let order = try f.approvedOrder(yuan: 10_000, split: "rep:60, rep2:40")
        let entries = try credits(f, order: order)
        #expect(entries.count == 2)
        #expect(entries.map { Fen.of($0["amount"]) }.sorted() == [400_000, 600_000])
        #expect(entries.allSatisfy { $0["kind"] == .text("order") && $0["base"] == .text("sales") && Fen.of($0["margin"]) * 2 == Fen.of($0["amount"]) })
        // Draining again adds nothing: the consumer's cursor moved with its reaction.
        f.store.drainConsumers()
        #expect(try credits(f, order: order).count == 2)
        try f.store.write(as: .system) { tx in _ = try OrderWorkflow.void(tx, order, reason: "客户取消") }
        f.store.drainConsumers()
        let after = try credits(f, order: order)
        #expect(after.count == 4 && after.reduce(0) { $0 + Fen.of($1["amount"]) } == 0)
        #expect(after.suffix(2).allSatisfy { $0["kind"] == .text("reversal") && $0["reason"] == .text("订单作废") })
    }

    @Test func theLedgerIsAppendOnlyAndAdjustmentsNeedAReason() throws {
        let f = try PayrollFixture()
        let order = try f.approvedOrder(yuan: 1_000)
        let entry = try credits(f, order: order)[0]
        #expect(entry["user"] == .integer(f.ids["rep"]!))
        let update = kernelError { _ = try f.store.write(as: .system) { try $0.update("commission_credit", entry.id, ["amount": .decimal(1)]) } }
        #expect(update?.fieldErrors.first?.message.contains("append-only") == true)
        #expect(kernelError { try f.store.write(as: .system) { try $0.delete("commission_credit", entry.id) } } != nil)
        let noReason = kernelError { _ = try f.write(as: "zhaomin") { tx in
            try CreditLedger.write(tx, user: f.ids["rep"]!, day: "2026-11-30", kind: "adjustment", base: "sales", amount: 1, share: nil, order: nil, reason: nil, event: nil)
        } }
        #expect(noReason?.fieldErrors.first?.field == "reason")
        #expect(kernelError { _ = try f.write(as: "rep") { tx in
            try CreditLedger.write(tx, user: f.ids["rep"]!, day: "2026-11-30", kind: "adjustment", base: "sales", amount: 1, share: nil, order: nil, reason: "自己加", event: nil)
        } }?.kind == .forbidden, "a rep cannot credit herself")
        #expect(try f.store.count("commission_credit") == 1)
    }

    @Test func aBadSplitIsRefusedOnTheOrder() throws {
        let f = try PayrollFixture()
        for (split, words) in [("rep:60, rep2:30", "90"), ("nobody:100", "no user"), ("rep:50, rep:50", "twice"), ("rep=100", "user:percent")] {
            let e = kernelError { _ = try f.approvedOrder(yuan: 100, split: split) }
            #expect(e?.fieldErrors.first?.field == "commission_split" && e?.fieldErrors.first?.message.contains(words) == true, "\(split): \(e?.description ?? "")")
        }
        #expect(try f.store.count("order") == 0 && f.store.count("commission_credit") == 0)
    }

    @Test func attainmentSetsTheLedgerAgainstTargetsByPersonAndTeam() throws {
        let f = try PayrollFixture()
        try f.store.write(as: .system) { tx in
            _ = try tx.create("sales_target", ["user": .integer(f.ids["rep"]!), "period": .text("2026-11"), "amount": .decimal(20_000)])
            _ = try tx.create("sales_target", ["team": .integer(f.ids["team"]!), "period": .text("2026-Q4"), "kind": .text("回款"), "amount": .decimal(90_000)])
        }
        try f.credit("rep", day: "2026-11-02", kind: "order", base: "sales", fen: 1_500_000)
        try f.credit("rep2", day: "2026-11-03", kind: "receipt", base: "receipt", fen: 1_000_000)
        let person = try f.store.read { try Targets.attainment($0, period: "2026-11", by: "person") }
        #expect(person.count == 1 && person[0].actual == 1_500_000 && person[0].percent == 75)
        let team = try f.store.read { try Targets.attainment($0, period: "2026-11", by: "team") }
        #expect(team.count == 1 && team[0].kind == "receipts" && team[0].target["target"] == 3_000_000 && team[0].actual == 1_000_000)
    }
}
