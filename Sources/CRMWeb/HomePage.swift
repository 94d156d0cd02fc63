import CRMKernel
import CRMServer
import Foundation
import Hummingbird

/// `GET /`: the working day — my open tasks, unread notifications, and the sales funnel.
/// `GET /notifications` lists them (with mark-as-read); `GET /notifications/count` is the
/// bell's number, polled by htmx.
extension WebApp {
    func addHomeRoutes(_ router: Router<CRMRequestContext>) {
        router.get("/") { request, _ in
            await self.page(request) { web, p in try self.homePage(web, p) }
        }
        router.get("/notifications/count") { request, _ in
            await self.page(request) { _, p in WebResponse.html(self.bellCount(p)) }
        }
        router.get("/notifications") { request, _ in
            await self.page(request) { web, p in try self.notificationsPage(web, p) }
        }
        router.post("/notifications/read") { request, _ in
            await self.post(request) { _, p, form in
                let ids = form.all("ids").compactMap { Int64($0) }
                _ = try self.store.write(as: p.access) { tx in try Notifications.markRead(ids, user: p.user.id, in: tx) }
                return WebResponse.redirect("/notifications")
            }
        }
    }

    /// The bell's content: an icon and the unread count.
    func bellCount(_ p: Principal) -> HTML {
        var h = HTML()
        let unread = (p.user.id.flatMap { uid in
            try? store.count("notification", filter: .all([.eq("user", .integer(uid)), .condition(field: "read_at", op: .isEmpty, value: .null)]), as: p.access)
        }) ?? 0
        h.raw("<svg class=\"icon\" viewBox=\"0 0 24 24\" aria-hidden=\"true\"><path d=\"M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1z\"/></svg><span class=\"count\">")
        h.number(unread)
        h.raw("</span>")
        return h
    }

    func homePage(_ web: WebRequest, _ p: Principal) throws -> Response {
        let lang = web.lang
        var h = HTML()
        h.raw("<h1>")
        h.text(lang.t("工作台", "Dashboard"))
        h.raw("</h1><div class=\"grid\">")
        if let uid = p.user.id, p.access.allows(.read, on: "task"), let task = store.schema.entities["task"] {
            var filter = Filter.eq("assignee", .integer(uid))
            if task.fieldsByName["status"] != nil { filter = .all([filter, .condition(field: "status", op: .ne, value: .text("已完成"))]) }
            let tasks = try store.find(Query("task", filter: filter, sort: [SortKey("due_at")], limit: 10), as: p.access)
            h.raw("<section class=\"card\"><h2>")
            h.text(lang.t("我的待办任务", "My open tasks"))
            h.raw("</h2><ul class=\"related-list\">")
            for t in tasks.records {
                h.raw("<li>")
                h.link("<a", href: "/e/task/\(t.id)", t["title"].description)
                if case .datetime(let due) = t["due_at"] {
                    h.raw(" <small>")
                    h.text(FieldView.local(due))
                    h.raw("</small>")
                }
                h.raw("</li>")
            }
            if tasks.records.isEmpty {
                h.raw("<li>")
                h.text(lang.t("没有待办任务", "Nothing to do"))
                h.raw("</li>")
            }
            h.raw("</ul><p>")
            h.link("<a", href: "/e/task?f.assignee=\(uid)", lang.t("全部任务", "All my tasks"))
            h.raw(" · <a href=\"/calendar\">")
            h.text(lang.t("日历", "Calendar"))
            h.raw("</a></p></section>")
        }
        if let funnel = try funnelChart(web, p) { h.append(funnel) }
        if let forecast = forecastChart(web, p) { h.append(forecast) }
        if let sources = try leadSourceChart(web, p) { h.append(sources) }
        h.raw("</div>")
        return WebResponse.html(layout(web, p, title: lang.t("工作台", "Dashboard"), body: h))
    }

    func notificationsPage(_ web: WebRequest, _ p: Principal) throws -> Response {
        let lang = web.lang
        let list = try p.user.id.map { uid in try store.read(as: p.access) { try Notifications.list(for: uid, limit: 100, in: $0) } } ?? []
        var h = HTML()
        h.raw("<h1>")
        h.text(lang.t("通知", "Notifications"))
        h.raw("</h1><form method=\"post\" action=\"/notifications/read\">")
        csrfField(&h, web)
        h.raw("<ul class=\"notes\">")
        for note in list {
            let unread = note["read_at"].isEmpty
            h.raw("<li")
            if unread { h.raw(" class=\"unread\"") }
            h.raw(">")
            if unread {
                h.raw("<input type=\"checkbox\" name=\"ids\" checked")
                h.attr("value", String(note.id))
                h.attr("aria-label", lang.t("标为已读", "Mark read"))
                h.raw("> ")
            }
            if case .text(let entity) = note["entity"], case .integer(let rid) = note["record_id"] {
                h.link("<a", href: "/e/\(entity)/\(rid)", note["title"].description)
            } else {
                h.text(note["title"].description)
            }
            if !note["body"].isEmpty {
                h.raw("<p>")
                h.text(note["body"].description)
                h.raw("</p>")
            }
            h.raw("</li>")
        }
        h.raw("</ul><button type=\"submit\">")
        h.text(lang.t("标为已读", "Mark read"))
        h.raw("</button></form>")
        return WebResponse.html(layout(web, p, title: lang.t("通知", "Notifications"), body: h))
    }
}
