import CRMCustomers
import CRMKernel
import Foundation

/// Marketing messages: a template sent to one recipient or to a target group, honouring
/// 退订 and the daily cap, queued in the caller's transaction on the kernel's outbox
/// (`WriteContext.sendMessage`) and logged per recipient in `marketing_send`.
public enum MarketingMessaging {
    /// `crm.marketing.messaging{public_url = "https://crm.example.com", daily_cap = 5000}`.
    public struct Settings: Sendable, Hashable {
        /// The server's public address, for 退订 links (`{{unsubscribe_url}}`).
        public var publicURL: String
        /// Most marketing messages queued per day (workspace time zone); 0: no cap.
        public var dailyCap: Int
    }

    /// What became of one recipient.
    public enum Outcome: String, Sendable, Hashable, CaseIterable {
        /// Queued on the outbox.
        case queued
        /// The address opted out on this channel.
        case optedOut = "opted_out"
        /// The recipient has no e-mail / mobile number.
        case noAddress = "no_address"
        /// Already sent this template in this campaign.
        case duplicate
        /// The day's cap was reached.
        case capped
    }

    static let settingKey = "marketing.messaging"

    static var setting: PluginSetting {
        PluginSetting("messaging", summary: "crm.marketing.messaging{public_url = \"https://crm.example.com\", daily_cap = 5000}",
                      default: .table([:])) { value in
            guard let t = value.fields else { throw KernelError(.validation, "messaging: expects a table") }
            for key in t.keys where !["public_url", "daily_cap"].contains(key) {
                throw KernelError(.validation, "messaging: unknown key '\(key)' (known: public_url, daily_cap)")
            }
            var url = "http://127.0.0.1:8080"
            if let v = t["public_url"] {
                guard let text = v.text, let parsed = URL(string: text), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
                    throw KernelError(.validation, "messaging.public_url: expects an http(s) address such as \"https://crm.example.com\"")
                }
                url = text.hasSuffix("/") ? String(text.dropLast()) : text
            }
            var cap = 0
            if let v = t["daily_cap"] {
                guard let n = v.integer, n >= 0 else { throw KernelError(.validation, "messaging.daily_cap: expects a whole number ≥ 0") }
                cap = Int(n)
            }
            return Settings(publicURL: url, dailyCap: cap)
        }
    }

    static func settings(_ schema: Schema) -> Settings {
        schema.setting(settingKey, as: Settings.self) ?? Settings(publicURL: "http://127.0.0.1:8080", dailyCap: 0)
    }

    /// The key an address is opted out under: `email:a@b.com` (lowercased) or `sms:13800138000` (digits).
    static func optOutKey(_ channel: MessageChannel, _ address: String) -> String {
        switch channel {
        case .email: return "email:" + address.trimmingCharacters(in: .whitespaces).lowercased()
        case .sms: return "sms:" + (DuplicateKeys.phone(address) ?? address.filter(\.isNumber))
        }
    }

    /// Whether `address` opted out of `channel`.
    static func optedOut(_ reader: RecordReader, _ channel: MessageChannel, _ address: String) throws -> Bool {
        try !reader.ids("message_opt_out", where: "key", equals: .text(optOutKey(channel, address)), limit: 1).isEmpty
    }

    /// Records that `address` wants no more messages on `channel` (once).
    @discardableResult
    static func optOut(_ tx: WriteContext, _ channel: MessageChannel, _ address: String, via: String, note: String? = nil) throws -> Bool {
        try tx.asSystem {
            if try optedOut(tx.reader, channel, address) { return false }
            var values: [String: Value] = ["channel": .text(channel.rawValue), "address": .text(address), "key": .text(optOutKey(channel, address)),
                                           "via": .text(via), "owner": .null]
            if let note { values["note"] = .text(note) }
            _ = try tx.create("message_opt_out", values)
            return true
        }
    }

    /// The template named `name`, active, or a clear error.
    static func template(_ reader: RecordReader, _ name: String) throws -> Record {
        guard let id = try reader.ids("message_template", where: "name", equals: .text(name), limit: 1).first,
              let template = try reader.get("message_template", id) else {
            throw KernelError(.notFound, "no message template '\(name)'", entity: "message_template",
                              fieldErrors: [FieldError(field: "template", message: "unknown template '\(name)'")])
        }
        guard template["active"] != .bool(false) else {
            throw KernelError(.invalidState, "message template '\(name)' is not active", entity: "message_template")
        }
        if template["channel"] == .text("sms"), template["provider_status"] == .text("已驳回") {
            throw KernelError(.invalidState, "SMS template '\(name)' was rejected by the provider", entity: "message_template")
        }
        return template
    }

    /// Sends `template` to one recipient record (`customer`, `lead` or `contact`) in `tx`:
    /// skips an address that opted out, one without an address, a repeat of the same template in
    /// the same campaign (or trigger key), and anything past the daily cap.
    static func send(_ tx: WriteContext, template: Record, to recipient: Record, campaign: Record?,
                     sendAfter: Date? = nil, dedupe: String? = nil) throws -> Outcome {
        guard case .text(let channelName) = template["channel"], let channel = MessageChannel(rawValue: channelName) else {
            throw KernelError(.validation, "template \(template.id) has no channel", entity: "message_template")
        }
        let field = channel == .email ? "email" : "phone"
        guard case .text(let address) = recipient[field], !address.trimmingCharacters(in: .whitespaces).isEmpty else { return .noAddress }
        if try optedOut(tx.reader.system, channel, address) { return .optedOut }
        let scope = dedupe ?? campaign.map { "campaign:\($0.id)" } ?? "direct"
        let key = "marketing:\(scope):t\(template.id):\(recipient.entity):\(recipient.id)"
        if try !tx.reader.system.ids("message", where: "key", equals: .text(key), limit: 1).isEmpty { return .duplicate }
        let settings = settings(tx.schema)
        if settings.dailyCap > 0 {
            let today = try tx.reader.system.count("marketing_send", filter: .eq("sent_on", .text(try localDay(tx))))
            if today >= settings.dailyCap { return .capped }
        }
        let token = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        var objects: [String: Record] = [recipient.entity: recipient]
        if let campaign { objects["campaign"] = campaign }
        let link = "\(settings.publicURL)/public/marketing/unsubscribe/\(token)"
        let subject = MessageTemplates.render(template["subject"].textValue ?? "", objects: objects, unsubscribeURL: link)
        let body = MessageTemplates.render(template["body"].textValue ?? "", objects: objects, unsubscribeURL: link)
        let message = try tx.sendMessage(OutgoingMessage(channel: channel, to: address, subject: channel == .email ? subject : nil, body: body,
                                                         entity: recipient.entity, recordID: recipient.id, key: key,
                                                         source: campaign.map { "campaign:\($0.id)" } ?? "template:\(template.id)",
                                                         sendAfter: sendAfter))
        guard let message else { return .duplicate }
        var log: [String: Value] = ["template": .integer(template.id), "entity": .text(recipient.entity), "record_id": .integer(recipient.id),
                                    "channel": .text(channel.rawValue), "address": .text(address), "message": .integer(message.id),
                                    "token": .text(token), "sent_on": .text(try localDay(tx)), "owner": .null]
        if let campaign { log["campaign"] = .integer(campaign.id) }
        _ = try tx.asSystem { try tx.create("marketing_send", log) }
        return .queued
    }

    /// Today in the workspace time zone, `yyyy-MM-dd`.
    static func localDay(_ tx: WriteContext) throws -> String {
        let calendar = try tx.reader.workspaceCalendar()
        let c = calendar.dateComponents([.year, .month, .day], from: tx.now)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }
}
