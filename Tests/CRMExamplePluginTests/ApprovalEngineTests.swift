import CRMExamplePlugin
import CRMKernel
import Foundation
import Testing

/// The approval engine with a test-only document type (`warranty_refund`) and a flow from the
/// company's Lua pack.
struct ApprovalEngineTests {
    @Test func theFlowAddsTheManagerStepForABigDiscountAndSkipsTheBossStep() throws {
        let a = try ApprovalFixture()
        let refund = try a.refund(discount: "25")
        let approval = try a.act("rep") { try Approvals.submit("warranty_refund", refund, in: $0) }
        #expect(approval.status == .pending)
        #expect(approval.steps.map(\.status) == [.pending, .waiting, .skipped])
        #expect(approval.current?.name == "经理审批")
        #expect(approval.steps[0].assignees.map(\.userID) == [a.ids["mgr"]!])
        #expect(Set(approval.steps[1].assignees.map(\.userID)) == [a.ids["fin1"]!, a.ids["fin2"]!])
        #expect(approval.snapshot["discount_pct"] == .decimal(25))
        #expect(approval.snapshot["margin_pct"] == .decimal(50))
        #expect(try a.status(refund) == "审批中")
        let notes = try a.store.find(Query("notification", filter: .eq("user", .integer(a.ids["mgr"]!)))).records
        #expect(notes.map { $0["kind"] } == [.text("approval.pending")])
        #expect(try a.store.outbox(after: 0, limit: 100_000).contains { $0.event == "approval.submitted" && $0.recordID == approval.id })

        // Without the discount the manager's step is skipped.
        let plain = try a.refund()
        let second = try a.act("rep") { try Approvals.submit("warranty_refund", plain, in: $0) }
        #expect(second.steps.map(\.status) == [.skipped, .pending, .skipped])
    }

    @Test func approvingEveryStepApprovesTheDocumentAndKeepsWhatWasApproved() throws {
        let a = try ApprovalFixture()
        let refund = try a.refund(discount: "25")
        let id = try a.act("rep") { try Approvals.submit("warranty_refund", refund, in: $0) }.id
        let afterManager = try a.act("mgr") { try Approvals.approve(id, comment: "同意", in: $0) }
        #expect(afterManager.current?.name == "财务审批")
        #expect(try a.status(refund) == "审批中")
        let done = try a.act("fin2") { try Approvals.approve(id, in: $0) }
        #expect(done.status == .approved && done.endedAt != nil && done.currentStep == nil)
        #expect(done.steps.map(\.status) == [.approved, .approved, .skipped])
        #expect(done.steps[1].assignees.first { $0.userID == a.ids["fin1"] }?.status == .cancelled)
        #expect(done.decisions.map(\.action) == [.submit, .approve, .approve])
        #expect(done.decisions[1].userName == "mgr" && done.decisions[1].comment == "同意")
        #expect(try a.status(refund) == "已审批")
        // The snapshot is what was approved, whatever happens to the record afterwards.
        try a.store.update("warranty_refund", refund, ["amount": .text("9999")])
        let kept = try a.store.read { try Approvals.get(id, in: $0, as: .unrestricted) }
        #expect(kept.snapshot["amount"] == .decimal(1000))
        let submitterNotes = try a.store.find(Query("notification", filter: .eq("user", .integer(a.ids["rep"]!)))).records
        #expect(submitterNotes.contains { $0["kind"] == .text("approval.approved") })
        let events = try a.store.outbox(after: 0, limit: 100_000).map(\.event)
        #expect(events.contains("approval.approved"))
        // Every decision is in the document's audit history.
        let audit = try a.store.history("warranty_refund", refund).map(\.action)
        #expect(audit.filter { $0.hasPrefix("approval.") } == ["approval.submit", "approval.approve", "approval.approve"])
    }

    @Test func anAllOfStepWaitsForEveryoneInIt() throws {
        let a = try ApprovalFixture()
        let refund = try a.refund(amount: "6000", cost: "1000")
        let id = try a.act("rep") { try Approvals.submit("warranty_refund", refund, in: $0) }.id
        _ = try a.act("fin1") { try Approvals.approve(id, in: $0) }
        let half = try a.act("boss") { try Approvals.approve(id, in: $0) }
        #expect(half.status == .pending && half.current?.name == "总经理")
        let done = try a.act("boss2") { try Approvals.approve(id, in: $0) }
        #expect(done.status == .approved)
        #expect(try a.status(refund) == "已审批")
    }

