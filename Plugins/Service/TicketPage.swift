import CRMKernel

/// The ticket page (`/tickets/:id`, template `Pages/ticket.mustache`): the ticket, its SLA clock,
/// the conversation with a reply form (template or text, or an internal note), and the
/// customer's orders, open opportunities, past tickets and suggested articles — all from
/// `crm.service.view` called as the user, so the page shows only what the module returns for
/// them. The reply posts to `/do/service/reply`.
enum TicketPage {
    static var view: PageView { PageView(template: PageTemplate("ticket", target: "CRMService"), data: data) }

    /// The related lists under the conversation: key of `view`, title, entity.
    static let related: [(String, LocalizedText, String)] = [
        ("orders", LocalizedText("客户订单", en: "Orders"), "order"), ("opportunities", LocalizedText("进行中的商机", en: "Open opportunities"), "opportunity"),
        ("past_tickets", LocalizedText("历史工单", en: "Past tickets"), "ticket"), ("suggestions", LocalizedText("推荐文章", en: "Suggested articles"), "kb_article"),
    ]

    @Sendable static func data(_ r: PageRequest) throws -> PageData {
        let id = try r.recordID()
        let view = try r.call("view", [.value(.integer(id))]).fields ?? [:]
        guard case .record(let ticket)? = view["ticket"] else { throw KernelError.recordNotFound("ticket", id) }
        let assignee = ticket["assignee"].integerValue.map { r.title("user", $0) } ?? "—"
        let fields: [PageData] = [
            (LocalizedText("状态", en: "Status"), ticket["status"].textValue ?? ""), (LocalizedText("优先级", en: "Priority"), ticket["priority"].textValue ?? ""),
            (LocalizedText("渠道", en: "Channel"), ticket["channel"].textValue ?? ""), (LocalizedText("分类", en: "Category"), ticket["category"].textValue ?? ""),
            (LocalizedText("处理人", en: "Assignee"), assignee),
        ].map { ["label": .text(r.text($0.0)), "value": .text($0.1)] }
        var messages: [PageData] = []
        if case .list(let list)? = view["messages"] {
            for case .record(let m) in list {
                let direction = m["direction"].textValue ?? ""
                let who = direction == "in" ? (m["from_address"].textValue ?? r.text("客户", "Customer"))
                    : direction == "internal" ? r.text("内部备注", "Internal note") : (m["author"].integerValue.map { r.title("user", $0) } ?? r.text("客服", "Agent"))
                messages.append(["direction": .text(direction), "body": .text(m["body"].textValue ?? ""),
                                 "meta": .text("\(who) · \(m["at"].description)" + (m["delivery"].textValue.map { " · \($0)" } ?? ""))])
            }
        }
        let templates: [PageData] = ((try? r.read { try $0.find(Query("reply_template", sort: [SortKey("name")], limit: 100)) })?.records ?? []).map {
            ["id": .integer($0.id), "name": .text($0["name"].textValue ?? "")]
        }
        let lists: [PageData] = related.compactMap { key, title, entity in
            guard case .list(let rows)? = view[key] else { return nil }
            let items: [PageData] = rows.compactMap { row in
                guard case .record(let rec) = row else { return nil }
                return ["href": .text(entity == "ticket" ? "/tickets/\(rec.id)" : "/e/\(entity)/\(rec.id)"), "title": .text(r.title(entity, rec.id))]
            }
            return ["title": .text(r.text(title)), "items": .list(items), "empty": .bool(items.isEmpty)]
        }
        return [
            "ticket": .integer(id), "heading": .text("\(ticket["number"].textValue ?? "") \(ticket["subject"].textValue ?? "")"),
            "can_edit": .bool(r.access.allows(.update, on: "ticket")), "fields": .list(fields), "sla": sla(r, view["sla"]?.fields ?? [:]),
            "messages": .list(messages), "templates": .list(templates), "related": .list(lists),
            "text": [
                "edit": .text(r.text("编辑", "Edit")), "conversation": .text(r.text("会话", "Conversation")), "template": .text(r.text("快捷回复", "Template")),
                "reply": .text(r.text("回复内容", "Reply")), "internal": .text(r.text("内部备注（不发给客户）", "Internal note (not sent)")),
                "send": .text(r.text("发送", "Send")), "sent": .text(r.text("已发送", "Sent")),
            ],
        ]
    }

    /// The SLA clock: each target's state, working minutes used of the target, and when it falls due.
    static func sla(_ r: PageRequest, _ sla: [String: ScriptValue]) -> PageData {
        let paused = sla["paused"] == .value(.bool(true))
        let targets: [PageData] = [("response", LocalizedText("首次响应", en: "First response")), ("resolution", LocalizedText("解决", en: "Resolution"))].compactMap { key, label in
            guard let t = sla[key]?.fields else { return nil }
            let used = (t["elapsed"]?.integer ?? 0) / 60, target = (t["target"]?.integer ?? 0) / 60
            var text = "\(t["state"]?.text ?? "") · \(used) / \(target) " + r.text("工作分钟", "working min") + " (\(t["percent"]?.integer ?? 0)%)"
            if case .value(let due)? = t["due_at"] { text += " · " + r.text("到期 ", "due ") + due.description }
            return ["label": .text(r.text(label)), "state": .text(t["state"]?.text ?? ""), "text": .text(text)]
        }
        return ["title": .text(r.text("SLA 时钟", "SLA clock") + (paused ? r.text("（已暂停）", " (paused)") : "")),
                "targets": .list(targets), "none": .bool(sla["response"] == nil || sla["response"] == .null)]
    }
}
