import CRMKernel
@testable import CRMScripting
import Foundation
import Testing

/// From Lua as over HTTP: the role's definition makes the administrator, user roles and
/// webhooks are administrator business, and secrets are write-only.
struct AdministratorScriptTests {
    static let roles = """
        crm.role("chief", { label = "总经理", scope = "all", grants = { ["*"] = { "admin" } } })
        crm.role("hr", { label = "人事", scope = "all",
          grants = { user = { "read", "create", "update", "delete" }, webhook = "*", customer = { "read" } } })
        """

    /// A console acting as a new user `name` with `role`, collecting output in `box`.
    static func console(_ f: ScriptFixture, as name: String, role: String, box: OutputBox = OutputBox()) throws -> (Console, Int64) {
        let host = try f.host()
        let id = try f.workspace.store.create("user", ["name": .text(name), "role": .text(role)]).id
        try host.engine.act(as: name)
        return (Console(host: host) { box.lines.append($0) }, id)
    }

    @Test func aCompanyRoleWithAdminOnEverythingPassesEveryAdministratorCheck() throws {
        let f = try ScriptFixture(ScriptFixture.stockPack.merging(["90_roles.lua": Self.roles]) { $1 })
        defer { f.cleanUp() }
        let (console, _) = try Self.console(f, as: "boss", role: "chief")
        let store = f.workspace.store
        let rep = try store.create("user", ["name": .text("lina"), "role": .text("sales_rep")]).id
        var customer = ScriptFixture.customer
        customer["owner"] = .integer(rep)
        let owned = try store.create("customer", customer).id
        #expect(console.evaluate("crm.enable('customers')").output == "true")
        #expect(console.evaluate("#crm.notifications{user = \(rep)}").output == "0")
        let reclaim = console.evaluate("#crm.customers.reclaim{}")
        #expect(reclaim.error == nil, "\(reclaim.error ?? "")")
        let released = console.evaluate("crm.customers.release(\(owned), '负责人离职').owner")
        #expect(released.output == "nil", "\(released.error ?? "")")
    }

    @Test func aRoleWithUpdateOnUsersCannotPromoteItselfNorRegisterWebhooks() throws {
        let f = try ScriptFixture(ScriptFixture.stockPack.merging(["90_roles.lua": Self.roles]) { $1 })
        defer { f.cleanUp() }
        let (console, me) = try Self.console(f, as: "hr1", role: "hr")
        for line in ["crm.update('user', \(me), {role = 'chief'})", "crm.update('user', \(me), {role = 'admin'})",
                     "crm.create('user', {name = 'mole', role = 'sales_rep'})",
                     "crm.create('webhook', {url = 'http://127.0.0.1:9/x', events = {'*'}, secret = 'x'})"] {
            #expect(console.evaluate(line).error?.contains("only an administrator") == true, "\(line)")
        }
        #expect(try f.workspace.store.get("user", me)?["role"] == .text("hr"))
        #expect(console.evaluate("crm.update('user', \(me), {display_name = '人事一'}).display_name").output == "人事一")
    }

    @Test func aSecretIsWriteOnlyForAdministratorsInLuaAndNeverInAnEvent() throws {
        var files = ScriptFixture.stockPack
        files["90_watch.lua"] = """
            crm.on("webhook.after_create", function(r) print("event secret=" .. tostring(r.secret)) end)
            """
        let f = try ScriptFixture(files)
        defer { f.cleanUp() }
        let box = OutputBox()
        let host = try f.host()
        try f.workspace.store.create("user", ["name": .text("admin"), "role": .text("admin")])
        try host.engine.act(as: "admin")
        let console = Console(host: host) { box.lines.append($0) }
        let made = console.evaluate("w = crm.create('webhook', {url = 'http://127.0.0.1:9/x', events = {'*'}, secret = 'lua-s3cret'}); return w.secret")
        #expect(made.output == "nil", "\(made.error ?? "")")
        #expect(box.lines.contains("event secret=nil"), "\(box.lines)")
        #expect(console.evaluate("crm.get('webhook', w.id).secret").output == "nil")
        #expect(console.evaluate("crm.find('webhook', {})[1].secret").output == "nil")
        #expect(console.evaluate("crm.find('webhook', {secret = 'lua-s3cret'})").error?.contains("unknown field") == true)
        let id = try #require(try f.workspace.store.find(Query("webhook")).records.first).id
        #expect(try f.workspace.store.history("webhook", id).first?.changes.first { $0.field == "secret" }?.new == .text(AuditLog.secretMarker))
        #expect(try f.workspace.store.get("webhook", id)?["secret"] == .text("lua-s3cret"), "the system still reads it")
    }

    @Test func theOnlyAdministratorCannotDemoteOrDeactivateItselfFromLua() throws {
        let f = try ScriptFixture(ScriptFixture.stockPack)
        defer { f.cleanUp() }
        let (console, _) = try f.console()
        let me = try #require(try f.workspace.store.find(Query("user", filter: .eq("name", .text("admin")))).records.first).id
        #expect(console.evaluate("crm.update('user', \(me), {active = false})").error?.contains("last active administrator") == true)
        #expect(console.evaluate("crm.update('user', \(me), {role = 'sales_rep'})").error?.contains("last active administrator") == true)
        #expect(console.evaluate("crm.delete('user', \(me))").error?.contains("last active administrator") == true)
    }
}
