import CRMKernel
@testable import CRMScripting
import Foundation
import Testing

/// Renaming and merging tags across customers, and handing a book of customers to a new owner.
struct CustomerOwnershipTests {
    @Test func tagsAreRenamedAndMergedAcrossCustomersAndAudited() throws {
        let f = try ScriptFixture(ScriptFixture.stockPack)
        defer { f.cleanUp() }
        let (console, _) = try f.console()
        let setup = console.evaluate("""
            a = crm.create("customer", {name = "甲公司", phone = "13800000001", industry = "制造业", source = "展会推荐", tags = {"VIP", "华南"}})
            b = crm.create("customer", {name = "乙公司", phone = "13800000002", industry = "金融", source = "展会推荐", tags = {"重点", "VIP"}})
            c = crm.create("customer", {name = "丙公司", phone = "13800000003", industry = "金融", source = "展会推荐", tags = {"华南"}})
            """)
        #expect(setup.error == nil, "\(setup.error ?? "")")
        #expect(console.evaluate("crm.customers.rename_tag('VIP', '大客户')").output == "2")
        #expect(console.evaluate("crm.count('customer', {tags = {contains = 'VIP'}})").output == "0")
        #expect(console.evaluate("table.concat(crm.get('customer', b.id).tags, ',')").output == "重点,大客户")
        #expect(console.evaluate("crm.customers.merge_tags({'大客户', '重点'}, '重点客户')").output == "2")
        #expect(console.evaluate("table.concat(crm.get('customer', b.id).tags, ',')").output == "重点客户", "merged tags appear once")
        #expect(console.evaluate("table.concat(crm.get('customer', a.id).tags, ',')").output == "重点客户,华南")
        #expect(console.evaluate("crm.count('customer', {tags = {contains = '重点客户'}})").output == "2")
        #expect(console.evaluate("#crm.history('customer', b.id)").output != "1", "the tag changes are in the audit log")
        #expect(console.evaluate("crm.customers.rename_tag('华南', '')").error?.contains("empty") == true)
    }

    @Test func aBookOfCustomersMovesWithItsOpenTasksInOneStep() throws {
        let f = try ScriptFixture(ScriptFixture.stockPack)
        defer { f.cleanUp() }
        let (console, _) = try f.console()
        let setup = console.evaluate("""
            old = crm.create("user", {name = "leaver", role = "sales_rep"})
            new = crm.create("user", {name = "taker", role = "sales_rep"})
            a = crm.create("customer", {name = "甲公司", phone = "13800000001", industry = "制造业", source = "展会推荐", owner = old.id})
            b = crm.create("customer", {name = "乙公司", phone = "13800000002", industry = "金融", source = "展会推荐", owner = old.id})
            c = crm.create("customer", {name = "丙公司", phone = "13800000003", industry = "金融", source = "展会推荐"})
            t1 = crm.create("task", {title = "回访", customer = a.id, assignee = old.id})
            t2 = crm.create("task", {title = "已办", customer = a.id, assignee = old.id, status = "已完成"})
            """)
        #expect(setup.error == nil, "\(setup.error ?? "")")
        let moved = console.evaluate("local r = crm.customers.transfer('all', new.id, {from = old.id}); return r.customers .. '/' .. r.tasks")
        #expect(moved.output == "2/1", "\(moved.error ?? "")")
        #expect(console.evaluate("crm.count('customer', {owner = new.id})").output == "2")
        #expect(console.evaluate("crm.get('task', t1.id).assignee == new.id").output == "true")
        #expect(console.evaluate("crm.get('task', t2.id).assignee == old.id").output == "true", "done tasks stay with who did them")
        #expect(console.evaluate("crm.customers.transfer({c.id}, old.id).customers").output == "1")
        #expect(console.evaluate("crm.customers.transfer({c.id}, 424242)").error?.contains("424242") == true)
        #expect(console.evaluate("crm.customers.transfer('all', new.id)").error?.contains("from") == true)
        #expect(console.evaluate("crm.get('customer', c.id).owner == old.id").output == "true", "a refused transfer changes nothing")
    }
}