    @Test func aLowMarginAddsTheBossStep() throws {
        let a = try ApprovalFixture()
        let refund = try a.refund(amount: "1000", cost: "900")
        let approval = try a.act("rep") { try Approvals.submit("warranty_refund", refund, in: $0) }
        #expect(approval.snapshot["margin_pct"] == .decimal(10))
        #expect(approval.steps.map(\.status) == [.skipped, .pending, .waiting])
    }

    @Test func aRejectionNeedsACommentAndEndsTheApproval() throws {
        let a = try ApprovalFixture()
        let refund = try a.refund(discount: "30")
        let id = try a.act("rep") { try Approvals.submit("warranty_refund", refund, in: $0) }.id
        let before = try a.trace(refund)
        for blank in [nil, "", "   "] as [String?] {
            let error = kernelError { _ = try a.act("mgr") { try Approvals.reject(id, comment: blank, in: $0) } }
            #expect(error?.kind == .validation && error?.fieldErrors.first?.field == "comment")
        }
        #expect(try a.trace(refund) == before)
        let rejected = try a.act("mgr") { try Approvals.reject(id, comment: "折扣太大", in: $0) }
        #expect(rejected.status == .rejected)
        #expect(rejected.steps.map(\.status) == [.rejected, .cancelled, .skipped])
        #expect(try a.status(refund) == "已驳回")
        #expect(try a.store.outbox(after: 0, limit: 100_000).contains { $0.event == "approval.rejected" })
        let note = try a.store.find(Query("notification", filter: .eq("kind", .text("approval.rejected")))).records.first
        #expect(note?["body"].textValue?.contains("折扣太大") == true)
        // A rejected document can be submitted again: a new approval.
        let again = try a.act("rep") { try Approvals.submit("warranty_refund", refund, in: $0) }
        #expect(again.id != id && again.status == .pending)
    }

    @Test func onlyTheCurrentApproverMayDecide() throws {
        let a = try ApprovalFixture()
        let refund = try a.refund(discount: "30")
        let id = try a.act("rep") { try Approvals.submit("warranty_refund", refund, in: $0) }.id
        let before = try a.trace(refund)
        for name in ["rep", "fin1", "other"] {
            let error = kernelError { _ = try a.act(name) { try Approvals.approve(id, in: $0) } }
            #expect(error?.kind == (name == "other" ? .notFound : .forbidden), "\(name): \(String(describing: error))")
        }
        #expect(kernelError { _ = try a.act("fin1") { try Approvals.approve(id, in: $0) } }?.message.contains("not an approver of the current step '经理审批'") == true)
        // The system is nobody: it cannot approve.
        #expect(kernelError { _ = try a.store.write(as: .system) { try Approvals.approve(id, in: $0) } }?.kind == .forbidden)
        #expect(try a.trace(refund) == before)
    }

    @Test func submittingTwiceIsAConflictAndWritesNothing() throws {
        let a = try ApprovalFixture()
        let refund = try a.refund()
        _ = try a.act("rep") { try Approvals.submit("warranty_refund", refund, in: $0) }
        let before = try a.trace(refund)
        let error = kernelError { _ = try a.act("rep") { try Approvals.submit("warranty_refund", refund, in: $0) } }
        #expect(error?.kind == .conflict && error?.message.contains("already waiting for approval") == true)
        #expect(try a.trace(refund) == before)
    }

    @Test func theSubmitterWithdrawsWhilePendingButNotAfterTheEnd() throws {
        let a = try ApprovalFixture()
        let refund = try a.refund()
        let id = try a.act("rep") { try Approvals.submit("warranty_refund", refund, in: $0) }.id
        #expect(kernelError { _ = try a.act("fin1") { try Approvals.withdraw(id, in: $0) } }?.kind == .forbidden)
        let withdrawn = try a.act("rep") { try Approvals.withdraw(id, comment: "改一下金额", in: $0) }
        #expect(withdrawn.status == .withdrawn && withdrawn.steps.map(\.status) == [.skipped, .cancelled, .skipped])
        #expect(try a.status(refund) == "已撤回")
        let before = try a.trace(refund)
        let again = kernelError { _ = try a.act("rep") { try Approvals.withdraw(id, in: $0) } }
        #expect(again?.kind == .invalidState && again?.message.contains("already ended (withdrawn)") == true)
        let late = kernelError { _ = try a.act("fin1") { try Approvals.approve(id, in: $0) } }
        #expect(late?.kind == .conflict)
        #expect(try a.trace(refund) == before)
    }

