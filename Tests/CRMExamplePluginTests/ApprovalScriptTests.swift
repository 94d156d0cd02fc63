import CRMExamplePlugin
import CRMKernel
import CRMScripting
import Foundation
import Testing

/// `crm.approvals.*` and `crm.sequence` from Lua: load-time checks with file:line, and the console.
struct ApprovalScriptTests {
    /// The problems a reload reports for a pack file, or nil when it loads.
    private func loadError(_ a: ApprovalFixture, _ source: String) throws -> String? {
        try a.write("91_more.lua", source)
        defer { try? FileManager.default.removeItem(at: a.f.host.workspace.scriptsDirectory.appendingPathComponent("91_more.lua")) }
        do { try a.f.host.reload() } catch { return "\(error)" }
        return nil
    }

    @Test func badFlowsAreLoadErrorsWithFileAndLineAndTheLastGoodFlowStays() throws {
        let a = try ApprovalFixture()
        let cases: [(String, String)] = [
            ("crm.approvals.flow('nope', {steps = {{name = 'a', approver = 'manager'}}})", "unknown entity 'nope'"),
            ("\ncrm.approvals.flow('warranty_refund', {steps = {{name = 'a', approver = {role = 'pilot'}}}})", "unknown role 'pilot'"),
            ("crm.approvals.flow('warranty_refund', {steps = {{name = 'a', approver = {user = 'ghost'}}}})", "unknown user 'ghost'"),
            ("crm.approvals.flow('warranty_refund', {steps = {{name = 'a', approver = 'boss'}}})", "approver must be"),
            ("crm.approvals.flow('warranty_refund', {steps = {{name = 'a', approver = 'manager', when = 3}}})", "when must be a function"),
            ("crm.approvals.flow('warranty_refund', {steps = {}})", "expects {steps"),
            ("crm.approvals.flow('warranty_refund', {steps = {{name = 'a', approver = 'manager'}, {name = 'a', approver = 'manager'}}})", "used twice"),
            ("crm.approvals.flow('warranty_refund', {steps = {{approver = 'manager'}}})", "needs a name"),
            ("crm.approvals.flow('warranty_refund', {steps = {{name = 'a', approver = {all_of = {}}}}})", "at least one login name"),
        ]
        for (source, expected) in cases {
            let error = try loadError(a, source)
            let line = source.hasPrefix("\n") ? 2 : 1
            #expect(error?.contains("scripts/91_more.lua:\(line)") == true, "\(source): \(error ?? "loaded")")
            #expect(error?.contains(expected) == true, "\(source): \(error ?? "loaded")")
        }
        // The flow of 90_approvals.lua is still in force.
        #expect(a.store.schema.approvals.flows["warranty_refund"]?.steps.map(\.name) == ["经理审批", "财务审批", "总经理"])
    }

    @Test func aFailingConditionRefusesTheSubmissionWithItsLocation() throws {
        let a = try ApprovalFixture(flow: """
            crm.approvals.flow("warranty_refund", {
              steps = {
                { name = "财务审批", approver = { role = "finance" }, when = function(doc) return doc.nothing.here end },
              }
            })
            """)
        let refund = try a.refund()
        let before = try a.trace(refund)
        let error = kernelError { _ = try a.act("rep") { try Approvals.submit("warranty_refund", refund, in: $0) } }
        #expect(error?.kind == .scriptFailed && error?.message.contains("scripts/90_approvals.lua:3") == true, "\(String(describing: error))")
        #expect(try a.trace(refund) == before)
    }

    @Test func aConditionMayReadButNotWrite() throws {
        let a = try ApprovalFixture(flow: """
            crm.approvals.flow("warranty_refund", {
              steps = {
                { name = "财务审批", approver = { role = "finance" },
                  when = function(doc) return crm.count("warranty_claim") > 0 and crm.update("warranty_refund", doc.id, {cost = 1}) ~= nil end },
              }
            })
            """)
        let refund = try a.refund()
        let before = try a.trace(refund)
        let error = kernelError { _ = try a.act("rep") { try Approvals.submit("warranty_refund", refund, in: $0) } }
        #expect(error?.kind == .scriptFailed && error?.message.contains("not write") == true, "\(String(describing: error))")
        #expect(try a.trace(refund) == before)
    }

