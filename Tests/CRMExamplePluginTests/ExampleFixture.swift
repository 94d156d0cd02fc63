import CRMExamplePlugin
import CRMKernel
import CRMModuleTestSupport
import CRMPlugins
import CRMScripting
import CRMServer
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A workspace with the built-in plugins plus the example module (registered the way an
/// integrator's line in the built-in list would), the stock pack, an administrator and a rep.
final class ExampleFixture: @unchecked Sendable {
    let dir: URL
    let registry: PluginRegistry
    let host: ScriptHost
    var tokens: [String: String] = [:]
    var customer: Int64 = 0

    static var stockPack: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/stock").standardizedFileURL
    }

    /// A workspace whose pack also holds `files` (name → Lua source).
    init(files: [String: String] = [:]) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("crm-example-\(UUID().uuidString)")
        registry = try PluginRegistry(BuiltInPlugins.all + [WarrantyPlugin()])
        let ws = try Workspace(directory: dir, registry: registry, create: true, configure: false)
        try Workspace.copyScripts(from: Self.stockPack, into: ws.scriptsDirectory)
        try ws.installModuleScripts()
        for (name, source) in files {
            try Data(source.utf8).write(to: ws.scriptsDirectory.appendingPathComponent(name))
        }
        do { host = try ScriptHost(workspace: ws) } catch {
            try? FileManager.default.removeItem(at: dir)
            throw error
        }
        try ws.store.write(as: .system) { tx in
            for (name, role) in [("boss", "admin"), ("rep", "sales_rep"), ("marketer", "marketing_manager")] { _ = try tx.create("user", ["name": .text(name), "role": .text(role)]) }
            customer = try tx.create("customer", ["name": .text("甲公司"), "phone": .text("13800000001"), "industry": .text("制造业"),
                                                  "source": .text("展会推荐")]).id
            for (product, status) in [("空压机 A1", "待处理"), ("空压机 B2", "处理中"), ("冷干机, \"旧款\"", "已关闭")] {
                _ = try tx.create("warranty_claim", ["customer": .integer(customer), "product": .text(product), "status": .text(status)])
            }
        }
        let accounts = Accounts(store: ws.store)
        for name in ["boss", "rep", "marketer"] { tokens[name] = try accounts.createToken(for: name, label: "test", expiresAt: try TokenLifetime.expiry(days: nil, field: "days"), by: .system).token }
    }

    deinit {
        // Closed first: its scripts' hooks hold it, which would keep its connections open on the files removed here.
        host.workspace.close()
        try? FileManager.default.removeItem(at: dir)
    }

    /// Runs `body` with a test client of the API router.
    func withClient(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await withAPITestClient(host, body)
    }
}

/// A response read as text.
struct Reply {
    var status: Int
    var text: String
    var headers: HTTPFields
    var object: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
    var data: [[String: Any]] { object["data"] as? [[String: Any]] ?? [] }
}

extension TestClientProtocol {
    /// Sends a request as `token`'s user (none when nil).
    func call(_ method: HTTPRequest.Method, _ uri: String, token: String?) async throws -> Reply {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await execute(uri: uri, method: method, headers: headers, body: nil) { r in
            Reply(status: Int(r.status.code), text: String(buffer: r.body), headers: r.headers)
        }
    }
}
