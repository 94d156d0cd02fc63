import CRMKernel
import Foundation

/// Tickets from outside: the public web form (`POST /public/service/tickets/{form}`), with the
/// honeypot, minimum fill time and per-address limit lead capture uses.
public enum TicketIntake {
    /// What became of a post.
    public enum Outcome: Sendable, Hashable {
        /// A new ticket (id and number).
        case created(Int64, String)
        /// A bot's post: nothing is written.
        case ignored(String)
    }

    /// Takes a post to form `formName`, in its own transaction as the system.
    public static func submit(_ store: RecordStore, form formName: String, post: [String: String]) throws -> Outcome {
        guard let form = ServiceRules.inForce(store.schema).forms[formName] else {
            throw KernelError(.notFound, "no ticket form '\(formName)'")
        }
        let guardian = PublicFormGuard(honeypot: form.honeypot, minFillSeconds: form.minFillSeconds)
        var fields: [String: String] = [:], errors: [FieldError] = []
        for (key, raw) in post.sorted(by: { $0.key < $1.key }) where !guardian.isGuardField(key) {
            guard ServiceRules.formFields.contains(key) else {
                errors.append(FieldError(field: key, message: "unknown field (allowed: \(ServiceRules.formFields.joined(separator: ", ")))"))
                continue
            }
            let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if PublicFormGuard.looksLikeHTML(value) { errors.append(FieldError(field: key, message: "HTML is not accepted")); continue }
            if !value.isEmpty { fields[key] = value }
        }
        if fields["subject"] == nil { errors.append(FieldError(field: "subject", message: "is required")) }
        if fields["email"] == nil, fields["phone"] == nil { errors.append(FieldError(field: "email", message: "an email or a phone is required")) }
        if !errors.isEmpty {
            throw KernelError(.validation, "ticket form '\(formName)': " + errors.map { "\($0.field): \($0.message)" }.joined(separator: "; "),
                              entity: "ticket", fieldErrors: errors)
        }
        return try store.write(as: .system) { tx in
            if let bot = guardian.botReason(post, now: tx.now) { return .ignored(bot) }
            var values: [String: Value] = ["subject": .text(fields["subject"]!), "channel": .text("网页表单"), "form": .text(form.name), "owner": .null]
            for (key, field) in [("name", "requester_name"), ("email", "requester_email"), ("phone", "requester_phone"), ("description", "description"), ("category", "category")] {
                if let v = fields[key] { values[field] = .text(v) }
            }
            if values["category"] == nil, let c = form.category { values["category"] = .text(c) }
            if let contact = try Contacts.match(tx.reader, email: fields["email"], phone: fields["phone"]) {
                values["contact"] = .integer(contact.id)
                values["customer"] = contact["customer"]
            }
            if let number = fields["order_number"], tx.schema.entities["order"] != nil,
               let order = try tx.reader.system.ids("order", where: "number", equals: .text(number), limit: 1).first {
                values["order"] = .integer(order)
            }
            let ticket = try tx.create("ticket", values)
            _ = try tx.create("ticket_message", ["ticket": .integer(ticket.id), "direction": .text("in"), "body": .text(fields["description"] ?? fields["subject"]!),
                                                 "from_address": fields["email"].map(Value.text) ?? .null, "at": .datetime(tx.now), "owner": .null])
            return .created(ticket.id, ticket["number"].textValue ?? "")
        }
    }

    /// `POST /public/service/tickets/:form`: a JSON object of the form's fields. Answers
    /// `{"received": true, "number": ...}`; a bot's post gets `{"received": true}` and nothing is
    /// written; 400 names the field, 404 for an unknown form, 429 past the per-address limit.
    static var route: PluginRoute {
        PluginRoute(.post, "tickets/:form", summary: "Open a ticket from a public form (JSON: subject, description, name, email, phone, category, order_number)",
                    audience: .anyone(limit: RateLimit(requests: 10, perSeconds: 60)), body: .json) { request in
            switch try submit(request.store, form: request.parameters["form"] ?? "", post: try PublicFormGuard.textFields(request.json)) {
            case .created(_, let number): return .json(.table(["received": .value(.bool(true)), "number": .value(.text(number))]))
            case .ignored: return .json(.table(["received": .value(.bool(true))]))
            }
        }
    }
}

/// Finding the contact a message comes from.
enum Contacts {
    /// The contact with this e-mail (any case), else this phone; nil when none.
    static func match(_ reader: RecordReader, email: String?, phone: String?) throws -> Record? {
        let r = reader.system
        if let email = email?.trimmingCharacters(in: .whitespaces), !email.isEmpty {
            for candidate in Set([email, email.lowercased()]) {
                if let c = try r.find(Query("contact", filter: .eq("email", .text(candidate)), sort: [SortKey("id")], limit: 1)).records.first { return c }
            }
        }
        if let phone = phone?.filter(\.isNumber), phone.count >= 7,
           let c = try r.find(Query("contact", filter: .condition(field: "phone", op: .contains, value: .text(String(phone.suffix(11)))), sort: [SortKey("id")], limit: 1)).records.first {
            return c
        }
        return nil
    }
}
