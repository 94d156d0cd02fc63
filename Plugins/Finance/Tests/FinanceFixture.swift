import CRMKernel
import CRMModuleTestSupport
@testable import CRMFinance
@testable import CRMOrders
import CRMPlugins
import CRMScripting
import CRMServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A workspace with the built-in modules, the stock pack and the modules' scripts (the finance
/// flows and policies come from `50_finance.lua`), a 销售经理 heading a team with a 销售专员, a
/// 财务, an administrator, a customer and a console to act as each.
final class FinanceFixture: @unchecked Sendable {
    let dir: URL
    let host: ScriptHost
    let console: Console
    var customer: Int64 = 0
    var rep = ActingUser(id: nil, name: "rep", role: "sales_rep")
    var finance = ActingUser(id: nil, name: "cw", role: "finance")
    var admin = ActingUser(id: nil, name: "admin", role: "admin")
    var tokens: [String: String] = [:]

    static var stockPack: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../scripts/stock").standardizedFileURL
    }

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("crm-finance-\(UUID().uuidString)")
        let ws = try Workspace(directory: dir, registry: try BuiltInPlugins.registry(), create: true, configure: false)
        try Workspace.copyScripts(from: Self.stockPack, into: ws.scriptsDirectory)
        try ws.installModuleScripts()
        host = try ScriptHost(workspace: ws)
        console = Console(host: host) { _ in }
        try ws.store.write(as: .system) { tx in
            admin.id = try tx.create("user", ["name": .text("admin"), "role": .text("admin")]).id
            let m = try tx.create("user", ["name": .text("boss_zhang"), "role": .text("sales_manager")]).id
            let team = try tx.create("team", ["name": .text("华南销售部"), "manager": .integer(m)]).id
            _ = try tx.update("user", m, ["team": .integer(team)])
            rep.id = try tx.create("user", ["name": .text("rep"), "role": .text("sales_rep"), "team": .integer(team)]).id
            finance.id = try tx.create("user", ["name": .text("cw"), "role": .text("finance")]).id
            customer = try tx.create("customer", ["name": .text("深圳华信科技有限公司"), "phone": .text("13800138000"), "industry": .text("信息技术"),
                                                  "source": .text("展会推荐"), "owner": .integer(rep.id ?? 0)]).id
        }
        let accounts = Accounts(store: ws.store)
        for name in ["admin", "rep", "cw"] {
            tokens[name] = try accounts.createToken(for: name, label: "test", expiresAt: try TokenLifetime.expiry(days: nil, field: "days"), by: .system).token
        }
    }

    deinit {
        // Closed first: its scripts' hooks hold it, which would keep its connections open on the files removed here.
        host.workspace.close()
        try? FileManager.default.removeItem(at: dir)
    }

    var store: RecordStore { host.workspace.store }

    /// Today in the workspace's time zone.
    var today: String { (try? store.read { try OrderActions.today($0) }) ?? "" }

    /// `today` moved by `days`.
    func day(_ days: Int) -> String { FinanceDates.adding(months: 0, days: days, to: today) ?? today }

    /// An order of the rep for `yuan` (one line, no tax), approved unless `approve` is false.
    func order(yuan: Decimal = 10_000, approve: Bool = true, terms: String = "30 % 定金, 60 % 验收后, 10 % 质保金 12 个月后") throws -> Int64 {
        try store.write(as: .system) { tx in
            let line: [String: Value] = ["description": .text("实施服务"), "quantity": .decimal(1), "sales_price": .decimal(yuan), "tax_rate": .decimal(0)]
            let order = try OrderService.save(tx, entity: "order", id: nil, header: ["customer": .integer(customer), "title": .text("测试合同"),
                                                                                   "owner": .integer(rep.id ?? 0), "payment_terms": .text(terms)], lines: [line])
            if approve {
                _ = try OrderActions.submit(tx, order.id)
                _ = try OrderActions.approve(tx, order.id)
            }
            return order.id
        }
    }

    /// Runs Lua as `user`, expecting no error.
    @discardableResult
    func run(_ lua: String, as user: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try host.engine.act(as: user)
        let answer = console.evaluate(lua)
        #expect(answer.error == nil, "\(lua): \(answer.error ?? "")", sourceLocation: sourceLocation)
        return answer.output
    }

    /// Runs Lua as `user`, expecting an error; returns it.
    func fail(_ lua: String, as user: String) throws -> String {
        try host.engine.act(as: user)
        return console.evaluate(lua).error ?? ""
    }

    /// Adds a company script `90_company.lua` with `lua` and reloads the pack.
    func companyRules(_ lua: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try (lua + "\n").write(to: host.workspace.scriptsDirectory.appendingPathComponent("90_company.lua"), atomically: true, encoding: .utf8)
        let reload = console.evaluate(".reload")
        #expect(reload.error == nil, "\(reload)", sourceLocation: sourceLocation)
    }

    /// Reads a record as the system.
    func get(_ entity: String, _ id: Int64) throws -> Record {
        guard let record = try store.get(entity, id) else { throw KernelError.recordNotFound(entity, id) }
        return record
    }

    /// Runs `body` with a test client of the API router.
    func withClient(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await withAPITestClient(host, body)
    }
}
