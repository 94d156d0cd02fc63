import CRMKernel
import Foundation

/// `crm.marketing.send_campaign`, `send_template`, `campaign_delivery` and `opt_out`.
enum MessagingFunctions {
    static var all: [ScriptFunction] { [sendCampaign, sendTemplate, delivery, optOut] }

    /// `crm.marketing.send_campaign{campaign = 3, template = "春季邀请", to = "customer", filter = {...}}`.
    static var sendCampaign: ScriptFunction {
        ScriptFunction("send_campaign",
                       summary: "crm.marketing.send_campaign{campaign = id, template = \"name\", to = \"customer\"|\"lead\"|\"contact\", filter = {...}} → {recipients, queued, opted_out, no_address, duplicate, capped}",
                       effect: .write, access: .update("campaign")) { call in
            let t = try MarketingFunctions.table(call, "send_campaign", "{campaign = 3, template = \"春季邀请\"}")
            for key in t.keys where !["campaign", "template", "to", "filter"].contains(key) {
                throw KernelError(.validation, "crm.marketing.send_campaign: unknown key '\(key)' (known: campaign, template, to, filter)",
                                  fieldErrors: [FieldError(field: key, message: "unknown key")])
            }
            guard let campaign = t["campaign"]?.integer else {
                throw KernelError(.validation, "crm.marketing.send_campaign: campaign (an id) is required", fieldErrors: [FieldError(field: "campaign", message: "is required")])
            }
            guard let template = t["template"]?.text else {
                throw KernelError(.validation, "crm.marketing.send_campaign: template (a name) is required", fieldErrors: [FieldError(field: "template", message: "is required")])
            }
            let filter = try t["filter"].flatMap { try Filter(script: $0) }
            try filter?.checkLimits()
            let report = try call.write { tx in
                try CampaignSends.send(tx, campaign: campaign, template: template, target: t["to"]?.text ?? "customer", filter: filter)
            }
            return report.script
        }
    }

    /// `crm.marketing.send_template("欢迎", {entity = "lead", id = 7, delay_hours = 24, campaign = 3, key = "welcome"})`:
    /// one recipient, e.g. from a `crm.on` rule (a message triggered by what a customer or lead did).
    static var sendTemplate: ScriptFunction {
        ScriptFunction("send_template",
                       summary: "crm.marketing.send_template(name, {entity = \"lead\", id = 7, delay_hours = 24, campaign = 3, key = \"welcome\"}) → \"queued\"|\"opted_out\"|\"no_address\"|\"duplicate\"|\"capped\"",
                       effect: .write, access: .read("message_template")) { call in
            guard let name = call[0].text, let t = call[1].fields else {
                throw KernelError(.validation, "crm.marketing.send_template expects a template name and {entity = \"lead\", id = 7}")
            }
            for key in t.keys where !["entity", "id", "delay_hours", "campaign", "key"].contains(key) {
                throw KernelError(.validation, "crm.marketing.send_template: unknown key '\(key)' (known: entity, id, delay_hours, campaign, key)",
                                  fieldErrors: [FieldError(field: key, message: "unknown key")])
            }
            guard let entity = t["entity"]?.text, ["customer", "lead", "contact"].contains(entity), let id = t["id"]?.integer else {
                throw KernelError(.validation, "crm.marketing.send_template: entity (customer, lead or contact) and id are required",
                                  fieldErrors: [FieldError(field: "entity", message: "customer, lead or contact, with id")])
            }
            var delay: TimeInterval = 0
            if let d = t["delay_hours"] {
                guard let hours = d.integer, (0...24 * 365).contains(hours) else {
                    throw KernelError(.validation, "crm.marketing.send_template: delay_hours must be a whole number of hours ≥ 0",
                                      fieldErrors: [FieldError(field: "delay_hours", message: "whole hours ≥ 0")])
                }
                delay = TimeInterval(hours) * 3600
            }
            let outcome = try call.write { tx -> MarketingMessaging.Outcome in
                guard let recipient = try tx.reader.get(entity, id) else { throw KernelError.recordNotFound(entity, id) }
                let campaign = try t["campaign"]?.integer.map { cid in
                    guard let c = try tx.reader.system.get("campaign", cid) else { throw KernelError.recordNotFound("campaign", cid) }
                    return c
                }
                let template = try MarketingMessaging.template(tx.reader.system, name)
                return try MarketingMessaging.send(tx, template: template, to: recipient, campaign: campaign,
                                                   sendAfter: delay > 0 ? tx.now.addingTimeInterval(delay) : nil,
                                                   dedupe: t["key"]?.text.map { "trigger:\($0)" })
            }
            return .value(.text(outcome.rawValue))
        }
    }

    /// `crm.marketing.campaign_delivery(id)`: the campaign's messages by status, and 退订.
    static var delivery: ScriptFunction {
        ScriptFunction("campaign_delivery",
                       summary: "crm.marketing.campaign_delivery(campaign_id) → {待发送, 发送中, 已发送, 失败, total, opted_out}",
                       effect: .read, access: .read("campaign", recordArguments: [0])) { call in
            guard let id = call[0].integer else { throw KernelError(.validation, "crm.marketing.campaign_delivery needs a campaign id") }
            return try call.read { reader in
                guard try reader.get("campaign", id) != nil else { throw KernelError.recordNotFound("campaign", id) }
                return try CampaignSends.delivery(reader, campaign: id)
            }
        }
    }

    /// `crm.marketing.opt_out("email", "a@example.com", "电话要求")`: 退订 by hand.
    static var optOut: ScriptFunction {
        ScriptFunction("opt_out", summary: "crm.marketing.opt_out(\"email\"|\"sms\", address, note) → true when newly opted out",
                       effect: .write, access: .create("message_opt_out")) { call in
            guard let channelName = call[0].text, let channel = MessageChannel(rawValue: channelName), let address = call[1].text,
                  !address.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw KernelError(.validation, "crm.marketing.opt_out expects \"email\" or \"sms\" and an address")
            }
            return .value(.bool(try call.write { tx in try MarketingMessaging.optOut(tx, channel, address, via: "手工", note: call[2].text) }))
        }
    }
}
