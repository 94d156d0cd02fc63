import CRMKernel
import CRMPlugins
import CRMScripting
import CRMServer
import Foundation
import Hummingbird
import HummingbirdTesting

/// A workspace with the built-in modules, the stock packs (kernel and modules), a company file
/// of test rules, an administrator, a marketing manager, a sales manager and two reps.
final class MarketingFixture: @unchecked Sendable {
    let dir: URL
    let host: ScriptHost
    var users: [String: Int64] = [:]
    var tokens: [String: String] = [:]

    static var stockPack: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../scripts/stock").standardizedFileURL
    }

    /// `companyLua` is written as `scripts/90_company.lua` (after the stock packs).
    init(companyLua: String = "") throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("crm-marketing-\(UUID().uuidString)")
        let ws = try Workspace(directory: dir, registry: try BuiltInPlugins.registry(), create: true, configure: false)
        try Workspace.copyScripts(from: Self.stockPack, into: ws.scriptsDirectory)
        try ws.installModuleScripts()
        try companyLua.write(to: ws.scriptsDirectory.appendingPathComponent("90_company.lua"), atomically: true, encoding: .utf8)
        host = try ScriptHost(workspace: ws)
        try ws.store.write(as: .system) { tx in
            for (name, role) in [("boss", "admin"), ("chenjing", "marketing_manager"), ("zhangwei", "sales_manager"),
                                 ("lina", "sales_rep"), ("wangqiang", "sales_rep")] {
                users[name] = try tx.create("user", ["name": .text(name), "role": .text(role)]).id
            }
        }
        let accounts = Accounts(store: ws.store)
        for name in users.keys {
            tokens[name] = try accounts.createToken(for: name, label: "test", expiresAt: try TokenLifetime.expiry(days: nil, field: "days"), by: .system).token
        }
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    var store: RecordStore { host.workspace.store }

    /// Creates a campaign as the system.
    func campaign(_ name: String) throws -> Int64 {
        try store.create("campaign", ["name": .text(name), "type": .text("展会")]).id
    }

    /// Creates a lead as the system (no owner), with `values` over a plain default.
    func lead(_ values: [String: Value] = [:]) throws -> Record {
        try store.create("lead", ["name": .text("李雷"), "source": .text("展会"), "owner": .null].merging(values) { _, new in new })
    }

    /// Runs `body` with a test client of the API router.
    func withClient(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let server = APIServer(host: host, configuration: ServerConfiguration(runJobs: false, deliverWebhooks: false))
        let app = Application(router: server.router())
        do { try await app.test(.router) { client in try await body(client) } } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }
}

/// A response read as text.
struct Reply {
    var status: Int
    var text: String
    var object: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
}

extension TestClientProtocol {
    /// Sends a JSON body (or none) as `token`'s user (none when nil).
    func call(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil) async throws -> Reply {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }) { r in
            Reply(status: Int(r.status.code), text: String(buffer: r.body))
        }
    }
}

/// The kernel error `body` throws, or nil.
func kernelError(_ body: () throws -> Void) -> KernelError? {
    do { try body(); return nil } catch let error as KernelError { return error } catch { return nil }
}
