import CRMKernel
import CRMPlugins
import CRMScripting
import CRMServer
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A workspace with the stock pack, a few users with tokens, and the API router over it.
final class ServerFixture: @unchecked Sendable {
    let dir: URL
    let host: ScriptHost
    let server: APIServer
    var tokens: [String: String] = [:]
    var ids: [String: Int64] = [:]

    /// The repository's stock pack (the kernel's part: roles).
    static var stockPack: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/stock").standardizedFileURL
    }

    /// Creates the workspace; `companyScript` is added to the pack after the stock files.
    init(companyScript: String? = nil, maxBody: Int = 1 << 20) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("crm-server-\(UUID().uuidString)")
        let ws = try Workspace(directory: dir, registry: try BuiltInPlugins.registry(), create: true, configure: false)
        try Workspace.copyScripts(from: Self.stockPack, into: ws.scriptsDirectory)
        try ws.installModuleScripts()
        if let companyScript {
            try companyScript.write(to: ws.scriptsDirectory.appendingPathComponent("90_company.lua"), atomically: true, encoding: .utf8)
        }
        host = try ScriptHost(workspace: ws)
        server = APIServer(host: host, configuration: ServerConfiguration(maxBodyBytes: maxBody, runJobs: false, deliverWebhooks: false))
        let store = ws.store
        let accounts = Accounts(store: store)
        try store.write(as: .system) { tx in
            let south = try tx.create("team", ["name": .text("华南销售部")]).id
            let north = try tx.create("team", ["name": .text("华北销售部")]).id
            for (name, role, team) in [("boss", "admin", nil), ("mgr", "sales_manager", south), ("rep1", "sales_rep", south),
                                       ("rep2", "sales_rep", south), ("rep3", "sales_rep", north)] as [(String, String, Int64?)] {
                var values: [String: Value] = ["name": .text(name), "role": .text(role)]
                if let team { values["team"] = .integer(team) }
                ids[name] = try tx.create("user", values).id
            }
            try tx.update("team", south, ["manager": .integer(ids["mgr"]!)])
        }
        for name in ["boss", "mgr", "rep1", "rep2", "rep3"] {
            tokens[name] = try accounts.createToken(for: name, label: "test", expiresAt: try TokenLifetime.expiry(days: nil, field: "days"), by: .system).token
        }
    }

    deinit {
        // Closed first: its scripts' hooks hold it, which would keep its connections open on the files removed here.
        host.workspace.close()
        try? FileManager.default.removeItem(at: dir)
    }

    /// Runs `body` with a client of the router, then stops the server's threads.
    func withClient(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: server.router())
        do { try await app.test(.router) { client in try await body(client) } } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }
}

/// A response read as text and JSON.
struct Reply {
    var status: Int
    var text: String
    var headers: HTTPFields
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(text.utf8)) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    var data: [[String: Any]] { object["data"] as? [[String: Any]] ?? [] }
}

extension TestClientProtocol {
    /// Sends a request as `token`'s user (none when nil) and reads the reply.
    func call(_ method: HTTPRequest.Method, _ uri: String, token: String?, body: String? = nil) async throws -> Reply {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { r in
            Reply(status: Int(r.status.code), text: String(buffer: r.body), headers: r.headers)
        }
    }
}

/// A valid customer body.
func customerJSON(_ name: String, phone: String, extra: String = "") -> String {
    #"{"name":"\#(name)","phone":"\#(phone)","industry":"制造业","source":"展会推荐"\#(extra)}"#
}
