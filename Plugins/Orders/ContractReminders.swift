import CRMKernel
import Foundation

/// The `orders.contract_reminders` job: once a day, tells each owner of an approved or
/// executing contract that ends within `reminder_days` (`crm.orders.rules`… default 30) days.
/// A reminder is an `order.ending` notification keyed `order:<id>:ending:<end_date>`: sent once,
/// and once more if the end date moves.
enum ContractReminders {
    /// Days ahead a contract's end is announced.
    static let days = 30

    static var job: ScheduledJob {
        ScheduledJob(id: "orders.contract_reminders", label: LocalizedText("合同到期提醒", en: "Contract end reminders"), interval: 3600) { tx, now in
            "\(try run(tx, now: now)) reminder(s) sent"
        }
    }

    /// Sends the reminders due at `now`; returns how many were new.
    static func run(_ tx: WriteContext, now: Date) throws -> Int {
        let reader = tx.asSystem { tx.reader }
        var sent = 0
        for order in try OrderReports.endingWithin(reader, days: days, today: try today(reader, now), limit: 10_000) {
            guard let user = order["owner"].integerValue, let end = order["end_date"].textValue else { continue }
            let number = order["number"].textValue ?? "#\(order.id)"
            let message = Notifications.Message(user: user, kind: "order.ending", title: "合同即将到期：\(number)",
                                                body: "合同「\(order["title"].textValue ?? number)」将于 \(end) 到期",
                                                entity: "order", recordID: order.id, key: "order:\(order.id):ending:\(end)")
            if try Notifications.send(message, in: tx) != nil { sent += 1 }
        }
        return sent
    }

    /// Today in the workspace's time zone.
    static func today(_ reader: RecordReader, _ now: Date) throws -> String {
        let c = try reader.workspaceCalendar().dateComponents([.year, .month, .day], from: now)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }
}
