import CRMKernel
@testable import CRMScripting
import Foundation
import Testing

/// A customer's follow-ups, tasks, field changes and other modules' records in one list.
struct TimelineTests {
    @Test func theTimelineGathersEverythingAboutACustomerNewestFirst() throws {
        let f = try ScriptFixture(ScriptFixture.stockPack)
        defer { f.cleanUp() }
        let (console, _) = try f.console()
        let setup = console.evaluate("""
            c = crm.create("customer", {name = "甲公司", phone = "13800000001", industry = "制造业", source = "展会推荐"})
            crm.create("contact", {customer = c.id, name = "张伟"})
            crm.create("followup", {customer = c.id, type = "电话", subject = "初次沟通", content = "介绍方案", followed_at = "2026-01-05T02:00:00Z"})
            crm.create("task", {title = "寄样品", customer = c.id, due_at = "2026-01-06T02:00:00Z"})
            crm.update("customer", c.id, {grade = "A"})
            crm.create("opportunity", {name = "年度采购", customer = c.id})
            other = crm.create("customer", {name = "乙公司", phone = "13800000002", industry = "金融", source = "展会推荐"})
            crm.create("followup", {customer = other.id, type = "电话", content = "别人的"})
            """)
        #expect(setup.error == nil, "\(setup.error ?? "")")
        let kinds = console.evaluate("""
            local out = {}
            for _, e in ipairs(crm.customers.timeline(c.id)) do out[#out + 1] = e.kind .. ":" .. e.title end
            return table.concat(out, " ")
            """)
        let items = kinds.output.split(separator: " ").map(String.init)
        #expect(Set(items).isSuperset(of: ["followup:初次沟通", "task:寄样品", "contact:张伟", "opportunity:年度采购", "change:update", "change:create"]),
                "\(kinds.output) \(kinds.error ?? "")")
        #expect(!kinds.output.contains("别人的"))
        #expect(items.last == "followup:初次沟通", "the January follow-up is the oldest entry: \(items)")
        #expect(console.evaluate("crm.customers.timeline(c.id)[1].at >= crm.customers.timeline(c.id)[2].at").output == "true")
        #expect(console.evaluate("#crm.customers.timeline(c.id, {limit = 2})").output == "2")
        #expect(console.evaluate("crm.customers.timeline(424242)").error?.contains("424242") == true)
        let change = console.evaluate("for _, e in ipairs(crm.customers.timeline(c.id)) do if e.title == 'update' then return e.summary end end")
        #expect(change.output.contains("grade") && !change.output.contains("name_key"), "\(change.output)")
    }
}
