import CRMKernel
import Foundation

/// Agents' replies: rendered from a reply template's `{{variables}}`, added to the conversation
/// and queued for delivery to the customer's address (the message's `delivery` says where it stands).
public enum Replies {
    /// Variables a template may use.
    public static let variables = ["customer", "contact", "number", "subject", "agent", "status", "requester"]

    /// `body` with `{{name}}` replaced by the ticket's values; an unknown variable is an error naming it.
    static func render(_ body: String, ticket: Record, reader: RecordReader, agent: Int64?) throws -> String {
        let r = reader.system
        func title(_ entity: String, _ id: Int64?, _ field: String) throws -> String {
            guard let id, let rec = try r.get(entity, id) else { return "" }
            return rec[field].textValue ?? ""
        }
        var out = "", rest = Substring(body)
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw KernelError(.validation, "body: '{{' without '}}'", entity: "reply_template", fieldErrors: [FieldError(field: "body", message: "'{{' without '}}'")])
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            switch name {
            case "customer": out += try title("customer", ticket["customer"].integerValue, "name")
            case "contact": out += try title("contact", ticket["contact"].integerValue, "name")
            case "requester": out += ticket["requester_name"].textValue ?? ""
            case "number": out += ticket["number"].textValue ?? ""
            case "subject": out += ticket["subject"].textValue ?? ""
            case "status": out += ticket["status"].textValue ?? ""
            case "agent": out += try title("user", agent ?? ticket["assignee"].integerValue, "display_name")
            default:
                throw KernelError(.validation, "body: unknown variable {{\(name)}} (known: \(variables.joined(separator: ", ")))",
                                  entity: "reply_template", fieldErrors: [FieldError(field: "body", message: "unknown variable {{\(name)}}")])
            }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// The address a reply to `ticket` goes to: its requester's e-mail, else its contact's.
    static func address(_ reader: RecordReader, ticket: Record) throws -> String? {
        if let e = ticket["requester_email"].textValue, !e.isEmpty { return e }
        if let c = ticket["contact"].integerValue, let e = try reader.system.get("contact", c)?["email"].textValue, !e.isEmpty { return e }
        return nil
    }

    /// Adds an outgoing message to the conversation and, when the ticket has an e-mail address,
    /// queues it as a kernel e-mail (`ReplyMail`; delivery `待发送` until sent); `无需发送` without
    /// an address (a phone ticket: the agent calls back), `发送失败` for an address that is not one.
    @discardableResult
    static func queue(_ tx: WriteContext, ticket: Record, body: String, template: Int64? = nil, article: Int64? = nil) throws -> Record {
        let to = try address(tx.reader, ticket: ticket)
        let delivery = ReplyMail.initialDelivery(to: to)
        var values: [String: Value] = ["ticket": .integer(ticket.id), "direction": .text("out"), "body": .text(body), "at": .datetime(tx.now),
                                       "to_address": to.map { Value.text(String($0.prefix(254))) } ?? .null, "owner": ticket["assignee"]]
        values.merge(delivery.values) { _, new in new }
        if let template { values["template"] = .integer(template) }
        if let article { values["article"] = .integer(article) }
        if let user = tx.user.id { values["author"] = .integer(user) }
        let message = try tx.asSystem { try tx.create("ticket_message", values) }
        if delivery.send, let to { try ReplyMail.send(tx, ticket: ticket, message: message, to: to) }
        return message
    }

    /// `crm.service.reply(ticket, {body = ..., template = ..., article = ..., internal = true})`.
    static func reply(_ tx: WriteContext, ticket id: Int64, body: String?, template: Int64?, article: Int64?, internal isInternal: Bool) throws -> Record {
        guard let ticket = try tx.reader.get("ticket", id) else { throw KernelError.recordNotFound("ticket", id) }
        var text = body ?? ""
        if let template {
            guard let t = try tx.reader.system.get("reply_template", template) else { throw KernelError.recordNotFound("reply_template", template) }
            text = try render(t["body"].textValue ?? "", ticket: ticket, reader: tx.reader, agent: tx.user.id) + (text.isEmpty ? "" : "\n\n" + text)
        }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw KernelError(.validation, "body: a reply needs a body or a template", entity: "ticket_message", fieldErrors: [FieldError(field: "body", message: "is required")])
        }
        if let article, try tx.reader.system.get("kb_article", article) == nil { throw KernelError.recordNotFound("kb_article", article) }
        if isInternal {
            return try tx.create("ticket_message", ["ticket": .integer(id), "direction": .text("internal"), "body": .text(text), "at": .datetime(tx.now),
                                                    "delivery": .text("无需发送"), "article": article.map(Value.integer) ?? .null, "owner": ticket["assignee"]])
        }
        return try queue(tx, ticket: ticket, body: text, template: template, article: article)
    }
}
