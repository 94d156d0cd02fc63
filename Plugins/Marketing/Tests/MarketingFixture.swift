import CRMKernel
import CRMModuleTestSupport
import CRMScripting
import HummingbirdTesting

/// A workspace with the built-in modules, the stock packs (kernel and modules), a company file
/// of test rules, an administrator, a marketing manager, a sales manager and two reps.
final class MarketingFixture: @unchecked Sendable {
    let workspace: ModuleTestWorkspace
    var users: [String: Int64] = [:]
    var tokens: [String: String] = [:]

    /// `companyLua` is written as `scripts/90_company.lua` (after the stock packs).
    init(companyLua: String = "") throws {
        workspace = try ModuleTestWorkspace(prefix: "crm-marketing", companyLua: companyLua)
        try workspace.store.write(as: .system) { tx in
            for (name, role) in [("boss", "admin"), ("chenjing", "marketing_manager"), ("zhangwei", "sales_manager"),
                                 ("lina", "sales_rep"), ("wangqiang", "sales_rep")] {
                users[name] = try tx.create("user", ["name": .text(name), "role": .text(role)]).id
            }
        }
        tokens = try workspace.tokens(for: users.keys)
    }

    var host: ScriptHost { workspace.host }
    var store: RecordStore { workspace.store }

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
        try await workspace.withClient(body)
    }
}
