import CRMKernel
import Foundation

/// Taking a lead from a capture form: checks, 查重 (a repeat becomes a touch of the existing
/// lead), the new lead's touch and its assignment, all in one transaction.
public enum LeadCapture {
    /// What became of a post.
    public enum Outcome: Sendable, Hashable {
        /// A new lead.
        case created(Int64)
        /// A repeat of an existing lead, recorded as a new touch.
        case merged(Int64)
        /// A bot's post (honeypot filled or posted too fast): nothing is written.
        case ignored(String)
    }

    /// Checks a post against `form`: unknown fields, missing required ones, HTML in a value.
    /// Returns whether it is a bot's (and why), or the lead fields it carries.
    static func check(_ post: [String: String], form: CaptureForms.Form, now: Date) throws -> (fields: [String: String], bot: String?) {
        var fields: [String: String] = [:], errors: [FieldError] = []
        let guardian = PublicFormGuard(honeypot: form.honeypot, minFillSeconds: form.minFillSeconds)
        for (key, raw) in post.sorted(by: { $0.key < $1.key }) {
            if guardian.isGuardField(key) { continue }
            guard form.fields.contains(key) else {
                errors.append(FieldError(field: key, message: "unknown field for form '\(form.name)' (allowed: \(form.fields.joined(separator: ", ")))"))
                continue
            }
            let value = trimmed(raw)
            if PublicFormGuard.looksLikeHTML(value) {
                errors.append(FieldError(field: key, message: "HTML is not accepted"))
                continue
            }
            if !value.isEmpty { fields[key] = value }
        }
        for key in form.required where fields[key] == nil { errors.append(FieldError(field: key, message: "is required")) }
        if fields["phone"] == nil, fields["email"] == nil, form.fields.contains("phone") || form.fields.contains("email") {
            errors.append(FieldError(field: form.fields.contains("phone") ? "phone" : "email", message: "a phone or an email is required"))
        }
        if !errors.isEmpty {
            throw KernelError(.validation, "capture form '\(form.name)': " + errors.map { "\($0.field): \($0.message)" }.joined(separator: "; "),
                              entity: "lead", fieldErrors: errors)
        }
        return (fields, guardian.botReason(post, now: now))
    }

    /// `text` without white space and line breaks at either end: as `trimmingCharacters(in:
    /// .whitespacesAndNewlines)`, without its cost when neither end has any (nearly every value).
    static func trimmed(_ text: String) -> String {
        let blank = CharacterSet.whitespacesAndNewlines
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last,
              blank.contains(first) || blank.contains(last) else { return text }
        return text.trimmingCharacters(in: blank)
    }

    /// Takes a post to capture form `formName` (in its own transaction as the system).
    public static func capture(_ store: RecordStore, form formName: String, post: [String: String]) throws -> Outcome {
        guard let form = CaptureForms.inForce(store.schema).forms[formName] else {
            throw KernelError(.notFound, "no capture form '\(formName)'")
        }
        return try store.write(as: .system) { tx in
            let (fields, bot) = try check(post, form: form, now: tx.now)
            if let bot { return .ignored(bot) }
            return try record(tx, fields: fields, form: form)
        }
    }

    /// Records checked fields in `tx`: a touch on the lead with the same phone or email, else a
    /// new lead (scored, assigned) with its first touch.
    static func record(_ tx: WriteContext, fields: [String: String], form: CaptureForms.Form) throws -> Outcome {
        let campaign = try form.campaign.flatMap { name in
            try tx.reader.system.ids("campaign", where: "name", equals: .text(name), limit: 1).first
        }
        var touch: [String: Value] = ["source": .text(fields["source"] ?? form.source), "form": .text(form.name), "at": .datetime(tx.now), "owner": .null]
        for key in ["utm_source", "utm_medium", "utm_campaign", "message"] { if let v = fields[key] { touch[key] = .text(v) } }
        if let campaign { touch["campaign"] = .integer(campaign) }
        return try tx.asSystem {
            if let existing = try duplicate(tx.reader.system, phone: fields["phone"], email: fields["email"]) {
                touch["lead"] = .integer(existing.id)
                _ = try tx.create("lead_touch", touch)
                var changes: [String: Value] = ["touches": .integer((existing["touches"].integerValue ?? 1) + 1), "last_touch_at": .datetime(tx.now)]
                // A repeat fills what the lead lacked; it never overwrites.
                for (key, value) in fields where ["company", "title", "phone", "email", "region", "product_interest"].contains(key) && existing[key].isEmpty {
                    changes[key] = .text(value)
                }
                if existing["status"] != .text(MarketingStatus.converted) { _ = try tx.update("lead", existing.id, changes) }
                return .merged(existing.id)
            }
            var values: [String: Value] = fields.mapValues(Value.text)
            values["source"] = .text(fields["source"] ?? form.source)
            values["capture_form"] = .text(form.name)
            values["owner"] = .null
            if let campaign { values["campaign"] = .integer(campaign) }
            let lead = try tx.create("lead", values)
            touch["lead"] = .integer(lead.id)
            _ = try tx.create("lead_touch", touch)
            // Read again: a company hook on the touch may have changed the lead.
            try LeadAssignment.assign(tx, lead: lead.id)
            return .created(lead.id)
        }
    }

    /// The lead with the same normalized phone, else the same email (oldest first).
    static func duplicate(_ reader: RecordReader, phone: String?, email: String?) throws -> Record? {
        if let key = LeadRules.phoneKey(phone), let id = try reader.ids("lead", where: "phone_key", equals: .text(key), limit: 1).first {
            return try reader.get("lead", id)
        }
        if let key = LeadRules.emailKey(email), let id = try reader.ids("lead", where: "email_key", equals: .text(key), limit: 1).first {
            return try reader.get("lead", id)
        }
        return nil
    }

    /// `POST /public/marketing/leads/:form`: a JSON object of the form's fields. Answers
    /// `{"received": true}` to people and bots alike (a bot learns nothing), 400 naming the field
    /// for unknown or missing fields and HTML, 404 for an unknown form, 429 past the per-address limit.
    static var route: PluginRoute {
        PluginRoute(.post, "leads/:form", summary: "Capture a lead from a public form (JSON body of the form's fields)",
                    audience: .anyone(limit: RateLimit(requests: 20, perSeconds: 60)), body: .json) { request in
            let post = try PublicFormGuard.textFields(request.json)
            _ = try capture(request.store, form: request.parameters["form"] ?? "", post: post)
            return .json(.table(["received": .value(.bool(true))]))
        }
    }
}
