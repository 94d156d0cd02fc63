import CRMKernel
@testable import CRMScripting
import Foundation
import Testing

/// Follow-ups keep their customer's last and next follow-up times.
struct FollowupRulesTests {
    @Test func followUpsMoveTheCustomersLastAndNextTimes() throws {
        let f = try ScriptFixture(ScriptFixture.stockPack)
        defer { f.cleanUp() }
        let (console, _) = try f.console()
        let setup = console.evaluate("""
            c = crm.create("customer", {name = "甲公司", phone = "13800000001", industry = "制造业", source = "展会推荐"})
            f1 = crm.create("followup", {customer = c.id, type = "电话", content = "初次沟通", followed_at = "2026-11-10T02:00:00Z",
                                         next_followup_at = "2026-11-17T02:00:00Z"})
            """)
        #expect(setup.error == nil, "\(setup.error ?? "")")
        #expect(console.evaluate("crm.get('customer', c.id).last_followup_at").output == "2026-11-10T02:00:00Z")
        #expect(console.evaluate("crm.get('customer', c.id).next_followup_at").output == "2026-11-17T02:00:00Z")

        // An older follow-up entered late does not move the last time back.
        _ = console.evaluate("f0 = crm.create('followup', {customer = c.id, type = '微信', content = '补录', followed_at = '2026-11-01T02:00:00Z'})")
        #expect(console.evaluate("crm.get('customer', c.id).last_followup_at").output == "2026-11-10T02:00:00Z")

        // Without a time, a follow-up is stamped with now.
        _ = console.evaluate("f2 = crm.create('followup', {customer = c.id, type = '拜访', content = '上门'})")
        #expect(console.evaluate("crm.get('followup', f2.id).followed_at ~= nil").output == "true")
        #expect(console.evaluate("crm.get('customer', c.id).last_followup_at == crm.get('followup', f2.id).followed_at").output == "true")

        // Deleting the latest recomputes from what remains.
        _ = console.evaluate("crm.delete('followup', f2.id)")
        #expect(console.evaluate("crm.get('customer', c.id).last_followup_at").output == "2026-11-10T02:00:00Z")
        #expect(console.evaluate("crm.create('followup', {customer = 424242, type = '电话', content = 'x'})").error != nil)
    }
}
