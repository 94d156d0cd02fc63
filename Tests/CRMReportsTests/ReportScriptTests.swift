import CRMKernel
import CRMPlugins
import CRMScripting
import Foundation
import Testing

/// `crm.report` in a script pack: bad specs fail with the script's file and line; the console
/// runs and lists reports under the operator's access.
struct ReportScriptTests {
    /// The error of opening a workspace whose pack has `script` as `90_test.lua`.
    func loadError(_ script: String) throws -> String {
        do {
            _ = try ReportFixture(extraScript: script, orders: false)
        } catch {
            return String(describing: error)
        }
        Issue.record("the pack loaded")
        return ""
    }

    @Test func unknownFieldNamesTheScriptLine() throws {
        let message = try loadError("""

            crm.report("bad_field", { entity = "order", measures = { { name = "x", sum = "no_such_field" } } })
            """)
        #expect(message.contains("90_test.lua:4"), "\(message)")
        #expect(message.contains("no_such_field"))
    }

    @Test func unknownEntityNamesTheScriptLine() throws {
        let message = try loadError("""
            crm.report("bad_entity", { entity = "spaceship", measures = { { name = "n", count = true } } })
            """)
        #expect(message.contains("90_test.lua:3"), "\(message)")
        #expect(message.contains("spaceship"))
    }

    @Test func unknownMeasureNamesTheScriptLine() throws {
        let message = try loadError("""
            crm.report("bad_measure", { entity = "order",
              measures = { { name = "m", median = "total" } } })
            """)
        #expect(message.contains("90_test.lua:3"), "\(message)")
        #expect(message.contains("median"))
    }

    @Test func consoleRunsAndListsReportsUnderTheOperatorsAccess() throws {
        let f = try ReportFixture()
        try f.host.engine.act(as: "li")
        let console = Console(host: f.host) { _ in }
        let run = console.evaluate("""
            local t = crm.report.run("sales_monthly", { period = "2026-11" })
            return t.title .. "|" .. #t.rows .. "|" .. t.rows[1].owner .. "|" .. t.rows[1].amount
            """)
        #expect(run.error == nil, "\(run.error ?? "")")
        #expect(run.output.contains("销售业绩月报|2|李娜|40000"), "\(run.output)")
        let list = console.evaluate("local names = {} for _, r in ipairs(crm.report.list()) do names[#names + 1] = r.name end return table.concat(names, ',')")
        #expect(list.output.contains("opportunities.funnel"), "\(list.output)")
        #expect(list.output.contains("sales_monthly"))
        let bad = console.evaluate("return crm.report.run('sales_monthly', { period = 'soon' })")
        #expect(bad.error?.contains("period") == true)
    }

    @Test func reportTableIsReadOnly() throws {
        let f = try ReportFixture(orders: false)
        let console = Console(host: f.host) { _ in }
        #expect(console.evaluate("crm.report.run = nil").error?.contains("read-only") == true)
    }
}
