import CRMKernel
@testable import CRMScripting
import Foundation
import Testing

/// Holes closed by enforcing access in the kernel, seen from the console (`crm.*` and plugin
/// functions called from Lua) by a rep for whom phones and amounts are hidden.
struct KernelAccessScriptTests {
    static let roles = """
    crm.role("admin", { label = "管理员", scope = "all", grants = { ["*"] = "*" } })
    crm.role("sales_rep", {
      label = "销售专员", scope = "own",
      grants = {
        customer = { "read", "create", "update" }, contact = { "read", "create", "update" },
        task = { "read", "create", "update" }, opportunity = { "read", "create", "update" },
        opportunity_stage = { "read" }, user = { "read" },
      },
      hidden = { customer = { "phone" }, opportunity = { "amount" } },
      readonly = { customer = { "owner" }, opportunity = { "owner" } },
      unowned = { "customer" },
    })
    """

    /// A workspace with two reps; lina owns a customer and an opportunity, wang a customer.
    struct Setup {
        let fixture: ScriptFixture
        let console: Console
        let lina: Int64, wang: Int64, mine: Int64, theirs: Int64, deal: Int64
    }

    static func setUp() throws -> Setup {
        var files = ScriptFixture.stockPack
        files["00_roles.lua"] = roles
        let f = try ScriptFixture(files)
        let host = try f.host()
        let store = f.workspace.store
        let lina = try store.create("user", ["name": .text("lina"), "role": .text("sales_rep")]).id
        let wang = try store.create("user", ["name": .text("wang"), "role": .text("sales_rep")]).id
        var mine = ScriptFixture.customer
        mine["phone"] = .text("13912345678")
        mine["owner"] = .integer(lina)
        let mineID = try store.create("customer", mine).id
        var theirs = ScriptFixture.customer
        theirs["name"] = .text("机密伙伴有限公司")
        theirs["phone"] = .text("13800000001")
        theirs["owner"] = .integer(wang)
        let theirsID = try store.create("customer", theirs).id
        let deal = try store.create("opportunity", ["name": .text("控制台商机"), "customer": .integer(mineID),
                                                    "amount": .decimal(76543), "owner": .integer(lina)]).id
        try host.engine.act(as: "lina")
        return Setup(fixture: f, console: Console(host: host) { _ in }, lina: lina, wang: wang, mine: mineID, theirs: theirsID, deal: deal)
    }

    @Test func pluginMovesCannotWriteReadOnlyOrHiddenFields() throws {
        let s = try Self.setUp()
        defer { s.fixture.cleanUp() }
        for call in ["crm.opportunities.move(\(s.deal), '方案制定', {owner = \(s.wang)})",
                     "crm.opportunities.move(\(s.deal), '方案制定', {amount = '1.00'})",
                     "crm.opportunities.win(\(s.deal), {owner = \(s.wang)})",
                     "crm.opportunities.lose(\(s.deal), '价格', {amount = '1.00'})"] {
            #expect(s.console.evaluate(call).error?.contains("may not write") == true, "\(call)")
        }
        let stored = try #require(try s.fixture.workspace.store.get("opportunity", s.deal))
        #expect(stored["owner"] == .integer(s.lina) && stored["amount"] == .decimal(76543))
        let moved = s.console.evaluate("local o = crm.opportunities.move(\(s.deal), '需求确认'); return tostring(o.amount) .. ' ' .. o.stage")
        #expect(moved.error == nil && moved.output.contains("nil 需求确认"), "\(moved)")
        let history = s.console.evaluate("local h = crm.opportunities.history(\(s.deal)); return tostring(h[1].amount)")
        #expect(history.output.contains("nil"), "\(history)")
        #expect(s.console.evaluate("crm.opportunities.funnel({})").error?.contains("amount") == true)
    }

    @Test func searchAndFiltersSeeOnlyVisibleFields() throws {
        let s = try Self.setUp()
        defer { s.fixture.cleanUp() }
        #expect(s.console.evaluate("#crm.find('customer', nil, {search = '1391234'})").output.contains("0"))
        #expect(s.console.evaluate("#crm.find('customer', nil, {search = '华信'})").output.contains("1"))
        #expect(s.console.evaluate("crm.find('customer', {phone_key = '13912345678'})").error?.contains("unknown field") == true)
        #expect(s.console.evaluate("crm.count('customer', {phone_key = '13912345678'})").error?.contains("unknown field") == true)
        let record = s.console.evaluate("local c = crm.get('customer', \(s.mine)); return tostring(c.phone_key) .. tostring(c.phone)")
        #expect(record.output.contains("nilnil"), "\(record)")
        #expect(s.console.evaluate("crm.get('customer', \(s.theirs))").output.contains("nil"))
    }

    @Test func referencesOwnersAndDuplicatesStayWithinTheCallersScope() throws {
        let s = try Self.setUp()
        defer { s.fixture.cleanUp() }
        let invisible = s.console.evaluate("crm.create('contact', {name = '甲', customer = \(s.theirs)})").error ?? ""
        let missing = s.console.evaluate("crm.create('contact', {name = '甲', customer = 999999})").error ?? ""
        #expect(!invisible.isEmpty)
        // Only the console's chunk line differs between the two calls.
        func message(_ error: String, _ id: String) -> Substring {
            error.replacingOccurrences(of: id, with: "ID").drop { $0 != " " }
        }
        #expect(message(invisible, String(s.theirs)) == message(missing, "999999"))
        #expect(s.console.evaluate("crm.create('task', {title = '给王', owner = \(s.wang)})").error?.contains("outside their own scope") == true)
        #expect(s.console.evaluate("crm.create('task', {title = '自己的'})").error == nil)
        let dup = s.console.evaluate("local d = crm.customers.duplicates({phone = '13800000001'}); return tostring(d[1].id) .. ' ' .. tostring(d[1].visible) .. ' ' .. tostring(d[1].name)")
        #expect(dup.output.contains("nil false nil"), "\(dup)")
    }
}
