import CRMKernel
import CRMPlugins
import CRMScripting
import CRMServer
import Foundation
import Hummingbird
import HummingbirdTesting

/// A temporary workspace for a module's tests: the built-in modules, the stock packs (kernel and
/// modules) and a company file of test rules, a script host over it, API tokens for its users and
/// a test client of the API router. Its folder is removed when released. A module's fixture
/// (`MarketingFixture`, `ServiceFixture`) adds the users and records its tests need.
public final class ModuleTestWorkspace: @unchecked Sendable {
    /// The workspace folder.
    public let dir: URL
    /// The script host (and through it the workspace).
    public let host: ScriptHost

    /// The repository's stock scripts (`scripts/stock`).
    public static var stockPack: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/stock").standardizedFileURL
    }

    /// Creates the workspace in a fresh temporary folder named `<prefix>-<uuid>`; `companyLua` is
    /// written as `scripts/90_company.lua` (after the stock packs).
    public init(prefix: String, companyLua: String = "") throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        let ws = try Workspace(directory: dir, registry: try BuiltInPlugins.registry(), create: true, configure: false)
        try Workspace.copyScripts(from: Self.stockPack, into: ws.scriptsDirectory)
        try ws.installModuleScripts()
        try companyLua.write(to: ws.scriptsDirectory.appendingPathComponent("90_company.lua"), atomically: true, encoding: .utf8)
        host = try ScriptHost(workspace: ws)
    }

    deinit {
        // Closed first: its scripts' hooks hold it, which would keep its connections open on the files removed here.
        host.workspace.close()
        try? FileManager.default.removeItem(at: dir)
    }

    /// The workspace's record store.
    public var store: RecordStore { host.workspace.store }

    /// A non-expiring API token for each of `logins`, by login.
    public func tokens(for logins: some Sequence<String>) throws -> [String: String] {
        let accounts = Accounts(store: store)
        var tokens: [String: String] = [:]
        for name in logins {
            tokens[name] = try accounts.createToken(for: name, label: "test", expiresAt: try TokenLifetime.expiry(days: nil, field: "days"), by: .system).token
        }
        return tokens
    }

    /// Runs `body` with a test client of the API router (no jobs, no webhook deliveries); the
    /// server is shut down afterwards, also when `body` throws.
    public func withClient(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await withAPITestClient(host, body)
    }
}

/// Runs `body` with a test client of `host`'s API router (no jobs, no webhook deliveries); the
/// server is shut down afterwards, also when `body` throws. Every module fixture's `withClient`.
public func withAPITestClient(_ host: ScriptHost, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
    let server = APIServer(host: host, configuration: ServerConfiguration(runJobs: false, deliverWebhooks: false))
    let app = Application(router: server.router())
    do { try await app.test(.router) { client in try await body(client) } } catch {
        await server.shutdown()
        throw error
    }
    await server.shutdown()
}
