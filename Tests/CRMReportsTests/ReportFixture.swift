import CRMKernel
import CRMPlugins
import CRMScripting
import CRMServer
import Foundation
import Hummingbird
import HummingbirdTesting

/// A workspace with the built-in modules, the stock pack (with its 销售业绩月报) and the
/// modules' scripts, plus `extraScript` as `90_test.lua`: a 销售经理 heading 华南销售部 with
/// two reps, a rep of another team, an administrator, a `viewer` role that cannot see
/// `received`, and signed orders in November and December 2026.
final class ReportFixture: @unchecked Sendable {
    let dir: URL
    let host: ScriptHost
    var tokens: [String: String] = [:]
    var ids: [String: Int64] = [:]
    var team: Int64 = 0

    static var stockPack: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/stock").standardizedFileURL
    }

    static let viewerRole = """
        crm.role("viewer", { label = "查看者", scope = "all",
          grants = { order = { "read" }, user = { "read" }, team = { "read" } }, hidden = { order = { "received" } } })
        """

    init(extraScript: String? = nil, orders: Bool = true) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("crm-reports-\(UUID().uuidString)")
        let ws = try Workspace(directory: dir, registry: try BuiltInPlugins.registry(), create: true, configure: false)
        try Workspace.copyScripts(from: Self.stockPack, into: ws.scriptsDirectory)
        try ws.installModuleScripts()
        try Data((Self.viewerRole + "\n" + (extraScript ?? "")).utf8).write(to: ws.scriptsDirectory.appendingPathComponent("90_test.lua"))
        host = try ScriptHost(workspace: ws)
        try ws.store.write(as: .system) { tx in
            ids["admin"] = try tx.create("user", ["name": .text("admin"), "role": .text("admin")]).id
            let m = try tx.create("user", ["name": .text("boss_zhang"), "display_name": .text("张经理"), "role": .text("sales_manager")]).id
            team = try tx.create("team", ["name": .text("华南销售部"), "manager": .integer(m)]).id
            _ = try tx.update("user", m, ["team": .integer(team)])
            ids["boss_zhang"] = m
            ids["li"] = try tx.create("user", ["name": .text("li"), "display_name": .text("李娜"), "role": .text("sales_rep"), "team": .integer(team)]).id
            ids["wang"] = try tx.create("user", ["name": .text("wang"), "display_name": .text("王强"), "role": .text("sales_rep"), "team": .integer(team)]).id
            let other = try tx.create("team", ["name": .text("华北销售部")]).id
            ids["zhao"] = try tx.create("user", ["name": .text("zhao"), "display_name": .text("赵敏"), "role": .text("sales_rep"), "team": .integer(other)]).id
            ids["viewer"] = try tx.create("user", ["name": .text("viewer"), "role": .text("viewer")]).id
            ids["customer"] = try tx.create("customer", ["name": .text("深圳华信科技有限公司"), "phone": .text("13800138000"),
                                                             "industry": .text("信息技术"), "source": .text("展会推荐"), "owner": .integer(ids["li"]!)]).id
        }
        if orders {
            // li: 10,000 + 30,000 in November, 10,000 received; wang: 20,000, all received; zhao: 5,000 (other team);
            // a draft (not counted) and a December order.
            try order("li", "2026-11-03", total: "10000.00", received: "10000.00")
            try order("li", "2026-11-20", total: "30000.00", received: "0")
            try order("wang", "2026-11-11", total: "20000.00", received: "20000.00")
            try order("zhao", "2026-11-15", total: "5000.00", received: "2500.00")
            try order("wang", "2026-11-16", total: "99999.00", received: "0", status: "草稿")
            try order("li", "2026-12-01", total: "7000.00", received: "0")
        }
        let accounts = Accounts(store: ws.store)
        for name in ["admin", "boss_zhang", "li", "viewer"] {
            tokens[name] = try accounts.createToken(for: name, label: "test", expiresAt: try TokenLifetime.expiry(days: nil, field: "days"), by: .system).token
        }
    }

    deinit {
        // Closed first: its scripts' hooks hold it, which would keep its connections open on the files removed here.
        host.workspace.close()
        try? FileManager.default.removeItem(at: dir)
    }

    var workspace: Workspace { host.workspace }
    var store: RecordStore { host.workspace.store }

    /// An order of `owner`, written as the system straight into the columns reports read.
    func order(_ owner: String, _ signed: String, total: String, received: String, status: String = "已审批") throws {
        let number = "HT-\(ids.count)-\(UUID().uuidString.prefix(8))"
        try store.write(as: .system) { tx in
            let id = try tx.create("order", ["number": .text(number), "title": .text("合同"), "customer": .integer(ids["customer"]!),
                                             "owner": .integer(ids[owner]!), "status": .text(status), "signed_date": .text(signed),
                                             "received": .decimal(Decimal(string: received)!)]).id
            // The module computes the total from lines when the order is created; set it after, as lines would.
            _ = try tx.update("order", id, ["total": .decimal(Decimal(string: total)!)])
        }
    }

    /// The guard of user `name`.
    func access(_ name: String) throws -> AccessGuard {
        let user = try store.read { try $0.system.get("user", ids[name]!) }!
        let acting = ActingUser(id: user.id, name: name, role: user["role"].textValue ?? "")
        return try store.read { try AccessGuard(user: acting, schema: $0.schema, reader: $0) }
    }

    /// Runs `body` with a test client of the API router.
    func withClient(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let server = APIServer(host: host, configuration: ServerConfiguration(runJobs: false, deliverWebhooks: false))
        let app = Application(router: server.router())
        try await app.test(.router, body)
    }
}
