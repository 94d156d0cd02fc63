import CRMKernel
import Foundation

/// The `customers.task_reminders` job: reminds assignees of their tasks on time and marks
/// tasks that fell past their due time 已逾期.
///
/// Both lookups are range scans of indexed columns (`remind_at`, `due_at`) bounded by
/// `window`, so a run costs what is due, not the size of the task list. A reminder is a
/// `task.reminder` notification keyed `task:<id>:remind:<remind_at>`: a second run sends nothing
/// again, and a task whose reminder time changes is reminded once more.
enum TaskReminders {
    /// Reminders older than this are not sent any more (the scheduler was down too long).
    static let window: TimeInterval = 7 * 86_400

    static var job: ScheduledJob {
        ScheduledJob(id: "customers.task_reminders", label: LocalizedText("任务提醒与逾期标记", en: "Task reminders and overdue marking"),
                     interval: 60) { tx, now in
            let r = try run(tx, now: now)
            return "\(r.reminded) reminder(s) sent, \(r.overdue) task(s) marked 已逾期"
        }
    }

    /// Sends the reminders due at `now` and flips open tasks past due; returns the counts.
    static func run(_ tx: WriteContext, now: Date) throws -> (reminded: Int, overdue: Int) {
        var reminded = 0, overdue = 0
        let notDone = Filter.condition(field: "status", op: .in, value: .list(TaskRules.open + [TaskRules.overdue]))
        let dueReminders = Filter.all([.condition(field: "remind_at", op: .le, value: .datetime(now)),
                                       .condition(field: "remind_at", op: .gt, value: .datetime(now.addingTimeInterval(-window))), notDone])
        try each(tx, dueReminders, sort: "remind_at") { task in
            guard let user = task["assignee"].integerValue ?? task["owner"].integerValue,
                  case .datetime(let at) = task["remind_at"] else { return }
            let title = task["title"].textValue ?? "#\(task.id)"
            var body = "任务「\(title)」"
            if case .datetime(let due) = task["due_at"] { body += "截止于 \(DateCoding.iso(due))" }
            let message = Notifications.Message(user: user, kind: "task.reminder", title: "任务提醒：\(title)", body: body,
                                                entity: "task", recordID: task.id, key: "task:\(task.id):remind:\(DateCoding.iso(at))")
            if try Notifications.send(message, in: tx) != nil { reminded += 1 }
        }
        let pastDue = Filter.all([.condition(field: "due_at", op: .lt, value: .datetime(now)),
                                  .condition(field: "status", op: .in, value: .list(TaskRules.open))])
        try each(tx, pastDue, sort: "due_at") { task in
            try tx.update("task", task.id, ["status": .text(TaskRules.overdue)])
            overdue += 1
        }
        return (reminded, overdue)
    }

    /// Visits every task matching `filter`, page by page.
    private static func each(_ tx: WriteContext, _ filter: Filter, sort: String, _ body: (Record) throws -> Void) throws {
        var after: String? = nil
        repeat {
            let page = try tx.reader.find(Query("task", filter: filter, sort: [SortKey(sort), SortKey("id")], limit: 500, after: after))
            for task in page.records { try body(task) }
            after = page.nextCursor
        } while after != nil
    }
}
