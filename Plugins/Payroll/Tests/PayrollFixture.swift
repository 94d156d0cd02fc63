import CRMKernel
import CRMModuleTestSupport
@testable import CRMOrders
@testable import CRMPayroll
import CRMPlugins
import CRMScripting
import CRMServer
import Foundation
import Hummingbird
import HummingbirdTesting

/// A workspace with the built-in modules, the stock pack and the modules' scripts (so the plans,
/// the tax table and the approval flows come from the packs), plus an optional company script:
/// an administrator, a 财务, a 销售经理 heading a team with two 销售专员 (rep, rep2), pay
/// profiles for the reps and a customer. The time zone is UTC+8 (Asia/Shanghai).
final class PayrollFixture: @unchecked Sendable {
    let dir: URL
    let host: ScriptHost
    var tokens: [String: String] = [:]
    var ids: [String: Int64] = [:]
    var customer: Int64 = 0

    static var stockPack: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../scripts/stock").standardizedFileURL
    }

    init(company: String? = nil, profiles: Bool = true) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("crm-payroll-\(UUID().uuidString)")
        let ws = try Workspace(directory: dir, registry: try BuiltInPlugins.registry(), create: true, configure: false)
        try Workspace.copyScripts(from: Self.stockPack, into: ws.scriptsDirectory)
        try ws.installModuleScripts()
        if let company { try company.write(to: ws.scriptsDirectory.appendingPathComponent("90_company.lua"), atomically: true, encoding: .utf8) }
        host = try ScriptHost(workspace: ws)
        var made: [String: Int64] = [:]
        try ws.store.write(as: .system) { tx in
            made["admin"] = try tx.create("user", ["name": .text("admin"), "role": .text("admin")]).id
            made["finance"] = try tx.create("user", ["name": .text("zhaomin"), "role": .text("finance")]).id
            let m = try tx.create("user", ["name": .text("boss"), "role": .text("sales_manager")]).id
            let team = try tx.create("team", ["name": .text("华南销售部"), "manager": .integer(m)]).id
            _ = try tx.update("user", m, ["team": .integer(team)])
            made["boss"] = m
            made["team"] = team
            for name in ["rep", "rep2"] {
                made[name] = try tx.create("user", ["name": .text(name), "role": .text("sales_rep"), "team": .integer(team)]).id
            }
            customer = try tx.create("customer", ["name": .text("深圳华信科技有限公司"), "phone": .text("13800138000"), "industry": .text("信息技术"),
                                                  "source": .text("展会推荐"), "owner": .integer(made["rep"]!)]).id
            if profiles {
                for name in ["rep", "rep2"] {
                    // 月薪 10,000，津贴 500，社保/公积金基数 10,000 (深圳), 专项附加扣除 2,000.
                    _ = try tx.create("pay_profile", ["user": .integer(made[name]!), "base_salary": .decimal(10_000), "allowance": .decimal(500),
                                                      "special_deduction": .decimal(2_000), "city": .text("深圳"),
                                                      "insurance_base": .decimal(10_000), "fund_base": .decimal(10_000), "active": .bool(true)])
                }
            }
        }
        ids = made
        let accounts = Accounts(store: ws.store)
        for name in ["admin", "zhaomin", "boss", "rep", "rep2"] {
            tokens[name] = try accounts.createToken(for: name, label: "test", expiresAt: try TokenLifetime.expiry(days: nil, field: "days"), by: .system).token
        }
    }

    deinit {
        // Closed first: its scripts' hooks hold it, which would keep its connections open on the files removed here.
        host.workspace.close()
        try? FileManager.default.removeItem(at: dir)
    }

    var store: RecordStore { host.workspace.store }

    /// The acting user of a test login.
    func user(_ name: String) throws -> ActingUser {
        let record = try require_(store.read { try $0.find(Query("user", filter: .eq("name", .text(name)), limit: 1)).records.first })
        return ActingUser(id: record.id, name: name, role: record["role"].textValue)
    }

    /// The guard of a user.
    func access(_ user: ActingUser) throws -> AccessGuard { try store.read { try AccessGuard(user: user, schema: $0.schema, reader: $0) } }

    /// Writes as a user under their access.
    func write<T>(as name: String, _ body: (WriteContext) throws -> T) throws -> T {
        let u = try user(name)
        return try store.write(as: u, access: try access(u), body)
    }

    /// A draft order of `owner` with one free-text service line (net amount `yuan`), submitted and
    /// approved at once by the stock flow (no step applies), then the consumers drained.
    @discardableResult
    func approvedOrder(yuan: Decimal, owner: String = "rep", split: String? = nil) throws -> Int64 {
        var header: [String: Value] = ["customer": .integer(customer), "title": .text("测试合同"), "owner": .integer(ids[owner]!)]
        if let split { header["commission_split"] = .text(split) }
        let id = try store.write(as: .system) { tx in
            let order = try OrderService.save(tx, entity: "order", id: nil, header: header, lines: [
                ["description": .text("实施服务"), "quantity": .decimal(1), "sales_price": .decimal(yuan), "tax_rate": .decimal(0),
                 "unit_cost": .decimal(yuan / 2)],
            ])
            _ = try OrderApprovals.submit(tx, order.id)
            return order.id
        }
        store.drainConsumers()
        return id
    }

    /// Adds a ledger entry as the system (history the consumers would have written).
    func credit(_ user: String, day: String, kind: String, base: String, fen: Int64, order: Int64? = nil) throws {
        try store.write(as: .system) { tx in
            let o = try order.flatMap { try tx.reader.get("order", $0) }
            _ = try CreditLedger.write(tx, user: ids[user]!, day: day, kind: kind, base: base, amount: fen, share: 10_000, order: o,
                                       reason: kind == "adjustment" ? "test" : nil, event: nil)
        }
    }

    /// A commission rule for everyone from `from`.
    func rule(_ plan: String, from: String = "2026-01-01", version: Int64 = 1, to: String? = nil) throws {
        var v: [String: Value] = ["name": .text("测试方案"), "plan": .text(plan), "effective_from": .text(from), "plan_version": .integer(version)]
        if let to { v["effective_to"] = .text(to) }
        try store.write(as: .system) { tx in _ = try tx.create("commission_rule", v) }
    }

    /// Runs, submits, approves (as admin) and pays a month; returns the run id.
    @discardableResult
    func closeMonth(_ month: String) throws -> Int64 {
        let run = try write(as: "zhaomin") { try PayrollRuns.run($0, month: month, correction: false, dryRun: false) }.run!.id
        let approval = try write(as: "zhaomin") { tx in try Approvals.submit("payroll_run", run, in: tx) }
        _ = try write(as: "admin") { tx in try Approvals.approve(approval.id, comment: "同意", in: tx) }
        _ = try write(as: "zhaomin") { tx in try PayrollApprovals.pay(tx, run, day: PayPeriod.next(month) + "-10") }
        return run
    }

    /// The payslip of `user` in run `run`.
    func payslip(run: Int64, _ name: String) throws -> Record {
        try require_(store.read { try $0.find(Query("payslip", filter: .all([.eq("run", .integer(run)), .eq("user", .integer(ids[name]!))]), limit: 1)).records.first })
    }

    /// Runs `body` with a test client of the API router.
    func withClient(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await withAPITestClient(host, body)
    }
}

/// The value, or a thrown error when nil.
func require_<T>(_ value: T?) throws -> T {
    guard let value else { throw KernelError(.notFound, "expected a value") }
    return value
}

/// The `KernelError` a throwing body raised.
func kernelError(_ body: () throws -> Void) -> KernelError? {
    do { try body(); return nil } catch let e as KernelError { return e } catch { return nil }
}
