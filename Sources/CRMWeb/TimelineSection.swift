import CRMKernel
import CRMServer
import Foundation
import Hummingbird

/// A record's timeline on its detail page: comments (with `@mentions`, the kernel's `Comments`)
/// and the record's changes from the audit log, newest first, with the form to comment.
/// `POST /e/<entity>/<id>/comments` posts once per form; `@names` that match no user or several,
/// or name users who may not see the record, are told on the page after the post.
extension WebApp {
    func addCommentRoutes(_ router: Router<CRMRequestContext>) {
        router.post("/e/:entity/:id/comments") { request, context in
            let name = try context.parameters.require("entity"), id = context.parameters.get("id") ?? ""
            return await self.post(request) { _, p, form in
                let (record, _) = try self.visibleRecord(p, name, id)
                let back = "/e/\(name)/\(record.id)"
                let once = form["_once"] ?? ""
                guard !once.isEmpty else { throw KernelError(.validation, "the form has no one-time token; open it again") }
                switch self.formTokens.claim(once) {
                case .done(let location): return WebResponse.redirect(location)
                case .pending: return WebResponse.redirect(back)
                case .claimed: break
                }
                do {
                    let posted = try self.store.write(as: p.access) { tx in try Comments.post(on: name, record.id, body: form["body"] ?? "", in: tx) }
                    var query = FormBody("")
                    query.set("commented", "1")
                    if !posted.unknown.isEmpty { query.set("unknown", posted.unknown.joined(separator: " ")) }
                    if !posted.ambiguous.isEmpty { query.set("ambiguous", posted.ambiguous.joined(separator: " ")) }
                    if !posted.cannotSee.isEmpty { query.set("cannot_see", posted.cannotSee.joined(separator: " ")) }
                    let location = back + "?" + query.encoded + "#timeline"
                    self.formTokens.finish(once, location: location)
                    return WebResponse.redirect(location)
                } catch {
                    self.formTokens.release(once)
                    throw error
                }
            }
        }
    }

    /// The timeline: the comment form, then comments and changes interleaved, newest first.
    func timelineSection(_ web: WebRequest, _ p: Principal, _ record: Record, history: [AuditEntry]) throws -> HTML {
        let lang = web.lang
        let comments = try store.read(as: p.access) { try Comments.list(on: record.entity, record.id, in: $0, limit: 50) }
        var titles = TitleCache(store, p.access)
        var h = HTML()
        h.raw("<section class=\"card\" id=\"timeline\"><h2>")
        h.text(lang.t("动态", "Timeline") + " · " + lang.t("评论", "Comments") + " (\(comments.count))")
        h.raw("</h2>")
        if web.query["commented"] == "1" {
            h.raw("<p class=\"notice\" role=\"status\">")
            h.text(lang.t("评论已发布", "Comment posted"))
            h.raw("</p>")
        }
        for (key, zh, en) in [("unknown", "未找到这些用户，未发送提醒：", "No user by these names, nobody notified: "),
                              ("ambiguous", "这些名字对应多个用户，未发送提醒（请改用登录名）：", "These names match several users, nobody notified (use the login name): "),
                              ("cannot_see", "这些用户无权查看此记录，未发送提醒：", "These users may not see this record, nobody notified: ")] {
            if let names = web.query[key], !names.isEmpty {
                h.raw("<p class=\"warning mention-warning\" role=\"alert\">")
                h.text(lang.t(zh, en) + names.split(separator: " ").map { "@" + $0 }.joined(separator: " "))
                h.raw("</p>")
            }
        }
        h.raw("<form method=\"post\" class=\"comment-form\"")
        h.attr("action", "/e/\(record.entity)/\(record.id)/comments")
        h.raw(">")
        csrfField(&h, web)
        h.raw("<input type=\"hidden\" name=\"_once\"")
        h.attr("value", formTokens.issue())
        h.raw("><input type=\"hidden\" name=\"_back\"")
        h.attr("value", "/e/\(record.entity)/\(record.id)")
        h.raw("><label for=\"comment-body\">")
        h.text(lang.t("发表评论（用 @姓名 提醒同事）", "Comment (@name notifies a colleague)"))
        h.raw("</label><textarea id=\"comment-body\" name=\"body\" rows=\"2\" required maxlength=\"5000\"></textarea><button type=\"submit\">")
        h.text(lang.t("发布", "Post"))
        h.raw("</button></form><ol class=\"timeline\">")
        enum Item { case comment(Record), change(AuditEntry) }
        var items: [(Date, Int, Item)] = comments.map { c in
            let at: Date = if case .datetime(let d) = c["created_at"] { d } else { .distantPast }
            return (at, 1, Item.comment(c))
        }
        items += history.suffix(50).map { ($0.at, 0, Item.change($0)) }
        for (at, _, item) in items.sorted(by: { ($0.0, $0.1) > ($1.0, $1.1) }).prefix(80) {
            switch item {
            case .comment(let c):
                h.raw("<li class=\"comment\"><time>")
                h.text(FieldView.local(at))
                h.raw("</time> <strong>")
                if case .integer(let author) = c["author"] { h.text(titles.title("user", author)) } else { h.text(lang.t("系统", "System")) }
                h.raw("</strong><p class=\"comment-body\">")
                h.text(c["body"].textValue ?? "")
                h.raw("</p></li>")
            case .change(let entry):
                h.raw("<li class=\"change\"><time>")
                h.text(FieldView.local(at))
                h.raw("</time> ")
                h.text(entry.userName + " · " + Self.actionLabel(entry.action, lang) + (entry.changes.isEmpty ? "" : lang.t("（\(entry.changes.count) 个字段）", " (\(entry.changes.count) fields)")))
                h.raw("</li>")
            }
        }
        h.raw("</ol></section>")
        return h
    }

    /// An audit action in words.
    static func actionLabel(_ action: String, _ lang: Lang) -> String {
        switch action {
        case "create": lang.t("创建", "created")
        case "update": lang.t("修改", "changed")
        case "delete": lang.t("删除", "deleted")
        default: action
        }
    }
}
