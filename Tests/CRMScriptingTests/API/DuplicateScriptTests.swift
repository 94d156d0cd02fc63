import CRMKernel
@testable import CRMScripting
import Foundation
import Testing

/// 查重 and merge through Lua with the stock pack: `crm.customers.duplicate_rules`,
/// `crm.customers.duplicates` and `crm.customers.merge`.
struct DuplicateScriptTests {
    static let create = """
        a = crm.create("customer", {name = "深圳华信科技有限公司", phone = "+86 138-0013-8000", industry = "信息技术", source = "展会推荐"})
        """

    @Test func theStockPackBlocksDuplicatesByNormalizedPhoneAndBySuffixStrippedName() throws {
        let f = try ScriptFixture(ScriptFixture.stockPack)
        defer { f.cleanUp() }
        let (console, _) = try f.console()
        #expect(console.evaluate(Self.create).error == nil)
        let phone = console.evaluate("crm.create('customer', {name = '广州恒远贸易', phone = '13800138000', industry = '金融', source = '线上推广'})")
        #expect(phone.error?.contains("customer.phone: 与客户 #1 深圳华信科技有限公司 重复（电话）") == true, "\(phone.error ?? "")")
        let name = console.evaluate("crm.create('customer', {name = '深圳华信科技股份有限公司', phone = '13900139000', industry = '金融', source = '线上推广'})")
        #expect(name.error?.contains("customer.name: 与客户 #1 深圳华信科技有限公司 重复（名称）") == true, "\(name.error ?? "")")
        let fullWidth = console.evaluate("crm.create('customer', {name = '深圳华信科技（中国）有限公司', phone = '13900139000', industry = '金融', source = '线上推广'})")
        #expect(fullWidth.error?.contains("重复（名称）") == true)
        let bad = console.evaluate("crm.create('customer', {name = '深圳华信科技', phone = '12345', industry = '金融', source = '线上推广'})")
        #expect(bad.error?.contains("不是有效的手机号") == true, "a script's own rejection comes first: \(bad.error ?? "")")
        #expect(console.evaluate("crm.update('customer', a.id, {name = '深圳华信科技股份有限公司'}).name_key").output == "深圳华信科技")
        #expect(try f.workspace.store.count("customer") == 1)
    }

    @Test func duplicatesListsMatchesForFieldsOrAnIdButNeverTheRecordItself() throws {
        let f = try ScriptFixture(ScriptFixture.stockPack)
        defer { f.cleanUp() }
        let (console, _) = try f.console()
        #expect(console.evaluate(Self.create).error == nil)
        let found = console.evaluate("""
            local out = {}
            for _, d in ipairs(crm.customers.duplicates{name = "深圳 华信科技", phone = "138 0013 8000"}) do
              out[#out + 1] = d.id .. ":" .. d.name .. ":" .. d.match
            end
            return table.concat(out, " ")
            """)
        #expect(found.output == "1:深圳华信科技有限公司:name 1:深圳华信科技有限公司:phone", "\(found.error ?? "")")
        #expect(console.evaluate("#crm.customers.duplicates(a.id)").output == "0")
        #expect(console.evaluate("#crm.customers.duplicates(crm.get('customer', a.id))").output == "0")
        #expect(console.evaluate("#crm.customers.duplicates{name = '别家公司'}").output == "0")
        #expect(console.evaluate("crm.customers.duplicates(999)").error?.contains("customer 999 not found") == true)
        #expect(console.evaluate("crm.customers.duplicates('x')").error?.contains("needs a customer id or a table") == true)
    }

    @Test func mergeFromLuaMovesContactsAndRefusesMergingIntoItself() throws {
        let f = try ScriptFixture(ScriptFixture.stockPack.merging(["30_rules.lua": "crm.customers.duplicate_rules{name = 'warn'}\n"]) { $1 })
        defer { f.cleanUp() }
        let (console, _) = try f.console()
        let setup = console.evaluate(Self.create + """

            b = crm.create("customer", {name = "深圳华信科技", phone = "13900139000", industry = "信息技术", source = "展会推荐", email = "a@b.cn"})
            crm.create("contact", {customer = b.id, name = "李娜", phone = "13700137000"})
            """)
        #expect(setup.error == nil, "\(setup.error ?? "")")
        #expect(console.evaluate("b.duplicate_warning").output == "与客户 #1 深圳华信科技有限公司 重复（名称）")
        #expect(console.evaluate("crm.customers.merge(a.id, a.id)").error?.contains("cannot merge customer 1 into itself") == true)
        #expect(console.evaluate("crm.customers.merge(a.id)").error?.contains("needs two customer ids") == true)
        #expect(console.evaluate("crm.customers.merge(a.id, b.id).email").output == "a@b.cn")
        #expect(console.evaluate("crm.count('contact', {customer = a.id})").output == "1")
        #expect(console.evaluate("crm.get('customer', b.id)").output == "nil")
    }

    @Test func badDuplicateRulesAreReportedWithFileAndLine() throws {
        let cases = [("crm.customers.duplicate_rules{nme = 'block'}", "unknown match 'nme' (known: name, phone, credit_code, contact_phone, on)"),
                     ("crm.customers.duplicate_rules{name = 'blok'}", "name: unknown action 'blok' (known: block, warn, allow)"),
                     ("crm.customers.duplicate_rules{on = {insert = true}}", "on: unknown key 'insert' (known: create, update, import)"),
                     ("crm.customers.duplicate_rules{on = {create = 'yes'}}", "on.create: expects true or false"),
                     ("crm.customers.duplicate_rules{{match = 'name', action = 'warn'}}", "expects a table keyed by match"),
                     ("crm.customers.duplicate_rules{{match = 'name', action = 'warn'}, on = {create = true}}",
                      "the table mixes list entries and named keys")]
        for (source, message) in cases {
            let f = try ScriptFixture(ScriptFixture.stockPack.merging(["30_rules.lua": "-- our rules\n\n" + source + "\n"]) { $1 })
            defer { f.cleanUp() }
            let problems = ScriptHost.check(f.workspace)
            #expect(problems.count == 1, "\(problems)")
            #expect(problems.first?.file == "scripts/30_rules.lua" && problems.first?.line == 3, "\(problems)")
            #expect(problems.first?.message.contains("crm.customers.duplicate_rules: " + message) == true, "\(problems)")
        }
    }

    @Test func aLaterPackFileChangesTheStockRules() throws {
        let f = try ScriptFixture(ScriptFixture.stockPack.merging(["30_rules.lua": "crm.customers.duplicate_rules{phone = 'allow', on = {update = false}}\n"]) { $1 })
        defer { f.cleanUp() }
        _ = try f.host()
        let store = f.workspace.store
        let a = try store.create("customer", ScriptFixture.customer)
        let b = try store.create("customer", ScriptFixture.customer.merging(["name": .text("另一家")]) { $1 }) // same phone: allowed
        #expect(throws: KernelError.self) { try store.create("customer", ScriptFixture.customer.merging(["phone": .text("13900139000")]) { $1 }) }
        #expect(try store.update("customer", b.id, ["name": a["name"]])["name_key"] == a["name_key"], "updates are not checked")
    }
}
