import Foundation
import Testing

/// Tokens, users and secrets through the real `crm` binary.
@Suite(.serialized) struct AdminCLITests {
    @Test func aCLITokenOfAUserWhoMustChangeTheInitialPasswordCanOnlyChangeIt() async throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        #expect(try crm.run(["init"]).status == 0)
        #expect(try crm.run(["user", "add", "newbie", "--role", "sales_rep", "--password", "初始密码abc123"]).status == 0)
        let made = try crm.run(["token", "create", "newbie"])
        #expect(made.status == 0 && made.stderr.contains("must change the initial password"), "\(made.stderr)")
        let token = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("crm_"))

        let server = try ServerProcess(crm)
        defer { server.stop() }
        let read = try await server.call("GET", "/api/v1/records/customer", token: token)
        #expect(read.status == 403 && read.text.contains("password-change-required"), "\(read.text)")
        #expect(try await server.call("POST", "/api/v1/auth/password", token: token,
                                      body: #"{"current_password":"初始密码abc123","new_password":"新密码xyz789"}"#).status == 204)
        #expect(try await server.call("GET", "/api/v1/records/customer", token: token).status == 200)
        #expect(server.stop() == 0)
    }

    @Test func crmTokenCreateAlwaysGivesAnExpiryAndRefusesANonsensicalOne() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        #expect(try crm.run(["init"]).status == 0)
        for bad in ["0", "-1", "1.5", "99999"] {
            let refused = try crm.run(["token", "create", "admin", "--expires-days", bad])
            #expect(refused.status != 0 && refused.stderr.contains("expires-days") && refused.stdout.isEmpty, "\(bad): \(refused.stderr)")
        }
        #expect(try crm.run(["token", "create", "admin"]).status == 0)
        #expect(try crm.run(["token", "create", "admin", "--expires-days", "7"]).status == 0)
        let list = try crm.run(["token", "list", "admin"])
        #expect(list.status == 0 && !list.stdout.contains("never") && list.stdout.contains("live"), "\(list.stdout)")
    }

    @Test func crmRunAsACompanyRoleCannotPromoteItselfAndAnExportHasNoSecrets() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        #expect(try crm.run(["init"]).status == 0)
        try """
            crm.role("hr", { label = "人事", scope = "all", grants = { user = { "read", "update" }, webhook = "*" } })
            """.write(to: crm.workspace.appendingPathComponent("scripts/90_hr.lua"), atomically: true, encoding: .utf8)
        #expect(try crm.run(["user", "add", "hr1", "--role", "hr"]).status == 0)
        let promote = try crm.write("promote.lua", """
            local me = crm.find("user", {name = "hr1"})[1]
            crm.update("user", me.id, {role = "admin"})
            """)
        let refused = try crm.run(["run", promote, "--as", "hr1"])
        #expect(refused.status != 0 && refused.stderr.contains("only an administrator"), "\(refused.stderr)")
        #expect(try crm.run(["user", "list"]).stdout.split(separator: "\n").contains { $0.contains("hr1") && $0.contains("hr") && !$0.contains("admin") })

        let register = try crm.write("register.lua", """
            local w = crm.create("webhook", {url = "http://127.0.0.1:9/hook", events = {"*"}, secret = "cli-s3cret"})
            print("secret=" .. tostring(w.secret))
            """)
        #expect(try crm.run(["run", register, "--as", "hr1"]).status != 0)
        let registered = try crm.run(["run", register])
        #expect(registered.status == 0 && registered.stdout.contains("secret=nil"), "\(registered.stdout) \(registered.stderr)")
        let exported = try crm.run(["export", "webhook"])
        #expect(exported.status == 0 && exported.stdout.contains("127.0.0.1:9/hook"))
        #expect(!exported.stdout.contains("cli-s3cret") && !exported.stdout.contains("secret"), "\(exported.stdout)")
    }
}
