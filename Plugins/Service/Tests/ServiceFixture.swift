import CRMKernel
import CRMModuleTestSupport
import CRMScripting
import HummingbirdTesting

/// A workspace with the built-in modules and the stock packs, a company file of test rules, an
/// administrator, a service manager and three agents of 客服部 with skills, a customer with a contact.
final class ServiceFixture: @unchecked Sendable {
    let workspace: ModuleTestWorkspace
    var users: [String: Int64] = [:]
    var tokens: [String: String] = [:]
    var team: Int64 = 0
    var customer: Int64 = 0
    var contact: Int64 = 0

    /// `companyLua` is written as `scripts/90_company.lua` (after the stock packs).
    init(companyLua: String = "") throws {
        workspace = try ModuleTestWorkspace(prefix: "crm-service", companyLua: companyLua)
        try workspace.store.write(as: .system) { tx in
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
        tokens = try workspace.tokens(for: users.keys)
    }

    var host: ScriptHost { workspace.host }
    var store: RecordStore { workspace.store }

    /// Creates a ticket as the system with `values` over a plain default.
    func ticket(_ values: [String: Value] = [:]) throws -> Record {
        try store.create("ticket", ["subject": .text("设备安装后无法开机"), "category": .text("安装调试"), "customer": .integer(customer),
                                    "contact": .integer(contact), "owner": .null].merging(values) { _, new in new })
    }

    /// Runs `body` with a test client of the API router.
    func withClient(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await workspace.withClient(body)
    }
}
