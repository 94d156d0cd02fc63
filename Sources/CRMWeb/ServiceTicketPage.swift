import CRMKernel
import CRMServer
import Foundation
import Hummingbird

/// The service module's ticket page (`/tickets/:id`): the ticket, its SLA clock, the
/// conversation with a reply form (template or text), and the customer's orders, open
/// opportunities and past tickets — all from `crm.service.view`, so the page shows only what
/// the module returns for the caller.
extension WebApp {
    func addServiceTicketRoutes(_ router: Router<CRMRequestContext>) {
        router.post("/tickets/:id/reply") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await self.post(request) { _, p, form in
                guard let tid = Int64(id) else { throw KernelError(.notFound, "no ticket \(id)") }
                var args: [String: ScriptValue] = [:]
                if let body = form["body"], !body.isEmpty { args["body"] = .value(.text(body)) }
                if let t = form["template"].flatMap({ Int64($0) }) { args["template"] = .value(.integer(t)) }
                if form["internal"] == "1" { args["internal"] = .value(.bool(true)) }
                _ = try self.server.callAction("service", "reply", [.value(.integer(tid)), .table(args)], as: p)
                return WebResponse.redirect("/tickets/\(tid)?saved=1")
            }
        }
    }

    func ticketPage(_ web: WebRequest, _ p: Principal, id: String) throws -> Response {
        guard let tid = Int64(id) else { throw KernelError(.notFound, "no ticket \(id)") }
        let view = try server.callAction("service", "view", [.value(.integer(tid))], as: p).fields ?? [:]
        guard case .record(let ticket)? = view["ticket"] else { throw KernelError(.notFound, "no ticket \(id)") }
        let lang = web.lang
        var titles = TitleCache(store, p.access)
        var h = HTML()
        h.raw("<div class=\"bar\"><h1>")
        h.text("\(ticket["number"].textValue ?? "") \(ticket["subject"].textValue ?? "")")
        h.raw("</h1><a class=\"button\"")
        h.attr("href", "/e/ticket/\(tid)/edit")
        h.raw(">")
        h.text(lang.t("编辑", "Edit"))
        h.raw("</a></div><section class=\"card\"><dl class=\"fields\">")
        for (zh, en, value) in [("状态", "Status", ticket["status"].textValue ?? ""), ("优先级", "Priority", ticket["priority"].textValue ?? ""),
                                ("渠道", "Channel", ticket["channel"].textValue ?? ""), ("分类", "Category", ticket["category"].textValue ?? ""),
                                ("处理人", "Assignee", ticket["assignee"].integerValue.map { titles.title("user", $0) } ?? "—")] {
            h.raw("<dt>")
            h.text(lang.t(zh, en))
            h.raw("</dt><dd>")
            h.text(value)
            h.raw("</dd>")
        }
        h.raw("</dl></section>")
        h.append(slaClock(view["sla"]?.fields ?? [:], lang))
        h.raw("<section class=\"card\"><h2>")
        h.text(lang.t("会话", "Conversation"))
        h.raw("</h2><ol class=\"conversation\">")
        if case .list(let messages)? = view["messages"] {
            for case .record(let m) in messages {
                let direction = m["direction"].textValue ?? ""
                h.raw("<li")
                h.attr("class", "message \(direction)")
                h.raw("><p class=\"meta\">")
                let who = direction == "in" ? (m["from_address"].textValue ?? lang.t("客户", "Customer"))
                    : direction == "internal" ? lang.t("内部备注", "Internal note") : (m["author"].integerValue.map { titles.title("user", $0) } ?? lang.t("客服", "Agent"))
                h.text("\(who) · \(m["at"].description)" + (m["delivery"].textValue.map { " · \($0)" } ?? ""))
                h.raw("</p><p>")
                h.text(m["body"].textValue ?? "")
                h.raw("</p></li>")
            }
        }
        h.raw("</ol><form method=\"post\"")
        h.attr("action", "/tickets/\(tid)/reply")
        h.raw(">")
        csrfField(&h, web)
        h.raw("<label for=\"reply-template\">")
        h.text(lang.t("快捷回复", "Template"))
        h.raw("</label><select id=\"reply-template\" name=\"template\"><option value=\"\">—</option>")
        for t in (try? store.find(Query("reply_template", sort: [SortKey("name")], limit: 100), as: p.access).records) ?? [] {
            h.raw("<option")
            h.attr("value", String(t.id))
            h.raw(">")
            h.text(t["name"].textValue ?? "")
            h.raw("</option>")
        }
        h.raw("</select><label for=\"reply-body\">")
        h.text(lang.t("回复内容", "Reply"))
        h.raw("</label><textarea id=\"reply-body\" name=\"body\" rows=\"4\"></textarea><label><input type=\"checkbox\" name=\"internal\" value=\"1\"> ")
        h.text(lang.t("内部备注（不发给客户）", "Internal note (not sent)"))
        h.raw("</label><button type=\"submit\">")
        h.text(lang.t("发送", "Send"))
        h.raw("</button></form></section>")
        for (key, zh, en, entity) in [("orders", "客户订单", "Orders", "order"), ("opportunities", "进行中的商机", "Open opportunities", "opportunity"),
                                      ("past_tickets", "历史工单", "Past tickets", "ticket"), ("suggestions", "推荐文章", "Suggested articles", "kb_article")] {
            guard case .list(let rows)? = view[key] else { continue }
            h.raw("<section class=\"card\"><h2>")
            h.text(lang.t(zh, en))
            h.raw("</h2><ul>")
            for case .record(let r) in rows {
                h.raw("<li><a")
                h.attr("href", entity == "ticket" ? "/tickets/\(r.id)" : "/e/\(entity)/\(r.id)")
                h.raw(">")
                h.text(titles.title(entity, r.id))
                h.raw("</a></li>")
            }
            if rows.isEmpty { h.raw("<li>—</li>") }
            h.raw("</ul></section>")
        }
        return WebResponse.html(layout(web, p, title: ticket["number"].textValue ?? lang.t("工单", "Ticket"), body: h))
    }

    /// The SLA clock: each target's state, working time used of the target, and when it falls due.
    func slaClock(_ sla: [String: ScriptValue], _ lang: Lang) -> HTML {
        var h = HTML()
        h.raw("<section class=\"card sla\"><h2>")
        h.text(lang.t("SLA 时钟", "SLA clock") + (sla["paused"] == .value(.bool(true)) ? lang.t("（已暂停）", " (paused)") : ""))
        h.raw("</h2><dl class=\"fields\">")
        for (key, zh, en) in [("response", "首次响应", "First response"), ("resolution", "解决", "Resolution")] {
            guard let t = sla[key]?.fields else { continue }
            let used = (t["elapsed"]?.integer ?? 0) / 60, target = (t["target"]?.integer ?? 0) / 60
            h.raw("<dt>")
            h.text(lang.t(zh, en))
            h.raw("</dt><dd")
            h.attr("class", "sla-\(t["state"]?.text ?? "")")
            h.raw(">")
            var text = "\(t["state"]?.text ?? "") · \(used) / \(target) " + lang.t("工作分钟", "working min") + " (\(t["percent"]?.integer ?? 0)%)"
            if case .value(let due)? = t["due_at"] { text += " · " + lang.t("到期 ", "due ") + due.description }
            h.text(text)
            h.raw("</dd>")
        }
        if sla["response"] == nil || sla["response"] == .null { h.raw("<dd>—</dd>") }
        h.raw("</dl></section>")
        return h
    }
}
