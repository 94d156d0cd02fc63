import CRMKernel
import CRMOrders
import Foundation

/// The `finance.due_reminders` job: tells each installment's owner `remind_days` days (default 3)
/// before its due date, and once when it becomes overdue. Notifications are keyed
/// `payment_plan:<id>:due:<date>` and `payment_plan:<id>:overdue:<date>`, so each is sent once
/// (and again only if the due date moves), however often the job runs.
enum DueReminders {
    /// Days ahead when an installment names none.
    static let defaultDays: Int64 = 3
    /// The longest look-ahead (days) the job scans.
    static let horizon = 60

    static var job: ScheduledJob {
        ScheduledJob(id: "finance.due_reminders", label: LocalizedText("回款到期与逾期提醒", en: "Installment due and overdue reminders"), interval: 3600) { tx, now in
            "\(try run(tx, today: try OrderActions.today(tx.asSystem { tx.reader }))) reminder(s) sent"
        }
    }

    /// Sends the reminders due on `today`; returns how many were new.
    static func run(_ tx: WriteContext, today: String) throws -> Int {
        let reader = tx.asSystem { tx.reader }
        guard let until = FinanceDates.adding(months: 0, days: horizon, to: today),
              let since = FinanceDates.adding(months: 0, days: -horizon, to: today) else { return 0 }
        let open = Filter.all([.eq("cancelled", .bool(false)), .condition(field: "paid_on", op: .isEmpty, value: .null),
                               .condition(field: "due_date", op: .ge, value: .text(since)), .condition(field: "due_date", op: .le, value: .text(until))])
        var sent = 0, after: String? = nil
        repeat {
            let page = try reader.find(Query("payment_plan", filter: open, sort: [SortKey("due_date"), SortKey("id")], limit: 500, after: after))
            after = page.nextCursor
            for plan in page.records {
                guard let user = plan["owner"].integerValue, let due = plan["due_date"].textValue,
                      let days = FinanceDates.days(from: today, to: due) else { continue }
                let open = FinanceMoney.fen(plan["amount"]) - FinanceMoney.fen(plan["received"])
                guard open > 0 else { continue }
                let order = try reader.get("order", plan["order"].integerValue ?? 0)
                let number = order?["number"].textValue ?? "#\(plan["order"])"
                let message: Notifications.Message
                if days < 0 {
                    message = Notifications.Message(user: user, kind: "payment_plan.overdue", title: "回款已逾期：\(number) 第\(plan["seq"])期",
                                                    body: "应于 \(due) 回款 \(MoneyText.yuan(open)) 元，已逾期 \(-days) 天",
                                                    entity: "payment_plan", recordID: plan.id, key: "payment_plan:\(plan.id):overdue:\(due)")
                } else if days <= Int(plan["remind_days"].integerValue ?? defaultDays) {
                    message = Notifications.Message(user: user, kind: "payment_plan.due", title: "回款即将到期：\(number) 第\(plan["seq"])期",
                                                    body: "\(due) 应回款 \(MoneyText.yuan(open)) 元",
                                                    entity: "payment_plan", recordID: plan.id, key: "payment_plan:\(plan.id):due:\(due)")
                } else { continue }
                if try Notifications.send(message, in: tx) != nil { sent += 1 }
            }
        } while after != nil
        return sent
    }
}
