import CRMKernel
import Foundation

/// `crm.service.*` functions (also `POST /api/v1/actions/service/<name>`).
enum ServiceFunctions {
    static var all: [ScriptFunction] { [route, sla, suggest, search, reply, merge, vote, slaReport, csat, view] }

    static func id(_ call: ScriptCall, _ index: Int, _ function: String, _ what: String = "ticket") throws -> Int64 {
        guard let id = call[index].integer ?? call[index].fields?["id"]?.integer else {
            throw KernelError(.validation, "crm.service.\(function) needs a \(what) id", fieldErrors: [FieldError(field: what, message: "is required")])
        }
        return id
    }

    /// `crm.service.route(ticket_id)`: routes it again by the rules in force.
    static var route: ScriptFunction {
        ScriptFunction("route", summary: "crm.service.route(ticket_id) → {team =, assignee =, rule =} routed again by the rules in force",
                       effect: .write, access: .update("ticket", recordArguments: [0])) { call in
            let ticket = try id(call, 0, "route")
            let d = try call.write { try TicketRouting.route($0, ticket: ticket, force: true) }
            return .table(["team": d.team.map { .value(.integer($0)) } ?? .null, "assignee": d.assignee.map { .value(.integer($0)) } ?? .null,
                           "rule": d.rule.map { .value(.text($0)) } ?? .null])
        }
    }

    /// `crm.service.sla_state(ticket_id)`: the SLA state computed now from the status history
    /// (`crm.service.sla{...}` is the setting).
    static var sla: ScriptFunction {
        ScriptFunction("sla_state", summary: "crm.service.sla_state(ticket_id) → {state =, paused =, response = {target, elapsed, percent, state, due_at}, resolution = {...}}",
                       effect: .read, access: .read("ticket", recordArguments: [0])) { call in
            let ticket = try id(call, 0, "sla_state")
            return try call.read { reader in
                guard let t = try reader.get("ticket", ticket) else { throw KernelError.recordNotFound("ticket", ticket) }
                return try SLAClock.state(reader, ticket: t, now: Date()).script
            }
        }
    }

    /// `crm.service.suggest(ticket_id or subject)`: published articles for the subject.
    static var suggest: ScriptFunction {
        ScriptFunction("suggest", summary: "crm.service.suggest(ticket_id or \"subject\") → { article, ... } published articles for the subject",
                       effect: .read, access: .read("kb_article")) { call in
            try call.read { reader in
                var subject = call[0].text
                if let t = call[0].integer {
                    guard let ticket = try reader.get("ticket", t) else { throw KernelError.recordNotFound("ticket", t) }
                    subject = ticket["subject"].textValue
                }
                guard let subject else { throw KernelError(.validation, "crm.service.suggest needs a ticket id or a subject") }
                return .list(try KnowledgeBase.suggest(reader, subject: subject).map(ScriptValue.record))
            }
        }
    }

    /// `crm.service.search_articles("退款")`.
    static var search: ScriptFunction {
        ScriptFunction("search_articles", summary: "crm.service.search_articles(\"退款\", {limit = 20}) → published articles matching",
                       effect: .read, access: .read("kb_article")) { call in
            guard let q = call[0].text else { throw KernelError(.validation, "crm.service.search_articles needs text", fieldErrors: [FieldError(field: "q", message: "is required")]) }
            let limit = Int(call[1].fields?["limit"]?.integer ?? 20)
            return try call.read { .list(try KnowledgeBase.search($0, q, limit: limit).map(ScriptValue.record)) }
        }
    }

    /// `crm.service.reply(ticket_id, {body =, template =, article =, internal =})`.
    static var reply: ScriptFunction {
        ScriptFunction("reply", summary: "crm.service.reply(ticket_id, {body = \"...\", template = id, article = id, internal = false}) → the message (queued to the customer)",
                       effect: .write, access: .update("ticket", recordArguments: [0])) { call in
            let ticket = try id(call, 0, "reply")
            let t = call[1].fields ?? [:]
            let message = try call.write { tx in
                try Replies.reply(tx, ticket: ticket, body: t["body"]?.text, template: t["template"]?.integer, article: t["article"]?.integer,
                                  internal: t["internal"] == .value(.bool(true)))
            }
            return .record(message)
        }
    }

    /// `crm.service.merge(duplicate_id, into_id)`.
    static var merge: ScriptFunction {
        ScriptFunction("merge", summary: "crm.service.merge(duplicate_id, into_id) → the duplicate, now merged (its conversation moved)",
                       effect: .write, access: .update("ticket", recordArguments: [0, 1])) { call in
            let dup = try id(call, 0, "merge"), into = try id(call, 1, "merge", "into")
            return .record(try call.write { try TicketActions.merge($0, duplicate: dup, into: into) })
        }
    }

    /// `crm.service.vote(article_id, true|false)`: helpful or not.
    static var vote: ScriptFunction {
        ScriptFunction("vote", summary: "crm.service.vote(article_id, helpful) → the article with its counts",
                       effect: .write, access: .read("kb_article", recordArguments: [0])) { call in
            let article = try id(call, 0, "vote", "article")
            guard case .value(.bool(let helpful)) = call[1] else { throw KernelError(.validation, "crm.service.vote: helpful expects true or false", fieldErrors: [FieldError(field: "helpful", message: "expects true or false")]) }
            return .record(try call.write { try KnowledgeBase.vote($0, article: article, helpful: helpful) })
        }
    }

    static var slaReport: ScriptFunction {
        ScriptFunction("sla_report", summary: "crm.service.sla_report{by = \"team\"|\"agent\"|\"category\"|\"month\", from = \"2026-11-01\", to = \"2026-11-30\"} → rows {group, solved, met, breached, breach_percent, avg_response_seconds, avg_resolution_seconds}",
                       effect: .read, access: .read("ticket")) { call in
            try call.read { try ServiceReports.sla($0, call[0]) }
        }
    }

    static var csat: ScriptFunction {
        ScriptFunction("csat", summary: "crm.service.csat{by = \"agent\"|\"team\"|\"month\", from =, to =} → rows {group, ratings, average_x100, satisfied, csat_percent}",
                       effect: .read, access: .read("ticket_rating")) { call in
            try call.read { try ServiceReports.csat($0, call[0]) }
        }
    }

    /// `crm.service.view(ticket_id)`: what the ticket page shows.
    static var view: ScriptFunction {
        ScriptFunction("view", summary: "crm.service.view(ticket_id) → {ticket, messages, sla, customer, orders, opportunities, past_tickets, suggestions}",
                       effect: .read, access: .read("ticket", recordArguments: [0])) { call in
            let ticket = try id(call, 0, "view")
            return try call.read { try CustomerView.view($0, call, ticket: ticket) }
        }
    }
}
