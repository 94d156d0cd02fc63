import CRMKernel
import Foundation

/// Outbound replies and rating links as e-mail through the kernel's outbound messages: a reply
/// queues a `message` (source `service`) in the reply's own transaction, sent after commit by
/// `MessageDelivery`; the `message`'s status flows back into the reply's `delivery`.
enum ReplyMail {
    /// The `message` source of the service module's e-mails.
    static let source = "service"

    /// The subject a reply to `ticket` goes out with: `Re: <subject> [工单 <number>]`, so the
    /// customer's answer threads back into the ticket (`InboundMail.references`).
    static func subject(ticket: Record) -> String {
        let reference = InboundMail.reference(ticket["number"].textValue ?? "#\(ticket.id)")
        let plain = (ticket["subject"].textValue ?? "").split(whereSeparator: \.isNewline).joined(separator: " ")
            .trimmingCharacters(in: .whitespaces)
        let room = MessageEntity.maxSubject - reference.count - 5
        let base = plain.hasPrefix("Re:") || plain.hasPrefix("RE:") ? plain : (plain.isEmpty ? "Re:" : "Re: " + plain)
        return String(base.prefix(max(room, 0))) + " " + reference
    }

    /// The delivery values of a new reply to `to`, and the e-mail to queue once the reply exists:
    /// no address → `无需发送`; an address that is not one → `发送失败` naming why; else `待发送`.
    static func initialDelivery(to: String?) -> (values: [String: Value], send: Bool) {
        guard let to else { return (["delivery": .text("无需发送")], false) }
        guard MessageValidation.isEmailAddress(to) else {
            return (["delivery": .text("发送失败"), "delivery_error": .text("不是有效的邮箱地址：\(to.prefix(200))")], false)
        }
        return (["delivery": .text("待发送")], true)
    }

    /// Queues the e-mail of reply `message` to `to` in `tx` (key `service:ticket_message:<id>`:
    /// never queued twice).
    static func send(_ tx: WriteContext, ticket: Record, message: Record, to: String) throws {
        _ = try tx.sendMessage(.email(to: to, subject: subject(ticket: ticket), body: message["body"].textValue ?? "",
                                      entity: "ticket_message", recordID: message.id,
                                      key: "service:ticket_message:\(message.id)", source: source))
    }

    /// After-save hook on the kernel's `message`: a service e-mail's new status becomes its
    /// reply's `delivery` (已发送, 发送失败 with the error, 待发送 while retrying).
    static func messageSaved(_ ctx: AfterSaveContext) throws {
        guard ctx.operation == .update, ctx.changed("status"), ctx.record["entity"] == .text("ticket_message"),
              let id = ctx.record["record_id"].integerValue,
              let status = ctx.record["status"].textValue.flatMap(MessageStatus.init(rawValue:)) else { return }
        let error = ctx.record["last_error"].textValue.map { Value.text(String($0.prefix(500))) } ?? .null
        let changes: [String: Value]
        switch status {
        case .sent: changes = ["delivery": .text("已发送"), "delivery_error": .null]
        case .failed: changes = ["delivery": .text("发送失败"), "delivery_error": error]
        case .pending: changes = ["delivery": .text("待发送"), "delivery_error": error]
        case .sending: return
        }
        try ctx.tx.asSystem {
            guard try ctx.tx.reader.get("ticket_message", id) != nil else { return }
            _ = try ctx.tx.update("ticket_message", id, changes)
        }
    }
}