    @Test func delegationHandsTheStepOnAndIsAudited() throws {
        let a = try ApprovalFixture()
        let refund = try a.refund(discount: "30")
        let id = try a.act("rep") { try Approvals.submit("warranty_refund", refund, in: $0) }.id
        #expect(kernelError { _ = try a.act("mgr") { try Approvals.delegate(id, to: a.ids["mgr"]!, in: $0) } }?.fieldErrors.first?.field == "user")
        #expect(kernelError { _ = try a.act("mgr") { try Approvals.delegate(id, to: 99_999, in: $0) } }?.fieldErrors.first?.field == "user")
        let moved = try a.act("mgr") { try Approvals.delegate(id, to: a.ids["boss2"]!, comment: "出差中", in: $0) }
        #expect(moved.steps[0].assignees.map(\.status) == [.delegated, .open])
        #expect(moved.decisions.last?.action == .delegate && moved.decisions.last?.targetUser == a.ids["boss2"])
        let error = kernelError { _ = try a.act("mgr") { try Approvals.approve(id, in: $0) } }
        #expect(error?.kind == .forbidden && error?.message.contains("delegated") == true)
        let pending = try a.read(as: "boss2") { try Approvals.pending(in: $0, as: $1) }
        #expect(pending.map(\.id) == [id])
        let approved = try a.act("boss2") { try Approvals.approve(id, in: $0) }
        #expect(approved.current?.name == "财务审批")
        #expect(try a.store.history("warranty_refund", refund).map(\.action).contains("approval.delegate"))
    }

    @Test func twoApproversDecidingTheSameStepAtOnceOneWinsTheOtherIsTold() async throws {
        let a = try ApprovalFixture()
        let refund = try a.refund()
        let id = try a.act("rep") { try Approvals.submit("warranty_refund", refund, in: $0) }.id
        let guards = [try a.access("fin1"), try a.access("fin2")]
        let store = a.store
        let outcomes = await withTaskGroup(of: String.self) { group in
            for access in guards {
                group.addTask {
                    do {
                        _ = try store.write(as: access) { try Approvals.approve(id, in: $0) }
                        return "approved"
                    } catch let error as KernelError {
                        return error.kind == .conflict && error.message.contains("already") ? "conflict" : "\(error)"
                    } catch { return "\(error)" }
                }
            }
            var all: [String] = []
            for await o in group { all.append(o) }
            return all.sorted()
        }
        #expect(outcomes == ["approved", "conflict"])
        let final = try a.store.read { try Approvals.get(id, in: $0, as: .unrestricted) }
        #expect(final.status == .approved && final.decisions.filter { $0.action == .approve }.count == 1)
    }

    @Test func aStepWithNobodyToAskRefusesTheSubmissionAndWritesNothing() throws {
        let a = try ApprovalFixture()
        // `other` has no manager: the 经理审批 step has nobody to ask.
        let refund = try a.refund(discount: "50", by: "other")
        let before = try a.trace(refund)
        let error = kernelError { _ = try a.act("other") { try Approvals.submit("warranty_refund", refund, in: $0) } }
        #expect(error?.kind == .validation && error?.message.contains("approval step '经理审批'") == true)
        #expect(error?.message.contains("has no manager") == true)
        #expect(try a.trace(refund) == before)
        // A document module may refuse too: an approved refund cannot be submitted again.
        let done = try a.refund()
        let id = try a.act("rep") { try Approvals.submit("warranty_refund", done, in: $0) }.id
        _ = try a.act("fin1") { try Approvals.approve(id, in: $0) }
        #expect(kernelError { _ = try a.act("rep") { try Approvals.submit("warranty_refund", done, in: $0) } }?.fieldErrors.first?.field == "status")
    }

    @Test func peopleNotInvolvedWhoCannotSeeTheDocumentSeeNoApproval() throws {
        let a = try ApprovalFixture()
        let refund = try a.refund(discount: "30")
        let id = try a.act("rep") { try Approvals.submit("warranty_refund", refund, in: $0) }.id
        #expect(kernelError { _ = try a.read(as: "other") { try Approvals.get(id, in: $0, as: $1) } }?.kind == .notFound)
        #expect(kernelError { _ = try a.read(as: "other") { try Approvals.history("warranty_refund", refund, in: $0, as: $1) } }?.kind == .notFound)
        #expect(try a.read(as: "other") { try Approvals.pending(in: $0, as: $1) }.isEmpty)
        // The finance users are involved (a later step) and see it.
        #expect(try a.read(as: "fin1") { try Approvals.get(id, in: $0, as: $1) }.id == id)
        #expect(try a.read(as: "rep") { try Approvals.history("warranty_refund", refund, in: $0, as: $1) }.count == 1)
    }
}