    @Test func aRouteWhoseStepsAreAllSkippedIsApprovedAtOnce() throws {
        let a = try ApprovalFixture(flow: """
            crm.approvals.flow("warranty_refund", {
              steps = { { name = "总经理", approver = { user = "boss" }, when = function(doc) return doc.amount > 100000 end } }
            })
            """)
        let refund = try a.refund(amount: "800")
        let approval = try a.act("rep") { try Approvals.submit("warranty_refund", refund, in: $0) }
        #expect(approval.status == .approved && approval.steps.map(\.status) == [.skipped])
        #expect(try a.status(refund) == "已审批")
        let big = try a.refund(amount: "200000")
        let routed = try a.act("rep") { try Approvals.submit("warranty_refund", big, in: $0) }
        #expect(routed.status == .pending && routed.steps[0].assignees.map(\.userID) == [a.ids["boss"]!])
    }

    @Test func theConsoleSubmitsApprovesAndListsWhatWaitsForMe() throws {
        let a = try ApprovalFixture()
        let refund = try a.refund(discount: "25")
        let console = Console(host: a.f.host) { _ in }
        try a.f.host.engine.act(as: "rep")
        let submitted = console.evaluate("local x = crm.approvals.submit('warranty_refund', \(refund)); return x.status .. ' ' .. x.current_step")
        #expect(submitted.error == nil && submitted.output == "pending 经理审批", "\(submitted)")
        #expect(console.evaluate("return crm.approvals.approve(1)").error?.contains("not an approver") == true)
        try a.f.host.engine.act(as: "mgr")
        #expect(console.evaluate("return #crm.approvals.pending()").output == "1")
        let noComment = console.evaluate("return crm.approvals.reject(1)")
        #expect(noComment.error?.contains("comment") == true, "\(noComment)")
        let approved = console.evaluate("return crm.approvals.approve(crm.approvals.pending()[1].id, '好').current_step")
        #expect(approved.error == nil && approved.output == "财务审批", "\(approved)")
        #expect(console.evaluate("return #crm.approvals.pending()").output == "0")
        try a.f.host.engine.act(as: "fin1")
        let delegated = console.evaluate("return crm.approvals.delegate(1, 'boss2').steps[2].approvers[1].status")
        #expect(delegated.error == nil && delegated.output == "delegated", "\(delegated)")
        try a.f.host.engine.act(as: "rep")
        let history = console.evaluate("local h = crm.approvals.history('warranty_refund', \(refund)); return #h .. ' ' .. h[1].decisions[2].comment")
        #expect(history.error == nil && history.output == "1 好", "\(history)")
        #expect(console.evaluate("return crm.approvals.withdraw(1).status").output == "withdrawn")
        #expect(console.evaluate("return crm.approvals.withdraw(1)").error?.contains("already ended") == true)
    }

    @Test func eventHandlersReactToApprovalEvents() throws {
        let a = try ApprovalFixture()
        try a.write("92_on.lua", "crm.on('approval.approved', function(rec) crm.update(rec.entity, rec.record_id, {cost = 1}) end)")
        try a.f.host.reload()
        let refund = try a.refund()
        let id = try a.act("rep") { try Approvals.submit("warranty_refund", refund, in: $0) }.id
        _ = try a.act("fin1") { try Approvals.approve(id, in: $0) }
        #expect(try a.store.get("warranty_refund", refund)?["cost"] == .decimal(1))
    }

    @Test func aCompanyPatternNumbersTheModulesDocuments() throws {
        let a = try ApprovalFixture()
        let first = try a.store.get("warranty_refund", try a.refund())?["number"].textValue
        #expect(first?.hasPrefix("WR-") == true && first?.hasSuffix("-0001") == true)
        try a.write("93_numbers.lua", "crm.sequence('warranty_refund', 'TK{yyyy}-{seq:3}')")
        try a.f.host.reload()
        let second = try a.store.get("warranty_refund", try a.refund())?["number"].textValue
        let year = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "Asia/Shanghai")!, from: Date()).year!
        #expect(second == "TK\(year)-001")
        let console = Console(host: a.f.host) { _ in }
        #expect(console.evaluate("return crm.next_number('warranty_refund')").output == "TK\(year)-002")
    }

    @Test func badSequencesAreLoadErrorsWithFileAndLine() throws {
        let a = try ApprovalFixture()
        for (source, expected) in [("\n\ncrm.sequence('warranty_refund', 'TK{seq:0}')", "width"),
                                   ("\n\ncrm.sequence('order_x', 'A{seq}')", "unknown sequence 'order_x'"),
                                   ("\n\ncrm.sequence('warranty_refund', 'TK-{yyyyMMdd}')", "no {seq}")] {
            let error = try loadError(a, source)
            #expect(error?.contains("scripts/91_more.lua:3") == true && error?.contains(expected) == true, "\(error ?? "loaded")")
        }
        #expect(a.store.schema.sequences["warranty_refund"]?.text == "WR-{yyyyMMdd}-{seq:4}")
    }
}
