import CRMKernel
import Foundation

/// Inbound e-mail through a webhook mail providers call (`POST /public/service/inbound-mail?key=…`)
/// with the message as JSON: the sender is matched to a contact (an unknown sender makes a
/// ticket without a contact, flagged `unmatched_sender`), and a reply whose subject carries a
/// ticket reference (`[工单 TK-…]`) joins that ticket's conversation, reopening it when solved.
public enum InboundMail {
    /// What became of a message.
    public struct Outcome: Sendable, Hashable {
        /// The ticket it went to.
        public var ticket: Int64
        /// Its number.
        public var number: String
        /// Whether it joined an existing ticket.
        public var threaded: Bool
        /// Whether the sender matched no contact.
        public var unmatched: Bool
    }

    /// The reference put in outgoing subjects, by which replies are threaded.
    public static func reference(_ number: String) -> String { "[工单 \(number)]" }

    /// The ticket numbers referenced in a subject (`[工单 X]`, `[#X]` or `[X]`), in order.
    static func references(_ subject: String) -> [String] {
        var out: [String] = [], rest = Substring(subject)
        while let open = rest.firstIndex(of: "["), let close = rest[open...].firstIndex(of: "]") {
            var inner = rest[rest.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
            for prefix in ["工单", "#", "Ticket", "ticket"] where inner.hasPrefix(prefix) { inner = String(inner.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces) }
            if !inner.isEmpty { out.append(inner) }
            rest = rest[rest.index(after: close)...]
        }
        return out
    }

    /// The sender's address from `Name <a@b.c>` or `a@b.c`.
    static func address(_ from: String) -> String? {
        var text = from
        if let lt = text.lastIndex(of: "<"), let gt = text.lastIndex(of: ">"), lt < gt { text = String(text[text.index(after: lt)..<gt]) }
        text = text.trimmingCharacters(in: .whitespaces).lowercased()
        return text.range(of: "^[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+$", options: .regularExpression) != nil ? text : nil
    }

    /// Takes one message: `from`, `subject`, `text` (required), `name`.
    public static func receive(_ store: RecordStore, message m: [String: String]) throws -> Outcome {
        var errors: [FieldError] = []
        let from = m["from"].flatMap(address)
        if from == nil { errors.append(FieldError(field: "from", message: m["from"] == nil ? "is required" : "is not an e-mail address")) }
        let subject = (m["subject"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let text = (m["text"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if subject.isEmpty && text.isEmpty { errors.append(FieldError(field: "text", message: "an empty message (no subject, no text)")) }
        if text.count > 50_000 { errors.append(FieldError(field: "text", message: "longer than 50000 characters")) }
        guard errors.isEmpty, let from else {
            throw KernelError(.validation, "inbound mail: " + errors.map { "\($0.field): \($0.message)" }.joined(separator: "; "), entity: "ticket", fieldErrors: errors)
        }
        return try store.write(as: .system) { tx in
            let reader = tx.reader.system
            let statuses = ServiceRules.inForce(tx.schema).statuses
            let body = text.isEmpty ? subject : text
            for number in references(subject) {
                guard var ticket = try reader.find(Query("ticket", filter: .eq("number", .text(number)), limit: 1)).records.first else { continue }
                var hops = 0
                while ticket["status"] == .text(statuses.merged), let into = ticket["merged_into"].integerValue, hops < 10, let t = try reader.get("ticket", into) {
                    ticket = t
                    hops += 1
                }
                guard ![statuses.closed, statuses.invalid, statuses.merged].contains(ticket["status"].textValue ?? "") else { continue }
                _ = try tx.create("ticket_message", ["ticket": .integer(ticket.id), "direction": .text("in"), "body": .text(body),
                                                     "from_address": .text(from), "at": .datetime(tx.now), "owner": ticket["assignee"]])
                return Outcome(ticket: ticket.id, number: ticket["number"].textValue ?? "", threaded: true, unmatched: ticket["unmatched_sender"] == .bool(true))
            }
            let contact = try Contacts.match(reader, email: from, phone: nil)
            var values: [String: Value] = ["subject": .text(subject.isEmpty ? String(text.prefix(60)) : String(subject.prefix(200))),
                                           "description": .text(String(body.prefix(20000))), "channel": .text("邮件"),
                                           "requester_email": .text(from), "unmatched_sender": .bool(contact == nil), "owner": .null]
            if let name = m["name"], !name.isEmpty { values["requester_name"] = .text(String(name.prefix(64))) }
            if let contact { values["contact"] = .integer(contact.id); values["customer"] = contact["customer"] }
            else { values["tags"] = .list(["未识别发件人"]) }
            let ticket = try tx.create("ticket", values)
            _ = try tx.create("ticket_message", ["ticket": .integer(ticket.id), "direction": .text("in"), "body": .text(body),
                                                 "from_address": .text(from), "at": .datetime(tx.now), "owner": .null])
            return Outcome(ticket: ticket.id, number: ticket["number"].textValue ?? "", threaded: false, unmatched: contact == nil)
        }
    }

    /// `POST /public/service/inbound-mail?key=…`: `{"from": "...", "subject": "...", "text": "..."}`.
    /// 403 without the key set in `crm.service.rules{inbound_key = …}`; 400 naming the field.
    static var route: PluginRoute {
        PluginRoute(.post, "inbound-mail", summary: "Inbound e-mail webhook (JSON: from, name, subject, text; ?key= the inbound key)",
                    audience: .anyone(limit: RateLimit(requests: 600, perSeconds: 60)), body: .json) { request in
            let key = ServiceRules.inForce(request.store.schema).inboundKey
            guard !key.isEmpty, Ratings.constantTimeEqual(request.query["key"] ?? "", key) else {
                throw KernelError(.forbidden, "inbound mail: wrong or missing key (set crm.service.rules{inbound_key = ...})")
            }
            let o = try receive(request.store, message: try PublicFormGuard.textFields(request.json))
            return .json(.table(["ticket": .value(.integer(o.ticket)), "number": .value(.text(o.number)),
                                 "threaded": .value(.bool(o.threaded)), "unmatched_sender": .value(.bool(o.unmatched))]))
        }
    }
}
