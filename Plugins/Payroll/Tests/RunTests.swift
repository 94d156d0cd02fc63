import CRMKernel
@testable import CRMPayroll
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Payroll runs: the approval engine and the locks, a paid month refused, a correction run, the
/// clawback of a refunded receipt in the next month, and payslips seen only by their employee.
struct RunTests {
    @Test func aRunGoesThroughApprovalIsLockedAndAPaidMonthIsRefused() throws {
        let f = try PayrollFixture()
        try f.rule("receipts_marginal")
        let dry = try f.write(as: "zhaomin") { try PayrollRuns.run($0, month: "2026-11", correction: false, dryRun: true) }
        #expect(try dry.run == nil && dry.payslips.count == 2 && f.store.count("payroll_run") == 0)
        let run = try f.write(as: "zhaomin") { try PayrollRuns.run($0, month: "2026-11", correction: false, dryRun: false) }.run!.id
        #expect(try f.store.get("payroll_run", run)?["status"] == .text("核算完成"))
        // Run again before submitting: recomputed in place.
        #expect(try f.write(as: "zhaomin") { try PayrollRuns.run($0, month: "2026-11", correction: false, dryRun: false) }.run?.id == run)
        #expect(try f.store.count("payslip") == 2)
        #expect(kernelError { _ = try f.write(as: "rep") { try PayrollRuns.run($0, month: "2026-11", correction: false, dryRun: false) } }?.kind == .forbidden)
        let approval = try f.write(as: "zhaomin") { tx in try Approvals.submit("payroll_run", run, in: tx) }
        #expect(try f.store.get("payroll_run", run)?["status"] == .text("审批中"))
        let slip = try f.payslip(run: run, "rep")
        #expect(slip["locked"] == .bool(true))
        let edit = kernelError { _ = try f.store.write(as: .system) { try $0.update("payslip", slip.id, ["bonus": .decimal(100)]) } }
        #expect(edit?.fieldErrors.first?.field == "bonus")
        #expect(kernelError { _ = try f.write(as: "zhaomin") { try PayrollApprovals.pay($0, run, day: "2026-12-10") } }?.kind == .invalidState)
        #expect(kernelError { _ = try f.write(as: "zhaomin") { tx in try Approvals.approve(approval.id, comment: "ok", in: tx) } } != nil,
                "finance cannot approve its own run: the flow asks an administrator")
        _ = try f.write(as: "admin") { tx in try Approvals.approve(approval.id, comment: "同意", in: tx) }
        #expect(try f.store.get("payroll_run", run)?["status"] == .text("已审批"))
        _ = try f.write(as: "zhaomin") { try PayrollApprovals.pay($0, run, day: "2026-12-10") }
        #expect(try f.store.get("payroll_run", run)?["status"] == .text("已发放"))
        let again = kernelError { _ = try f.write(as: "zhaomin") { try PayrollRuns.run($0, month: "2026-11", correction: false, dryRun: false) } }
        #expect(again?.kind == .conflict && again?.message.contains("补发/补扣") == true)
        #expect(kernelError { try f.store.write(as: .system) { try $0.delete("payroll_run", run) } } != nil)
        #expect(try f.store.count("payroll_run") == 1)
    }

    @Test func aCorrectionRunHoldsOnlyTheDifference() throws {
        let f = try PayrollFixture()
        try f.rule("receipts_marginal")
        let first = try f.closeMonth("2026-11")
        try f.store.write(as: .system) { tx in
            _ = try tx.create("pay_item", ["user": .integer(f.ids["rep"]!), "period": .text("2026-11"), "kind": .text("bonus"),
                                           "amount": .decimal(1_000), "reason": .text("漏发季度奖")])
        }
        let fix = try f.write(as: "zhaomin") { try PayrollRuns.run($0, month: "2026-11", correction: true, dryRun: false) }
        #expect(fix.kind == "补发" && fix.payslips.count == 1)
        let slip = try f.payslip(run: fix.run!.id, "rep")
        // 1,000 more income in the same month: 30 more tax (3 %), 970 more net.
        #expect(Fen.of(slip["bonus"]) == 100_000 && Fen.of(slip["gross"]) == 100_000 && Fen.of(slip["tax"]) == 3_000 && Fen.of(slip["net"]) == 97_000)
        #expect(Fen.of(slip["base_salary"]) == 0)
        let diff = try f.store.read { try PayrollReports.diff($0, first, fix.run!.id) }
        #expect(diff.count == 2)
    }

    @Test func aRefundNextMonthClawsBackTheCommissionPaid() throws {
        let f = try PayrollFixture()
        try f.rule("receipts_marginal")
        let order = try f.approvedOrder(yuan: 100_000)
        try f.credit("rep", day: "2026-11-20", kind: "receipt", base: "receipt", fen: 10_000_000, order: order)
        let november = try f.payslip(run: try f.closeMonth("2026-11"), "rep")
        #expect(Fen.of(november["commission"]) == 250_000, "50,000 × 2 % + 50,000 × 3 %")
        try f.credit("rep", day: "2026-12-05", kind: "refund", base: "receipt", fen: -2_000_000, order: order)
        let december = try f.write(as: "zhaomin") { try PayrollRuns.run($0, month: "2026-12", correction: false, dryRun: false) }
        let slip = try f.payslip(run: december.run!.id, "rep")
        // November recomputed with 80,000: 1,000 + 900 = 1,900; 600 clawed back.
        #expect(Fen.of(slip["commission"]) == -60_000)
        let lines = try f.write(as: "zhaomin") { tx in try PayrollScriptFunctionsTestHook.explain(tx, slip.id) }
        #expect(lines.contains { $0.contains("追回 2026-11 提成") && $0.contains("追回 600.00 元") }, "\(lines)")
    }

    @Test func aPayslipIsSeenOnlyByItsEmployeeAndFinance() async throws {
        let f = try PayrollFixture()
        try f.rule("receipts_marginal")
        let run = try f.closeMonth("2026-11")
        let mine = try f.payslip(run: run, "rep"), theirs = try f.payslip(run: run, "rep2")
        let rep = try f.access(try f.user("rep"))
        let visible = try f.store.read(as: rep) { try $0.find(Query("payslip")).records.map(\.id) }
        #expect(visible == [mine.id])
        #expect(try f.store.read(as: rep) { try $0.find(Query("pay_profile")).records }.isEmpty, "no one's pay profile, not even her own")
        let boss = try f.access(try f.user("boss"))
        #expect(try f.store.read(as: boss) { try $0.find(Query("payslip")).records }.isEmpty, "the manager sees no one's payslip")
        let finance = try f.access(try f.user("zhaomin"))
        #expect(try f.store.read(as: finance) { try $0.find(Query("payslip")).records.count } == 2)
        let tokens = f.tokens
        try await f.withClient { client in
            func send(_ method: HTTPRequest.Method, _ uri: String, _ name: String, body: String? = nil) async throws -> (Int, String) {
                var headers: HTTPFields = [.authorization: "Bearer \(tokens[name]!)"]
                if body != nil { headers[.contentType] = "application/json" }
                return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { r in
                    (Int(r.status.code), String(buffer: r.body))
                }
            }
            #expect(try await send(.get, "/api/v1/records/payslip/\(theirs.id)", "rep").0 == 404)
            #expect(try await send(.get, "/api/v1/records/payslip/\(mine.id)", "rep").0 == 200)
            #expect(try await send(.post, "/api/v1/actions/payroll/payslip", "rep2", body: "[\(mine.id)]").0 == 404,
                    "another rep's payslip does not exist for rep2")
            #expect(try await send(.get, "/api/v1/modules/payroll/payslips/\(theirs.id)/print", "rep").0 == 404)
            let print = try await send(.get, "/api/v1/modules/payroll/payslips/\(mine.id)/print", "rep")
            #expect(print.0 == 200 && print.1.contains("实发工资"))
            let read = try await send(.post, "/api/v1/actions/payroll/payslip", "rep", body: "[\(mine.id)]")
            #expect(read.0 == 200 && read.1.contains("\"read\":true"), "\(read.1)")
        }
    }
}

/// Reaches the explanation the way `crm.payroll.explain(payslip)` does.
enum PayrollScriptFunctionsTestHook {
    static func explain(_ tx: WriteContext, _ id: Int64) throws -> [String] {
        guard let slip = try tx.reader.get("payslip", id) else { throw KernelError.recordNotFound("payslip", id) }
        return Explanation.payslip(slip, table: TaxTable.current(tx.schema))
    }
}
