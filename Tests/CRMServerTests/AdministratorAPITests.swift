import CRMKernel
import CRMServer
import Foundation
import Testing

extension ServerFixture {
    /// Adds a user with `role` (as the system) and returns their id and an API token.
    func addUser(_ name: String, role: String) throws -> (id: Int64, token: String) {
        let store = host.workspace.store
        let id = try store.create("user", ["name": .text(name), "role": .text(role)]).id
        let expires = try TokenLifetime.expiry(days: nil, field: "days")
        let token = try Accounts(store: store).createToken(for: name, label: "test", expiresAt: expires, by: .system).token
        ids[name] = id
        tokens[name] = token
        return (id, token)
    }
}

/// Who administers the workspace is decided by the role's definition, in one place; user
/// roles, teams and activity are administrator business, and the last administrator stays.
struct AdministratorAPITests {
    static let chiefRole = """
        crm.role("chief", { label = "总经理", scope = "all", grants = { ["*"] = { "admin" } } })
        crm.role("hr", { label = "人事", scope = "all",
          grants = { user = { "read", "create", "update", "delete" }, team = { "read", "create", "update" } } })
        """

    @Test func aCompanyRoleWithAdminOnEverythingIsAnAdministratorInEveryCheck() async throws {
        let f = try ServerFixture(companyScript: Self.chiefRole)
        let chief = try f.addUser("chief", role: "chief").token
        try await f.withClient { c in
            let made = try await c.call(.post, "/api/v1/records/customer", token: f.tokens["rep1"]!, body: customerJSON("公海测试客户", phone: "13900000031"))
            let id = try #require(made.object["id"] as? Int)
            #expect(try await c.call(.get, "/api/v1/modules", token: chief).status == 200)
            // The pool's "owner or administrator" rule and reclaim's "administrator" rule ask the same question.
            let released = try await c.call(.post, "/api/v1/actions/customers/release", token: chief, body: #"[\#(id), "客户要求更换负责人"]"#)
            #expect(released.status == 200, "\(released.text)")
            let reclaim = try await c.call(.post, "/api/v1/actions/customers/reclaim", token: chief, body: "[{}]")
            #expect(reclaim.status == 200, "\(reclaim.text)")
            #expect(try await c.call(.post, "/api/v1/actions/customers/reclaim", token: f.tokens["mgr"]!, body: "[{}]").status == 403)
        }
    }

    @Test func anAdminRoleRedeclaredWithoutAdminOnEverythingIsNoLongerAnAdministrator() async throws {
        let f = try ServerFixture(companyScript: """
            crm.role("admin", { label = "管理员", scope = "all", grants = { customer = { "read" } } })
            """)
        try await f.withClient { c in
            let modules = try await c.call(.get, "/api/v1/modules", token: f.tokens["boss"]!)
            let me = try await c.call(.get, "/api/v1/me", token: f.tokens["boss"]!)
            #expect(modules.status == 403)
            #expect(me.object["administrator"] as? Bool == false)
        }
    }

    @Test func aRoleGrantedUpdateOnUsersCannotChangeRolesTeamsOrActivity() async throws {
        let f = try ServerFixture(companyScript: Self.chiefRole)
        let hr = try f.addUser("hr1", role: "hr")
        let rep1 = f.ids["rep1"]!
        try await f.withClient { c in
            for body in [#"{"role":"admin"}"#, #"{"role":"chief"}"#] {
                let promote = try await c.call(.patch, "/api/v1/records/user/\(hr.id)", token: hr.token, body: body)
                #expect(promote.status == 403 && promote.text.contains("\"field\":\"role\""), "\(promote.text)")
            }
            let north = try await c.call(.get, "/api/v1/records/team?name=%E5%8D%8E%E5%8C%97%E9%94%80%E5%94%AE%E9%83%A8", token: hr.token).data.first?["id"] as? Int
            #expect(try await c.call(.patch, "/api/v1/records/user/\(rep1)", token: hr.token, body: #"{"team":\#(try #require(north))}"#).status == 403)
            #expect(try await c.call(.patch, "/api/v1/records/user/\(rep1)", token: hr.token, body: #"{"active":false}"#).status == 403)
            #expect(try await c.call(.post, "/api/v1/records/user", token: hr.token, body: #"{"name":"mole","role":"admin"}"#).status == 403)
            #expect(try await c.call(.post, "/api/v1/records/user", token: hr.token, body: #"{"name":"mole2","role":"sales_rep"}"#).status == 403)
            #expect(try await c.call(.delete, "/api/v1/records/user/\(rep1)", token: hr.token).status == 403)
            // Making oneself a team's manager (or re-parenting teams) widens scopes: refused too.
            #expect(try await c.call(.patch, "/api/v1/records/team/\(north!)", token: hr.token, body: #"{"manager":\#(hr.id)}"#).status == 403)
            #expect(try await c.call(.post, "/api/v1/records/team", token: hr.token, body: #"{"name":"新团队","parent":\#(north!)}"#).status == 403)
            // What the grant is for still works.
            #expect(try await c.call(.patch, "/api/v1/records/user/\(rep1)", token: hr.token, body: #"{"display_name":"李娜"}"#).status == 200)
            #expect(try await c.call(.post, "/api/v1/records/team", token: hr.token, body: #"{"name":"空团队"}"#).status == 201)
            #expect(try await c.call(.get, "/api/v1/me", token: hr.token).object["role"] as? String == "hr")
            // An administrator may do all of it.
            #expect(try await c.call(.patch, "/api/v1/records/user/\(rep1)", token: f.tokens["boss"]!, body: #"{"team":\#(north!),"role":"sales_manager"}"#).status == 200)
        }
    }

    @Test func theLastAdministratorCannotBeDemotedDeactivatedOrDeleted() async throws {
        let f = try ServerFixture(companyScript: Self.chiefRole)
        let (boss, bossID, mgrID) = (f.tokens["boss"]!, f.ids["boss"]!, f.ids["mgr"]!)
        try await f.withClient { c in
            for body in [#"{"role":"sales_rep"}"#, #"{"active":false}"#] {
                let alone = try await c.call(.patch, "/api/v1/records/user/\(bossID)", token: boss, body: body)
                #expect(alone.status == 409 && alone.text.contains("last active administrator"), "\(alone.text)")
            }
            #expect(try await c.call(.delete, "/api/v1/records/user/\(bossID)", token: boss).status == 409)
            // With a second administrator (of another administrator role), the first may step down.
            #expect(try await c.call(.patch, "/api/v1/records/user/\(mgrID)", token: boss, body: #"{"role":"chief"}"#).status == 200)
            #expect(try await c.call(.patch, "/api/v1/records/user/\(bossID)", token: boss, body: #"{"role":"sales_rep"}"#).status == 200)
            // Now the company's own administrator is the last one.
            #expect(try await c.call(.patch, "/api/v1/records/user/\(mgrID)", token: f.tokens["mgr"]!, body: #"{"active":false}"#).status == 409)
        }
        // The rule is the kernel's: the system is held to it as well.
        #expect(throws: KernelError.self) { try f.host.workspace.store.update("user", mgrID, ["role": .text("sales_rep")]) }
    }
}
