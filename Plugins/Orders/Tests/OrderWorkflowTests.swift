import CRMKernel
import CRMScripting
@testable import CRMOrders
import Foundation
import Testing

/// Statuses from the stock pipeline: submit, approve, lock, change with versions, void.
struct OrderWorkflowTests {
    typealias F = OrderFixture

    @Test func anEmptyDraftCannotBeSubmittedAndADraftMovesToPendingApproval() throws {
        let f = try F()
        let empty = try f.draft([])
        let e = kernelError { _ = try f.write(as: f.rep) { try OrderWorkflow.submit($0, empty.id) } }
        #expect(e?.fieldErrors.first?.field == "lines")
        let order = try f.draft()
        let submitted = try f.write(as: f.rep) { try OrderWorkflow.submit($0, order.id) }
        #expect(submitted["status"] == .text("审批中"))
        #expect(try f.store.outbox(after: 0, limit: 1000).contains { $0.event == "order.stage_changed" })
    }

    @Test func anApprovedOrderIsLockedLinesAndDiscountRefusedAndNothingChanges() throws {
        let f = try F()
        let order = try f.draft()
        _ = try f.write(as: f.rep) { try OrderWorkflow.submit($0, order.id) }
        let approved = try f.write(as: f.manager) { try OrderWorkflow.approved($0, order.id) }
        #expect(approved["status"] == .text("已审批") && approved["signed_date"] != .null)
        let line = try f.store.find(Query("order_line", filter: .eq("order", .integer(order.id)))).records[0]
        let e1 = kernelError { _ = try f.write(as: f.rep) { try OrderService.updateLine($0, line.id, ["quantity": .decimal(5)]) } }
        #expect(e1?.fieldErrors.first?.field == "order" && e1?.fieldErrors.first?.message.contains("变更") == true, "\(String(describing: e1))")
        let e2 = kernelError { _ = try f.write(as: f.rep) { try $0.update("order", order.id, ["order_discount": .decimal(50)]) } }
        #expect(e2?.fieldErrors.first?.field == "order_discount", "\(String(describing: e2))")
        let e3 = kernelError { _ = try f.write(as: f.rep) { try OrderService.addLine($0, entity: "order", id: order.id, F.line()) } }
        #expect(e3 != nil)
        #expect(try f.get("order", order.id)["total"] == approved["total"])
        #expect(try f.store.count("order_line", filter: .eq("order", .integer(order.id))) == 1)
    }

    @Test func aChangeKeepsTheApprovedVersionAndMustBeApprovedAgain() throws {
        let f = try F()
        let order = try f.draft()
        _ = try f.write(as: f.rep) { try OrderWorkflow.submit($0, order.id) }
        let v1 = try f.write(as: f.manager) { try OrderWorkflow.approved($0, order.id) }
        #expect(kernelError { _ = try f.write(as: f.rep) { try OrderWorkflow.change($0, order.id, reason: " ") } }?.fieldErrors.first?.field == "change_reason")
        let changed = try f.write(as: f.rep) { try OrderWorkflow.change($0, order.id, reason: "客户追加数量") }
        #expect(changed["status"] == .text("草稿") && changed["doc_version"] == .integer(2))
        let line = try f.store.find(Query("order_line", filter: .eq("order", .integer(order.id)))).records[0]
        _ = try f.write(as: f.rep) { try OrderService.updateLine($0, line.id, ["quantity": .decimal(5)]) }
        let v2 = try f.get("order", order.id)
        #expect(v2["total"].fen == 500_000 && v1["total"].fen == 200_000)
        let revisions = try f.store.find(Query("order_revision", filter: .eq("order", .integer(order.id)))).records
        #expect(revisions.count == 1 && revisions[0]["doc_version"] == .integer(1) && revisions[0]["total"] == v1["total"])
        let console = Console(host: f.host) { _ in }
        try f.host.engine.act(as: "rep")
        let versions = console.evaluate("local v = crm.orders.versions(\(order.id)); return #v .. ' ' .. v[1].order.total .. ' ' .. v[2].order.total .. ' ' .. tostring(v[1].order.margin)")
        #expect(versions.output == "2 2000 5000 nil", "\(versions)")
        _ = try f.write(as: f.rep) { try OrderWorkflow.submit($0, order.id) }
        #expect(try f.get("order", order.id)["status"] == .text("审批中"))
    }

    @Test func voidingNeedsAReasonAndACompletedOrderCannotBeVoided() throws {
        let f = try F()
        let order = try f.draft()
        #expect(kernelError { _ = try f.write(as: f.rep) { try OrderWorkflow.void($0, order.id, reason: "") } }?.fieldErrors.first?.field == "void_reason")
        let voided = try f.write(as: f.rep) { try OrderWorkflow.void($0, order.id, reason: "客户取消") }
        #expect(voided["status"] == .text("作废") && voided["void_reason"] == .text("客户取消"))
        let other = try f.draft()
        _ = try f.write(as: f.rep) { tx in
            _ = try OrderWorkflow.submit(tx, other.id)
            _ = try OrderWorkflow.approved(tx, other.id)
            _ = try OrderWorkflow.start(tx, other.id)
            return try OrderWorkflow.complete(tx, other.id)
        }
        let e = kernelError { _ = try f.write(as: f.rep) { try OrderWorkflow.void($0, other.id, reason: "x") } }
        #expect(e?.kind == .invalidState && e?.fieldErrors.first?.field == "status")
    }
}
