import Foundation
import Testing

/// Opportunities through the real `crm` binary: the stock stages, a gate, a loss reason, the
/// reports, a stalled deal's notification, and a company pipeline side by side with the stock one.
struct OpportunityCLITests {
    @Test func aDealMovesThroughTheStockStagesWithGatesReasonsReportsAndStalledWarnings() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init", "--demo"]).status == 0)
        let script = try crm.write("opps.lua", """
            local c = crm.create("customer", {name = "端到端测试有限公司", phone = "13900001111", industry = "制造业", source = "展会推荐"})
            local o = crm.create("opportunity", {name = "端到端商机", customer = c.id, amount = 80000})
            print("start", o.stage, o.probability)
            for _, s in ipairs({"需求确认", "方案制定"}) do print("moved", crm.opportunities.move(o.id, s).stage) end
            local ok, err = pcall(crm.opportunities.move, o.id, "合同谈判")
            print("gate", ok, err)
            print("still", crm.get("opportunity", o.id).stage)
            o = crm.opportunities.move(o.id, "合同谈判", {expected_close_date = "2026-12-31", decision_maker = "王总"})
            print("moved", o.stage, o.probability)
            o = crm.opportunities.win(o.id)
            print("won", o.stage, o.won_date ~= nil)
            local l = crm.create("opportunity", {name = "输单商机", customer = c.id, amount = 1000})
            ok, err = pcall(crm.opportunities.lose, l.id, "")
            print("reason", ok, err)
            print("lost", crm.opportunities.lose(l.id, "预算取消").stage)
            print("history", #crm.opportunities.history(o.id))
            local mine = {}
            for _, r in ipairs(crm.opportunities.funnel({pipeline = "default", name = {"端到端商机", "输单商机"}})) do
              mine[#mine + 1] = r.stage .. "=" .. r.count .. "/" .. r.amount
            end
            print("funnel", table.concat(mine, " "))
            for _, r in ipairs(crm.opportunities.conversion({pipeline = "default"})) do
              if r.stage == "合同谈判" then print("conversion", r.entered >= 1, r.moved_on >= 1) end
            end
            print("stalled", #crm.opportunities.stalled() >= 1)
            """)
        let out = try crm.run(["run", script])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("start\t初步接触\t10"))
        #expect(lines.contains("moved\t需求确认") && lines.contains("moved\t方案制定"))
        #expect(lines.contains { $0.hasPrefix("gate\tfalse") && $0.contains("decision_maker") && $0.contains("expected_close_date") })
        #expect(lines.contains("still\t方案制定"))
        #expect(lines.contains("moved\t合同谈判\t80"))
        #expect(lines.contains("won\t赢单\ttrue"))
        #expect(lines.contains { $0.hasPrefix("reason\tfalse") && $0.contains("loss_reason") })
        #expect(lines.contains("lost\t输单"))
        #expect(lines.contains("history\t5"))
        #expect(lines.contains("funnel\t初步接触=0/0 需求确认=0/0 方案制定=0/0 合同谈判=0/0 赢单=1/80000 输单=1/1000"))
        #expect(lines.contains("conversion\ttrue\ttrue"))
        #expect(lines.contains("stalled\ttrue"), "the demo data has a stalled deal")

        let jobs = try crm.run(["jobs", "run", "opportunities.stalled_warnings"])
        #expect(jobs.status == 0, "\(jobs.stderr)")
        #expect(jobs.stdout.contains("notifications sent") && !jobs.stdout.contains(" 0 notifications sent"))
        let notes = try crm.run(["run", try crm.write("notes.lua", "print(crm.count('notification', {kind = 'opportunity.stalled'}))")])
        #expect((Int(notes.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) >= 2, "owner and manager are told")
    }

    @Test func aCompanyPipelineWorksSideBySideWithTheStockOne() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init"]).status == 0)
        let pack = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../scripts/examples/project_sales/30_project_pipeline.lua").standardizedFileURL
        try FileManager.default.copyItem(at: pack, to: crm.workspace.appendingPathComponent("scripts/30_project_pipeline.lua"))
        #expect(try crm.run(["scripts", "check"]).status == 0)
        let out = try crm.run(["run", try crm.write("project.lua", """
            local c = crm.create("customer", {name = "项目客户有限公司", phone = "13900002222", industry = "制造业", source = "展会推荐"})
            local p = crm.create("opportunity", {name = "政务云项目", customer = c.id, business_line = "项目", amount = 3000000})
            local s = crm.create("opportunity", {name = "标准产品单", customer = c.id})
            print("stages", p.stage, p.pipeline, s.stage, s.pipeline)
            print("moved", crm.opportunities.move(p.id, "资格预审").stage)
            local ok, err = pcall(crm.opportunities.move, p.id, "投标")
            print("gate", ok, err)
            print("moved", crm.opportunities.move(p.id, "投标", {bid_deadline = "2026-12-20", bid_bond = 60000}).stage)
            ok, err = pcall(crm.opportunities.move, p.id, "资格预审")
            print("back", ok)
            ok, err = pcall(crm.opportunities.move, s.id, "资格预审")
            print("foreign", ok)
            print("won", crm.opportunities.win(p.id).stage)
            local rows = {}
            for _, r in ipairs(crm.opportunities.funnel({pipeline = "project"})) do rows[#rows + 1] = r.stage .. "=" .. r.count end
            print("funnel", table.concat(rows, " "))
            print("stock", crm.opportunities.funnel({pipeline = "default"})[1].count)
            """)])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("stages\t项目立项\tproject\t初步接触\tdefault"))
        #expect(lines.contains { $0.hasPrefix("gate\tfalse") && $0.contains("bid_deadline") && $0.contains("bid_bond") && !$0.contains("decision_maker") })
        #expect(lines.contains("moved\t投标"))
        #expect(lines.contains("back\tfalse"), "the project pipeline does not go back")
        #expect(lines.contains("foreign\tfalse"), "a stock deal cannot enter a project stage")
        #expect(lines.contains("won\t中标"))
        #expect(lines.contains("funnel\t项目立项=0 资格预审=0 投标=0 中标=1 未中标=0"))
        #expect(lines.contains("stock\t1"))
    }
}
