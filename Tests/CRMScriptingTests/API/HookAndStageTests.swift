import CRMKernel
@testable import CRMScripting
import Foundation
import Testing

/// Lua hooks, rejections, stage gates and the data API seen from scripts.
struct HookAndStageTests {
    @Test func beforeSaveHookChangesValuesAndRejectsWithFieldErrors() throws {
        let f = try ScriptFixture(["10.lua": """
            crm.on("team.before_save", function(t)
              t.name = t.name:upper()
              if t.name == "BAD" then crm.reject("name", "不允许的名称") end
            end)
            """])
        defer { f.cleanUp() }
        _ = try f.host()
        #expect(try f.workspace.store.create("team", ["name": .text("north")])["name"] == .text("NORTH"))
        do {
            try f.workspace.store.create("team", ["name": .text("bad")])
            Issue.record("expected a rejection")
        } catch let e as KernelError {
            #expect(e.kind == .validation)
            #expect(e.fieldErrors == [FieldError(field: "name", message: "不允许的名称")])
        }
        #expect(try f.workspace.store.count("team") == 1)
    }

    @Test func aRejectedWriteRollsBackWhatTheHookWrote() throws {
        let f = try ScriptFixture(["10.lua": """
            crm.on("team.before_save", function(t)
              crm.create("user", {name = "side_effect_" .. t.name, role = "sales_rep"})
              if t.name == "no" then crm.reject("name", "refused") end
            end)
            """])
        defer { f.cleanUp() }
        _ = try f.host()
        #expect(throws: KernelError.self) { try f.workspace.store.create("team", ["name": .text("no")]) }
        #expect(try f.workspace.store.count("user", filter: .condition(field: "name", op: .startsWith, value: .text("side_effect"))) == 0)
        try f.workspace.store.create("team", ["name": .text("yes")])
        #expect(try f.workspace.store.count("user", filter: .eq("name", .text("side_effect_yes"))) == 1)
    }

    @Test func runawayHookFailsTheWriteAndTheProcessCarriesOn() throws {
        let f = try ScriptFixture(["10.lua": "crm.on('team.before_save', function(t) if t.name == 'loop' then while true do end end end)"])
        defer { f.cleanUp() }
        _ = try f.host()
        do {
            try f.workspace.store.create("team", ["name": .text("loop")])
            Issue.record("expected a failure")
        } catch let e as KernelError {
            #expect(e.kind == .scriptFailed)
            #expect(e.message.contains("instruction limit exceeded"))
            #expect(e.message.contains("scripts/10.lua:1"))
        }
        #expect(try f.workspace.store.count("team") == 0)
        try f.workspace.store.create("team", ["name": .text("fine")])
        #expect(try f.workspace.store.count("team") == 1)
    }

    @Test func afterEventsReachLuaHandlersAfterCommit() throws {
        let f = try ScriptFixture(["10.lua": """
            crm.on("team.after_create", function(t, e)
              crm.create("user", {name = "lead_of_" .. t.id, role = "sales_manager", team = t.id})
            end)
            """])
        defer { f.cleanUp() }
        _ = try f.host()
        let team = try f.workspace.store.create("team", ["name": .text("华南")])
        #expect(try f.workspace.store.count("user", filter: .eq("team", .integer(team.id))) == 1)
    }

    @Test func aFailingHandlerKeepsTheCommittedWriteAndRollsBackItsOwn() throws {
        let f = try ScriptFixture(["10.lua": """
            crm.on("team.after_create", function(t)
              crm.create("user", {name = "half_" .. t.id, role = "sales_rep"})
              error("boom")
            end)
            """])
        defer { f.cleanUp() }
        let host = try f.host()
        var lines: [String] = []
        host.engine.output = { lines.append($0) }
        _ = try f.workspace.store.create("team", ["name": .text("华北")])
        #expect(try f.workspace.store.count("team") == 1)
        #expect(try f.workspace.store.count("user") == 0, "the handler's own write went with its error")
        #expect(lines.contains { $0.contains("boom") && $0.contains("10.lua") })
    }

