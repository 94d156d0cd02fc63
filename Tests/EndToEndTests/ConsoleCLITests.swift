import Foundation
import Testing

/// `crm repl`, `crm run` and `crm scripts` driven through the real binary.
struct ConsoleCLITests {
    @Test func pipedConsoleAddsAFieldRejectsABadPhoneMovesStagesAndDefinesAnEntity() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init", "--demo"]).status == 0)
        let script = """
            crm.field("customer", "wechat", {type = "text", label = "微信"})
            c = crm.create("customer", {name = "控制台测试有限公司", phone = "+86 138 0000 9999", industry = "制造业", source = "展会推荐", wechat = "wx9"})
            crm.find("customer", {wechat = "wx9"})
            o = crm.create("opportunity", {name = "控制台商机", customer = c.id})
            crm.update("opportunity", o.id, {stage = "需求确认"}).stage
            crm.update("opportunity", o.id, {stage = "方案制定"}).stage
            crm.entity("room", {label = "会议室", fields = {{name = "code", type = "text", required = true}}})
            crm.create("room", {code = "A1"}).code
            """
        let out = try crm.run(["repl", "--as", "admin"], stdin: script)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("控制台测试有限公司") && out.stdout.contains("13800009999") && out.stdout.contains("wx9"))
        #expect(out.stdout.contains("需求确认") && out.stdout.contains("方案制定") && out.stdout.contains("A1"))
        let bad = try crm.run(["repl"], stdin: """
            x = crm.count("customer")
            crm.create("customer", {name = "坏电话公司", phone = "12345", industry = "制造业", source = "展会推荐"})
            crm.update("opportunity", 1, {stage = "合同谈判"})
            crm.count("customer") == x
            """)
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("stdin:2:") && bad.stderr.contains("customer.phone"))
        #expect(bad.stderr.contains("stdin:3:"))
        #expect(bad.stdout.contains("true"))
    }

    @Test func runawayScriptIsStoppedAndReportedAndTheConsoleCarriesOn() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init"]).status == 0)
        let out = try crm.run(["repl"], stdin: "while true do end\nstring.rep('x', 10)\n")
        #expect(out.status != 0)
        #expect(out.stderr.contains("instruction limit exceeded"))
        #expect(out.stdout.contains("xxxxxxxxxx"))
        let bomb = try crm.run(["repl"], stdin: "local t = {} for i = 1, 1e9 do t[i] = ('x'):rep(1000) .. i end\n1 + 1\n")
        #expect(bomb.stderr.contains("memory limit exceeded"))
        #expect(bomb.stdout.contains("2"))
        let sandbox = try crm.run(["repl"], stdin: "io.open('/etc/passwd')\nos.execute('true')\nrequire('socket')\nload('return 1')\n")
        #expect(sandbox.stderr.split(separator: "\n").count == 4)
    }

    @Test func runExecutesAFileAndAuditsAsTheActingUser() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init"]).status == 0)
        try #require(crm.run(["user", "add", "lina", "--role", "admin"]).status == 0)
        let file = try crm.write("job.lua", """
            local t = crm.create("team", {name = "华北销售部"})
            crm.update("team", t.id, {name = "华北一部"})
            local h = crm.history("team", t.id)
            print(#h, h[2].user, h[2].changes.name.old, h[2].changes.name.new)
            """)
        let out = try crm.run(["run", file, "--as", "lina"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("2\tlina\t华北销售部\t华北一部"))
        let broken = try crm.write("broken.lua", "local x = 1\nerror('boom')\n")
        let failed = try crm.run(["run", broken])
        #expect(failed.status != 0)
        #expect(failed.stderr.contains("broken.lua:2: boom"))
    }

    @Test func scriptsCheckReportsEveryProblemAndABrokenPackIsRefusedWhole() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init"]).status == 0)
        #expect(try crm.run(["scripts", "check"]).status == 0)
        let scripts = crm.workspace.appendingPathComponent("scripts")
        try "crm.field('customer', 'wechat', {type = 'text'})\n".write(to: scripts.appendingPathComponent("30_ok.lua"), atomically: true, encoding: .utf8)
        try #require(crm.run(["scripts", "reload"]).status == 0)
        try "crm.field('customer', 'qq', {type = 'text'})\nthis is not lua\n".write(to: scripts.appendingPathComponent("40_bad.lua"), atomically: true, encoding: .utf8)
        try "crm.field('nosuch', 'x', {type = 'text'})\n".write(to: scripts.appendingPathComponent("50_bad.lua"), atomically: true, encoding: .utf8)
        let check = try crm.run(["scripts", "check"])
        #expect(check.status != 0)
        #expect(check.stderr.contains("scripts/40_bad.lua:2:"))
        #expect(check.stderr.contains("scripts/50_bad.lua:1:") || check.stderr.contains("unknown entity"))
        let use = try crm.run(["export", "customer"])
        #expect(use.status != 0)
        #expect(use.stderr.contains("scripts/40_bad.lua:2"))
    }

    @Test func realEstateExamplePackWorksThroughTheConsole() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init", "--demo"]).status == 0)
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/examples/real_estate").standardizedFileURL
        for name in ["30_property_units.lua", "40_property_rules.lua"] {
            try FileManager.default.copyItem(at: examples.appendingPathComponent(name),
                                             to: crm.workspace.appendingPathComponent("scripts").appendingPathComponent(name))
        }
        #expect(try crm.run(["scripts", "check"]).status == 0)
        let out = try crm.run(["repl"], stdin: """
            u = crm.create("property_unit", {project = "滨江花园", building = "3栋", unit_no = "3-1201", area = "100.55", unit_price = "30000.5"})
            u.total_price
            crm.update("property_unit", u.id, {status = "预留"}).status
            crm.update("property_unit", u.id, {status = "认购", buyer = 1, deposit = 50000}).status
            crm.update("property_unit", u.id, {status = "签约", signed_on = "2026-11-22"}).status
            crm.get("customer", 1).lifecycle
            """)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("3016550.28"), "\(out.stdout)")  // 100.55 × 30000.50 = 3016550.2775
        #expect(out.stdout.contains("签约") && out.stdout.contains("成交"))
    }
}
