import CRMKernel
import Foundation

/// A task's reminder time and derived status, kept on every save.
///
/// - A task with a due time and no reminder is reminded `defaultLead` (10 minutes) before it;
///   when the due time moves and the reminder was that default, the reminder moves with it.
/// - A new task nobody was named for is the task of its owner (who created it, unless set):
///   it shows among their open tasks and its reminder reaches them.
/// - 已逾期 (overdue) is derived, never chosen: an open task (待处理/进行中) whose due time has
///   passed is saved as 已逾期, and an overdue task whose due time moves into the future (or
///   is cleared) goes back to 待处理. The `customers.task_reminders` job flips tasks that fall
///   overdue while nobody saves them.
enum TaskRules {
    /// How long before the due time a task is reminded by default.
    static let defaultLead: TimeInterval = 10 * 60
    /// Statuses of a task that is not finished.
    static let open = TaskStatus.open
    /// The derived status of an open task past its due time.
    static let overdue = TaskStatus.overdue
    /// Every status, in order.
    static let statuses = TaskStatus.all

    static var hooks: HookSet {
        var set = HookSet()
        set.onBeforeSave("task") { ctx in apply(&ctx) }
        return set
    }

    static func apply(_ ctx: inout SaveContext) {
        guard ctx.operation != .delete else { return }
        if ctx.operation == .create, (ctx.values["assignee"] ?? .null).isEmpty, let owner = ctx.values["owner"], !owner.isEmpty {
            ctx.values["assignee"] = owner
        }
        let due = date(ctx.values["due_at"] ?? .null)
        if let due {
            let remind = date(ctx.values["remind_at"] ?? .null)
            let oldDue = date(ctx.old?["due_at"] ?? .null), oldRemind = date(ctx.old?["remind_at"] ?? .null)
            let wasDefault = oldDue != nil && oldRemind == oldDue!.addingTimeInterval(-defaultLead)
            if remind == nil && !(ctx.operation == .update && oldRemind != nil && ctx.changed("remind_at")) {
                ctx.values["remind_at"] = .datetime(due.addingTimeInterval(-defaultLead))
            } else if ctx.changed("due_at"), !ctx.changed("remind_at"), wasDefault {
                ctx.values["remind_at"] = .datetime(due.addingTimeInterval(-defaultLead))
            }
        }
        let status = ctx.values["status"]?.textValue ?? open[0]
        if open.contains(status), let due, due < ctx.tx.now {
            ctx.values["status"] = .text(overdue)
        } else if status == overdue, ctx.changed("due_at"), due.map({ $0 >= ctx.tx.now }) ?? true {
            ctx.values["status"] = .text(open[0])
        }
    }

    private static func date(_ v: Value) -> Date? {
        if case .datetime(let d) = v { return d }
        return nil
    }
}
