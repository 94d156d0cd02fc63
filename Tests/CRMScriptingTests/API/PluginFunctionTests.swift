import CRMKernel
@testable import CRMScripting
import Foundation
import Testing

/// Functions plugins add to the Lua API under their own name.
struct PluginFunctionTests {
    @Test func funnelCountsAndSumsPerStageInStageOrder() throws {
        let f = try ScriptFixture(ScriptFixture.stockPack)
        defer { f.cleanUp() }
        let (console, _) = try f.console()
        let setup = console.evaluate("""
            c = crm.create("customer", {name = "甲公司", phone = "13800000001", industry = "制造业", source = "展会推荐"})
            for i = 1, 3 do crm.create("opportunity", {name = "A" .. i, customer = c.id, amount = 1000.5}) end
            o = crm.create("opportunity", {name = "B", customer = c.id, amount = 200})
            crm.update("opportunity", o.id, {stage = "需求确认"})
            """)
        #expect(setup.error == nil, "\(setup.error ?? "")")
        let rows = console.evaluate("""
            local out = {}
            for _, r in ipairs(crm.opportunities.funnel()) do out[#out + 1] = r.stage .. "=" .. r.count .. "/" .. r.amount end
            return table.concat(out, " ")
            """)
        #expect(rows.output == "初步接触=3/3001.5 需求确认=1/200 方案制定=0/0 合同谈判=0/0 赢单=0/0 输单=0/0", "\(rows.error ?? "")")
        #expect(console.evaluate("crm.opportunities.funnel({name = 'B'})[2].count").output == "1")
        #expect(console.evaluate("crm.opportunities.funnel({name = 'B'})[1].count").output == "0")
    }

    @Test func primaryContactAndDisabledModules() throws {
        let f = try ScriptFixture(ScriptFixture.stockPack)
        defer { f.cleanUp() }
        let (console, _) = try f.console()
        _ = console.evaluate("""
            c = crm.create("customer", {name = "乙公司", phone = "13800000002", industry = "金融", source = "线上推广"})
            crm.create("contact", {customer = c.id, name = "赵六"})
            crm.create("contact", {customer = c.id, name = "钱七", is_primary = true})
            """)
        #expect(console.evaluate("crm.customers.primary_contact(c.id).name").output == "钱七")
        #expect(console.evaluate("crm.customers.primary_contact(424242)").error?.contains("customer 424242 not found") == true)
        #expect(console.evaluate(".help").output.contains("crm.opportunities.funnel"), "help lists enabled modules' functions")
        // Marketing and orders depend on opportunities (finance on orders): they go first.
        #expect(console.evaluate("crm.disable('marketing') crm.disable('payroll') crm.disable('finance') crm.disable('orders') crm.disable('opportunities')").error == nil)
        #expect(!console.evaluate(".help").output.contains("crm.opportunities.funnel"))
        #expect(console.evaluate("crm.opportunities.funnel()").error?.contains("module opportunities is disabled") == true)
    }
}
