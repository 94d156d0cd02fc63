import CRMKernel
import CRMPlugins
import CRMScripting
import CRMServer
import Foundation
import Hummingbird
import HummingbirdTesting

/// A workspace with the built-in modules and the stock packs, a company file of test rules, an
/// administrator, a service manager and three agents of 客服部 with skills, a customer with a contact.
final class ServiceFixture: @unchecked Sendable {
    let dir: URL
    let host: ScriptHost
    var users: [String: Int64] = [:]
    var tokens: [String: String] = [:]
    var team: Int64 = 0
    var customer: Int64 = 0
    var contact: Int64 = 0

    static var stockPack: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../scripts/stock").standardizedFileURL
    }

    /// `companyLua` is written as `scripts/90_company.lua` (after the stock packs).
    init(companyLua: String = "") throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("crm-service-\(UUID().uuidString)")
        let ws = try Workspace(directory: dir, registry: try BuiltInPlugins.registry(), create: true, configure: false)
        try Workspace.copyScripts(from: Self.stockPack, into: ws.scriptsDirectory)
        try ws.installModuleScripts()
        try companyLua.write(to: ws.scriptsDirectory.appendingPathComponent("90_company.lua"), atomically: true, encoding: .utf8)
        host = try ScriptHost(workspace: ws)
        try ws.store.write(as: .system) { tx in
            team = try tx.create("team", ["name": .text("客服部")]).id
            users["boss"] = try tx.create("user", ["name": .text("boss"), "role": .text("admin")]).id
            let manager = try tx.create("user", ["name": .text("zhouyan"), "display_name": .text("周燕"), "role": .text("service_manager"), "team": .integer(team)]).id
            users["zhouyan"] = manager
            _ = try tx.update("team", team, ["manager": .integer(manager)])
            for (name, skills, available) in [("sunli", ["安装调试"], true), ("liuyang", ["故障报修"], true), ("hefang", ["账单发票"], false)] {
                users[name] = try tx.create("user", ["name": .text(name), "display_name": .text(name), "role": .text("service_agent"), "team": .integer(team),
                                                     "service_skills": .list(skills), "service_available": .bool(available)]).id
            }
            customer = try tx.create("customer", ["name": .text("深圳市华强电子有限公司"), "phone": .text("13800138000"), "industry": .text("制造业"),
                                                  "source": .text("官网咨询"), "grade": .text("A")]).id
            contact = try tx.create("contact", ["customer": .integer(customer), "name": .text("王芳"), "email": .text("wangfang@huaqiang.cn")]).id
        }
        let accounts = Accounts(store: ws.store)
        for name in users.keys {
            tokens[name] = try accounts.createToken(for: name, label: "test", expiresAt: try TokenLifetime.expiry(days: nil, field: "days"), by: .system).token
        }
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    var store: RecordStore { host.workspace.store }

    /// Creates a ticket as the system with `values` over a plain default.
    func ticket(_ values: [String: Value] = [:]) throws -> Record {
        try store.create("ticket", ["subject": .text("设备安装后无法开机"), "category": .text("安装调试"), "customer": .integer(customer),
                                    "contact": .integer(contact), "owner": .null].merging(values) { _, new in new })
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
    var data: [String: Any] { object["data"] as? [String: Any] ?? [:] }
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
