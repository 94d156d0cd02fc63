import CRMKernel
import CRMPlugins
import CRMScripting
import CRMServer
import CRMWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A workspace with the stock pack, users with passwords, and the API router with the web
/// interface mounted, as `crm serve` runs it.
final class WebFixture: @unchecked Sendable {
    static let password = "secret-pass-1"
    let dir: URL
    let host: ScriptHost
    let server: APIServer
    var ids: [String: Int64] = [:]

    static var stockPack: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/stock").standardizedFileURL
    }

    /// Creates the workspace; `companyScript` is added after the stock files; users named in
    /// `initial` keep an initial password they must change; `plugins` join the built-in ones.
    init(companyScript: String? = nil, initial: Set<String> = [], plugins: [any Plugin] = []) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("crm-web-\(UUID().uuidString)")
        let ws = try Workspace(directory: dir, registry: try PluginRegistry(BuiltInPlugins.all + plugins), create: true, configure: false)
        try Workspace.copyScripts(from: Self.stockPack, into: ws.scriptsDirectory)
        try ws.installModuleScripts()
        if let companyScript {
            try companyScript.write(to: ws.scriptsDirectory.appendingPathComponent("90_company.lua"), atomically: true, encoding: .utf8)
        }
        host = try ScriptHost(workspace: ws)
        server = APIServer(host: host, configuration: ServerConfiguration(runJobs: false, deliverWebhooks: false), contributors: [WebInterface()])
        let accounts = Accounts(store: ws.store)
        try ws.store.write(as: .system) { tx in
            for (name, role) in [("boss", "admin"), ("rep1", "sales_rep"), ("rep2", "sales_rep")] {
                ids[name] = try tx.create("user", ["name": .text(name), "role": .text(role), "display_name": .text(name)]).id
            }
        }
        for (name, id) in ids { try accounts.setPassword(Self.password, for: id, initial: initial.contains(name), by: .system) }
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

/// A page as the browser gets it.
struct Page {
    var status: Int
    var html: String
    var headers: HTTPFields

    var location: String? { headers[.location] }

    /// The value of the first hidden input named `name`.
    func hidden(_ name: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    /// `name=value` of the cookies set.
    var cookies: [String: String] {
        var out: [String: String] = [:]
        for value in headers[values: .setCookie] {
            let first = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            out[String(first[0])] = first.count > 1 ? String(first[1]) : ""
        }
        return out
    }
}

/// A browser-like session: keeps cookies, sends forms.
final class Browser: @unchecked Sendable {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]

    init(_ client: any TestClientProtocol) { self.client = client }

    func get(_ uri: String) async throws -> Page { try await send(.get, uri, body: nil) }

    /// Posts `fields` form-encoded, adding `_csrf` from `csrfFrom` unless given.
    func post(_ uri: String, _ fields: [(String, String)]) async throws -> Page {
        let body = fields.map { "\(enc($0.0))=\(enc($0.1))" }.joined(separator: "&")
        return try await send(.post, uri, body: body)
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, body: String?, headers extra: HTTPFields = [:]) async throws -> Page {
        var headers = extra
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if body != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        let page = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { r in
            Page(status: Int(r.status.code), html: String(buffer: r.body), headers: r.headers)
        }
        for (k, v) in page.cookies { if v.isEmpty { cookies[k] = nil } else { cookies[k] = v } }
        return page
    }

    /// Signs in through the sign-in form.
    @discardableResult
    func signIn(_ name: String, password: String = WebFixture.password, next: String = "/") async throws -> Page {
        let form = try await get("/login")
        let csrf = form.hidden("_csrf") ?? ""
        return try await post("/login", [("_csrf", csrf), ("next", next), ("username", name), ("password", password)])
    }

    /// The CSRF token of the signed-in session, read from a page.
    func csrf() async throws -> String { try await get("/").hidden("_csrf") ?? "" }

    func enc(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