    @Test(.timeLimit(.minutes(1)))
    func handlersAndHooksOnManyThreadsNeverDeadlock() async throws {
        let f = try ScriptFixture(["10.lua": """
            crm.on("team.before_save", function(t) t.name = t.name .. "!" end)
            crm.on("team.after_create", function(t) crm.update("team", t.id, {name = "done" .. t.id}) end)
            """])
        defer { f.cleanUp() }
        let host = try f.host()
        let errors = OutputBox()
        host.engine.output = { line in errors.lines.append(line) }
        let store = f.workspace.store
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for i in 0..<25 { _ = try store.create("team", ["name": .text("t\(worker)-\(i)")]) }
                }
            }
            try await group.waitForAll()
        }
        #expect(try store.count("team") == 100)
        let names = try store.find(Query("team")).records.map { "\($0["name"])" }
        #expect(names.filter { $0.hasPrefix("done") && $0.hasSuffix("!") }.count == 100, "\(errors.lines.prefix(3))")
    }

    @Test func stockStagesEnforceGatesOrderAndLossReasons() throws {
        let f = try ScriptFixture(ScriptFixture.stockPack)
        defer { f.cleanUp() }
        let (console, _) = try f.console()
        let setup = console.evaluate("""
            c = crm.create("customer", {name = "甲公司", phone = "13800000001", industry = "制造业", source = "展会推荐"})
            o = crm.create("opportunity", {name = "甲公司项目", customer = c.id})
            """)
        #expect(setup.error == nil, "\(setup.error ?? "")")
        #expect(console.evaluate("o.stage").output == "初步接触")
        #expect(console.evaluate("o.probability").output == "10")
        let skip = console.evaluate("crm.update('opportunity', o.id, {stage = '方案制定'})")
        #expect(skip.error?.contains("cannot move from 初步接触 to 方案制定") == true)
        #expect(console.evaluate("crm.update('opportunity', o.id, {stage = '需求确认'}).stage").output == "需求确认")
        #expect(console.evaluate("crm.update('opportunity', o.id, {stage = '方案制定'}).probability").output == "50")
        let gate = console.evaluate("crm.update('opportunity', o.id, {stage = '合同谈判'})")
        #expect(gate.error?.contains("opportunity.amount: required to enter stage 合同谈判") == true)
        #expect(gate.error?.contains("decision_maker") == true)
        #expect(console.evaluate("crm.get('opportunity', o.id).stage").output == "方案制定")
        let ok = console.evaluate("crm.update('opportunity', o.id, {stage = '合同谈判', amount = 120000, expected_close_date = '2027-01-31', decision_maker = '王总'}).probability")
        #expect(ok.output == "80", "\(ok.error ?? "")")
        #expect(console.evaluate("crm.update('opportunity', o.id, {stage = '输单'})").error?.contains("loss_reason") == true)
        #expect(console.evaluate("crm.update('opportunity', o.id, {stage = '输单', loss_reason = '预算取消'}).probability").output == "0")
        let events = try f.workspace.store.outbox(after: 0, limit: 1000).filter { $0.event == "opportunity.stage_changed" }
        #expect(events.count == 4)
        #expect(try f.workspace.store.outbox(after: 0, limit: 1000).contains { $0.event == "opportunity.lost" })
    }

    @Test func consoleDefinesAFieldAndAnEntityAndQueriesThem() throws {
        let f = try ScriptFixture(ScriptFixture.stockPack)
        defer { f.cleanUp() }
        let (console, output) = try f.console()
        #expect(console.evaluate("crm.field('customer', 'wechat', {type = 'text', label = '微信'})").error == nil)
        #expect(console.evaluate("crm.create('customer', {name = '乙公司', phone = '13900000002', industry = '金融', source = '线上推广', wechat = 'yi_2'}).wechat").output == "yi_2")
        #expect(console.evaluate("crm.count('customer', {wechat = 'yi_2'})").output == "1")
        #expect(console.evaluate("crm.entity('room', {label = '会议室', fields = {{name = 'code', type = 'text', required = true}, {name = 'seats', type = 'integer', min = 1}}})").error == nil)
        #expect(console.evaluate("crm.create('room', {code = 'A1', seats = 8}).seats").output == "8")
        let table = console.evaluate("crm.find('room', {})")
        #expect(table.output.contains("code") && table.output.contains("A1") && table.output.contains("(1 rows)"))
        #expect(console.evaluate("crm.create('room', {seats = 0})").error?.contains("room.seats: must be at least 1") == true)
        #expect(console.evaluate("crm.create('room', {seats = 2})").error?.contains("room.code") == true)
        #expect(console.evaluate("crm.log('你好', 42)").error == nil)
        #expect(output.lines.contains("你好 42"))
        #expect(console.evaluate("io.open('/etc/passwd')").error != nil)
        #expect(console.evaluate("while true do end").error?.contains("instruction limit exceeded") == true)
        #expect(console.evaluate("1 + 1").output == "2")
    }

    @Test func findSupportsOperatorsSortPagingAndSearch() throws {
        let f = try ScriptFixture(ScriptFixture.stockPack)
        defer { f.cleanUp() }
        let (console, _) = try f.console()
        let setup = console.evaluate("""
            for i = 1, 25 do
              crm.create("customer", {name = "测试" .. i .. "号科技有限公司", phone = string.format("138%08d", i), industry = i % 2 == 0 and "金融" or "制造业", source = "展会推荐", grade = i <= 5 and "A" or "C"})
            end
            """)
        #expect(setup.error == nil, "\(setup.error ?? "")")
        #expect(console.evaluate("crm.count('customer', {industry = '金融'})").output == "12")
        #expect(console.evaluate("crm.count('customer', {grade = {['in'] = {'A', 'B'}}, industry = '制造业'})").output == "3")
        #expect(console.evaluate("crm.count('customer', {_or = {{grade = 'A'}, {industry = '金融'}}})").output == "15")
        #expect(console.evaluate("#crm.find('customer', {}, {search = '科技'})").output == "25")
        #expect(console.evaluate("crm.find('customer', {}, {search = '测试12号'})[1].name").output == "测试12号科技有限公司")
        let paging = console.evaluate("""
            local seen, after = 0, nil
            repeat
              local page, nxt = crm.find("customer", {}, {sort = "-name", limit = 10, after = after})
              seen = seen + #page
              after = nxt
            until after == nil
            return seen
            """)
        #expect(paging.output == "25", "\(paging.error ?? "")")
        #expect(console.evaluate("crm.find('customer', {name = {bogus = 1}})").error?.contains("unknown filter operator 'bogus'") == true)
    }
}
