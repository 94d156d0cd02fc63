import CRMKernel
import Testing

/// Issue 19: the console's conditional updates and list edits.
struct VersionedUpdateTests {
    @Test func aStaleVersionIsRefusedAndListEditsNeedNoRead() throws {
        let f = try ScriptFixture(ScriptFixture.stockPack)
        defer { f.cleanUp() }
        let (console, _) = try f.console()
        let setup = console.evaluate("""
            c = crm.create("customer", {name = "甲公司", phone = "13800000001", industry = "制造业", source = "展会推荐", tags = {"a", "b"}})
            """)
        #expect(setup.error == nil, "\(setup.error ?? "")")
        #expect(console.evaluate("c.version").output == "1")
        #expect(console.evaluate("crm.update('customer', c.id, {city = '深圳'}, {version = 1}).version").output == "2")
        let stale = console.evaluate("crm.update('customer', c.id, {city = '广州'}, {version = 1})")
        #expect(stale.error?.contains("version 2, not 1") == true, "\(stale)")
        #expect(console.evaluate("crm.get('customer', c.id).city").output == "深圳")
        let edited = console.evaluate("table.concat(crm.update('customer', c.id, {}, {add = {tags = {'c'}}, remove = {tags = {'a'}}}).tags, ',')")
        #expect(edited.output == "b,c", "\(edited)")
        #expect(console.evaluate("crm.delete('customer', c.id, {version = 1})").error != nil)
        #expect(console.evaluate("crm.update('customer', c.id, {}, {colour = 1})").error?.contains("unknown option") == true)
    }

    @Test func theConsoleSetsTheCompanyPasswordPolicy() throws {
        let f = try ScriptFixture(ScriptFixture.stockPack)
        defer { f.cleanUp() }
        let (console, _) = try f.console()
        #expect(console.evaluate("crm.password_policy().min_length").output == "8")
        #expect(console.evaluate("crm.password_policy{min_length = 4}").error?.contains("from 8") == true)
        #expect(console.evaluate("crm.password_policy{min_length = 12}.min_length").output == "12")
        #expect(try PasswordPolicy.of(f.workspace.store).minLength == 12)
    }
}
