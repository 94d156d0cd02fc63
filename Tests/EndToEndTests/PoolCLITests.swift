import Foundation
import Testing

/// The 公海, task reminders and attachments through the real `crm` binary on demo data.
struct PoolCLITests {
    @Test func claimAndReleaseWithinQuotaThenReclaimWhatIsUntouchedPastItsDeadline() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init", "--demo"]).status == 0)
        let list = try crm.run(["pool", "list"])
        #expect(list.status == 0 && list.stdout.contains("华南公海") && list.stdout.contains("默认公海"))

        let dry = try crm.run(["pool", "reclaim", "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("4 customer(s) would return to the pool"))
        #expect(dry.stdout.contains("天未跟进"))

        // A one-claim-a-day company rule, added to the pack.
        try "crm.customers.pool_rules{daily_claims = 1}\n".write(to: crm.workspace.appendingPathComponent("scripts/90_quota.lua"),
                                                                  atomically: true, encoding: .utf8)
        let script = try crm.write("pool.lua", """
            local pool = crm.find("customer", {owner = {is_empty = true}}, {sort = "id", limit = 2})
            local c = crm.customers.claim(pool[1].id)
            print("claimed", c.id, c.owner == crm.user().id, c.pool)
            local ok, err = pcall(crm.customers.claim, pool[2].id)
            print("second", ok, err)
            print("unchanged", crm.get("customer", pool[2].id).owner == nil, crm.count("pool_event"))
            ok, err = pcall(crm.customers.release, c.id, "")
            print("no reason", ok, err)
            print("still mine", crm.get("customer", c.id).owner == crm.user().id)
            local r = crm.customers.release(c.id, "客户暂无采购计划")
            print("released", r.owner == nil, r.pool, crm.count("pool_event"))
            local mine = true
            for _, d in ipairs(crm.customers.reclaim{dry_run = true}) do
              if d.owner ~= crm.user().id then mine = false end
            end
            print("dry, only mine", mine)
            """)
        let out = try crm.run(["run", script, "--as", "lina"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("claimed\t") && out.stdout.contains("\ttrue\tnil"))
        #expect(out.stdout.contains("second\tfalse") && out.stdout.contains("daily claim quota reached: 1 of 1"))
        #expect(out.stdout.contains("unchanged\ttrue\t1"))
        #expect(out.stdout.contains("no reason\tfalse") && out.stdout.contains("needs a reason"))
        #expect(out.stdout.contains("still mine\ttrue"))
        #expect(out.stdout.contains("released\ttrue\t") && out.stdout.contains("公海\t2"))
        // A rep's dry run lists only the rep's own customers; the operator's (below) lists all four.
        #expect(out.stdout.contains("dry, only mine\ttrue"))
        #expect(try crm.run(["pool", "reclaim", "--dry-run"]).stdout.contains("4 customer(s) would return"))

        let real = try crm.run(["pool", "reclaim"])
        #expect(real.status == 0, "\(real.stderr)")
        #expect(real.stdout.contains("4 customer(s) returned to the pool"))
        #expect(try crm.run(["pool", "reclaim", "--dry-run"]).stdout.contains("0 customer(s) would return"))
    }

    @Test func aTaskReminderBecomesANotificationTheAssigneeReadsAndMarksRead() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init", "--demo"]).status == 0)
        let jobs = try crm.run(["jobs", "run", "customers.task_reminders"])
        #expect(jobs.status == 0, "\(jobs.stderr)")
        #expect(jobs.stdout.contains("reminder(s) sent"))
        let script = try crm.write("notes.lua", """
            local notes = crm.notifications{unread = true}
            for _, n in ipairs(notes) do print(n.kind, n.title) end
            local reminder
            for _, n in ipairs(notes) do if n.kind == "task.reminder" then reminder = n end end
            print("marked", crm.mark_read(reminder.id))
            local left = 0  -- other modules' demo data notify zhangwei too (an expense to approve)
            for _, n in ipairs(crm.notifications{unread = true}) do if n.kind == "task.reminder" then left = left + 1 end end
            print("unread reminders", left)
            """)
        let out = try crm.run(["run", script, "--as", "zhangwei"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("task.reminder\t任务提醒：回访确认报价"))
        #expect(out.stdout.contains("marked\t1"))
        #expect(out.stdout.contains("unread reminders\t0"))
        let again = try crm.run(["jobs", "run", "customers.task_reminders"])
        #expect(again.stdout.contains("0 reminder(s) sent"), "a second run does not remind twice")
    }

    @Test func anAttachmentIsKeptAndAnOverLimitFileIsRefusedWithNothingWritten() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init", "--demo"]).status == 0)
        try "crm.customers.attachment_rules{max_bytes = 1024}\n".write(to: crm.workspace.appendingPathComponent("scripts/90_files.lua"),
                                                                        atomically: true, encoding: .utf8)
        let small = try crm.write("报价单.txt", "报价：每台 1200 元")
        // lina attaches to a follow-up she can see (one she cannot is refused as missing).
        let hers = try ModuleCommandCLITests.firstFollowup(crm, as: "lina")
        let ok = try crm.run(["attach", hers, small, "--as", "lina"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(FileManager.default.fileExists(atPath: crm.workspace.appendingPathComponent("files/followup/\(hers)/报价单.txt").path))
        let big = try crm.write("big.bin", String(repeating: "x", count: 2048))
        let refused = try crm.run(["attach", "1", big])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("the limit is 1024 bytes"))
        #expect(!FileManager.default.fileExists(atPath: crm.workspace.appendingPathComponent("files/followup/1/big.bin").path))
        let count = try crm.run(["repl"], stdin: "crm.count('attachment')\n")
        #expect(count.stdout.contains("1"))
    }
}
