import CRMCustomers
import CRMKernel
import CRMPlugins
import Foundation
import Testing

/// Tasks: the default reminder, the derived 已逾期 status, and the reminder job.
struct TaskRulesTests {
    static func date(_ v: Value) -> Date? { if case .datetime(let d) = v { return d } else { return nil } }
    static func at(_ offset: TimeInterval) -> Date { Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + offset).rounded(.down)) }

    @Test func aDueTimeGivesADefaultReminderTenMinutesBeforeThatMovesWithIt() throws {
        let w = try DuplicateFixture()
        let due = Self.at(3600)
        let task = try w.store.create("task", ["title": .text("回访"), "due_at": .datetime(due)])
        #expect(Self.date(task["remind_at"]) == due.addingTimeInterval(-600))
        let moved = try w.store.update("task", task.id, ["due_at": .datetime(due.addingTimeInterval(3600))])
        #expect(Self.date(moved["remind_at"]) == due.addingTimeInterval(3000), "the default reminder follows the due time")
        let own = try w.store.update("task", task.id, ["remind_at": .datetime(due.addingTimeInterval(-7200))])
        let later = try w.store.update("task", own.id, ["due_at": .datetime(due.addingTimeInterval(7200))])
        #expect(Self.date(later["remind_at"]) == due.addingTimeInterval(-7200), "a chosen reminder stays")
        let explicit = try w.store.create("task", ["title": .text("送样"), "due_at": .datetime(due), "remind_at": .datetime(due.addingTimeInterval(-86_400))])
        #expect(Self.date(explicit["remind_at"]) == due.addingTimeInterval(-86_400))
        #expect(try w.store.create("task", ["title": .text("无截止")])["remind_at"] == .null)
    }

    @Test func aTaskNobodyWasNamedForIsItsOwnersTask() throws {
        let w = try DuplicateFixture()
        let lina = try w.store.create("user", ["name": .text("lina"), "role": .text("sales_rep")]).id
        let zhang = try w.store.create("user", ["name": .text("zhang"), "role": .text("sales_rep")]).id
        let mine = try w.store.create("task", ["title": .text("发方案"), "owner": .integer(lina)])
        #expect(mine["assignee"] == .integer(lina))
        let named = try w.store.create("task", ["title": .text("送样"), "owner": .integer(lina), "assignee": .integer(zhang)])
        #expect(named["assignee"] == .integer(zhang), "a named assignee stays")
        let cleared = try w.store.update("task", mine.id, ["assignee": .null])
        #expect(cleared["assignee"] == .null, "clearing it later is the user's choice")
    }

    @Test func anOpenTaskPastDueIsOverdueAndReturnsToPendingWhenItsDueTimeMovesAhead() throws {
        let w = try DuplicateFixture()
        let task = try w.store.create("task", ["title": .text("回访"), "due_at": .datetime(Self.at(-3600)), "status": .text("进行中")])
        #expect(task["status"] == .text("已逾期"))
        let ahead = try w.store.update("task", task.id, ["due_at": .datetime(Self.at(86_400))])
        #expect(ahead["status"] == .text("待处理"))
        let done = try w.store.create("task", ["title": .text("已办"), "due_at": .datetime(Self.at(-3600)), "status": .text("已完成")])
        #expect(done["status"] == .text("已完成"), "a finished task is never overdue")
    }

    @Test func theReminderJobNotifiesTheAssigneeOnceAndMarksTasksOverdue() throws {
        let w = try DuplicateFixture()
        let lina = try w.store.create("user", ["name": .text("lina"), "role": .text("sales_rep")]).id
        let soon = try w.store.create("task", ["title": .text("回访确认报价"), "assignee": .integer(lina), "due_at": .datetime(Self.at(300))])
        let later = try w.store.create("task", ["title": .text("准备合同"), "assignee": .integer(lina), "due_at": .datetime(Self.at(86_400))])
        let first = try w.ws.runJobs(only: ["customers.task_reminders"])
        #expect(first.first?.summary == "1 reminder(s) sent, 0 task(s) marked 已逾期")
        let notes = try w.store.read { try Notifications.list(for: lina, unreadOnly: true, in: $0) }
        #expect(notes.count == 1)
        #expect(notes.first?["kind"] == .text("task.reminder"))
        #expect(notes.first?["record_id"] == .integer(soon.id))
        #expect(try w.ws.runJobs(only: ["customers.task_reminders"]).first?.summary.hasPrefix("0 reminder(s)") == true)
        // An hour after the first task's due time: it is overdue, and nothing else is due.
        let next = try w.ws.runJobs(only: ["customers.task_reminders"], now: Self.at(3900))
        #expect(next.first?.summary == "0 reminder(s) sent, 1 task(s) marked 已逾期")
        #expect(try w.store.get("task", soon.id)?["status"] == .text("已逾期"))
        #expect(try w.store.get("task", later.id)?["status"] == .text("待处理"))
    }
}
