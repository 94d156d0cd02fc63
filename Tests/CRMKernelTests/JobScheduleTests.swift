import Foundation
import Testing
@testable import CRMKernel

/// A module with an interval job and a daily job, each writing a `tick` record per run.
private struct ClockPlugin: Plugin {
    var daily = "08:00"
    var failing = false
    var manifest: PluginManifest {
        PluginManifest(id: "clock", name: LocalizedText("时钟"), version: "1.0.0", summary: LocalizedText("测试用"))
    }
    var schema: SchemaDeclarations {
        SchemaDeclarations(entities: [EntityDefinition("tick", label: LocalizedText("滴答"), titleField: "job", fields: [
            FieldDefinition("job", .text, label: LocalizedText("任务"), required: true),
        ])])
    }
    var jobs: [ScheduledJob] {
        let failing = self.failing
        return [
            ScheduledJob(id: "clock.minutely", label: LocalizedText("每分钟"), schedule: .every(60)) { tx, _ in
                if failing { throw KernelError(.validation, "broken") }
                try tx.create("tick", ["job": .text("minutely")])
                return "ticked"
            },
            ScheduledJob(id: "clock.morning", label: LocalizedText("每天早上"), schedule: .daily(at: daily)) { tx, _ in
                try tx.create("tick", ["job": .text("morning")])
                return "good morning"
            },
        ]
    }
}

/// Job schedules, with last runs kept in the database and an injected clock.
struct JobScheduleTests {
    /// 2026-12-02 10:00 in Asia/Shanghai (02:00 UTC).
    static let start = Date(timeIntervalSince1970: 1_796_176_800)

    private func ticks(_ ws: Workspace, _ job: String) throws -> Int {
        try ws.store.count("tick", filter: .eq("job", .text(job)))
    }

    @Test func aRestartDoesNotRunJobsAgainBeforeTheyAreDue() throws {
        let t = try PluginWorkspace([ClockPlugin()])
        #expect(try t.ws.runDueJobs(now: Self.start).map(\.id) == ["clock.minutely", "clock.morning"], "never run: due")
        #expect(try t.ws.runDueJobs(now: Self.start.addingTimeInterval(1)).isEmpty)
        let restarted = try t.reopened([ClockPlugin()])
        #expect(try restarted.runDueJobs(now: Self.start.addingTimeInterval(30)).isEmpty, "the last runs come from the database")
        #expect(try restarted.runDueJobs(now: Self.start.addingTimeInterval(60)).map(\.id) == ["clock.minutely"])
        #expect(try ticks(restarted, "minutely") == 2 && ticks(restarted, "morning") == 1)
    }

    @Test func aDailyJobRunsOnceADayAtItsTimeInTheWorkspaceZone() throws {
        let t = try PluginWorkspace([ClockPlugin()])
        _ = try t.ws.runDueJobs(now: Self.start)
        let morning = try #require(t.ws.jobStatuses(now: Self.start).first { $0.job.id == "clock.morning" })
        // Next 08:00 in Shanghai is 2026-12-03T00:00:00Z.
        #expect(morning.lastRun == Self.start && DateCoding.iso(morning.nextRun) == "2026-12-03T00:00:00Z")
        let beforeEight = Self.start.addingTimeInterval(22 * 3600 - 60)
        #expect(try t.ws.runDueJobs(now: beforeEight).map(\.id) == ["clock.minutely"])
        #expect(try t.ws.runDueJobs(now: beforeEight.addingTimeInterval(60)).map(\.id) == ["clock.minutely", "clock.morning"])
        #expect(try ticks(t.ws, "morning") == 2)
        try t.ws.store.setSetting("time_zone", "UTC")
        let utc = try #require(t.ws.jobStatuses(now: beforeEight).first { $0.job.id == "clock.morning" })
        #expect(DateCoding.iso(utc.nextRun) == "2026-12-03T08:00:00Z", "the workspace's time zone decides what 08:00 means")
    }

    @Test func aFailedRunIsKeptAndWaitsForItsNextTurn() throws {
        let t = try PluginWorkspace([ClockPlugin(failing: true)])
        let first = try t.ws.runDueJobs(now: Self.start)
        #expect(first.first { $0.id == "clock.minutely" }?.succeeded == false)
        let status = try #require(t.ws.jobStatuses(now: Self.start).first { $0.job.id == "clock.minutely" })
        #expect(status.lastResult?.succeeded == false && status.lastResult?.summary.contains("broken") == true)
        #expect(try t.ws.runDueJobs(now: Self.start.addingTimeInterval(10)).isEmpty, "no retry every second")
        #expect(try ticks(t.ws, "minutely") == 0)
    }

    @Test func aManualRunCountsAsTheLastRun() throws {
        let t = try PluginWorkspace([ClockPlugin()])
        _ = try t.ws.runJobs(only: ["clock.minutely"], now: Self.start)
        #expect(try t.ws.runDueJobs(now: Self.start.addingTimeInterval(5)).map(\.id) == ["clock.morning"])
    }

    @Test func anImpossibleScheduleIsRefusedAtStartUp() {
        let error = kernelError { _ = try PluginRegistry([ClockPlugin(daily: "8h")]) }
        #expect(error?.message.contains("module clock job clock.morning") == true && error?.message.contains("'8h'") == true)
    }

    @Test func nextRunFollowsTheSchedule() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let now = Self.start
        #expect(JobSchedule.every(300).nextRun(after: nil, now: now, calendar: calendar) == now)
        #expect(JobSchedule.every(300).nextRun(after: now, now: now, calendar: calendar) == now.addingTimeInterval(300))
        // Last run 07:00 Shanghai: due at 08:00 the same day.
        let seven = now.addingTimeInterval(-3 * 3600)
        #expect(JobSchedule.daily(at: "08:00").nextRun(after: seven, now: now, calendar: calendar) == seven.addingTimeInterval(3600))
        #expect(JobSchedule.daily(at: "08:00").description == "daily 08:00" && JobSchedule.every(60).description == "every 60s")
    }
}
