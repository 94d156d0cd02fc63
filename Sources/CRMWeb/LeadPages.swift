import CRMKernel
import CRMServer
import Foundation
import Hummingbird

/// The marketing module's lead pool page (线索池: leads without an owner, each with a claim
/// button) and the actions on a lead's page: claim it from the pool, convert it into a customer,
/// contact and deal. `POST /leads/claim` and `POST /leads/convert` call the module's
/// `crm.marketing.claim` / `convert`, so its quota, cooldown and conversion map apply.
extension WebApp {
    /// The statuses of a lead waiting in the pool.
    static let pooledLeadStatuses = ["新线索", "退回线索池"]

    func addLeadRoutes(_ router: Router<CRMRequestContext>) {
        for action in ["claim", "convert"] {
            router.post(RouterPath("/leads/\(action)")) { request, _ in
                await self.post(request) { _, p, form in
                    guard let id = form["id"].flatMap({ Int64($0) }) else {
                        throw KernelError(.validation, "which lead?", fieldErrors: [FieldError(field: "id", message: "required")])
                    }
                    let args: [ScriptValue] = action == "claim" ? [.value(.integer(id))] : [.value(.integer(id)), .value(.null)]
                    _ = try self.server.callAction("marketing", action, args, as: p)
                    return WebResponse.redirect("/e/lead/\(id)?saved=1")
                }
            }
        }
    }

    /// Claim and convert buttons on a lead's page, as the lead's state and the user's grants allow.
    func leadActions(_ web: WebRequest, _ p: Principal, _ record: Record) -> HTML {
        let lang = web.lang
        var h = HTML()
        let status = record["status"].textValue ?? ""
        var actions: [(String, String)] = []
        if record["owner"].isEmpty && Self.pooledLeadStatuses.contains(status) { actions.append(("claim", lang.t("领取线索", "Claim this lead"))) }
        if status != "已转化" && status != "无效" && p.access.allows(.update, on: "lead") && p.access.allows(.create, on: "customer") {
            actions.append(("convert", lang.t("转化为客户与商机", "Convert to a customer and deal")))
        }
        guard !actions.isEmpty else { return h }
        h.raw("<section class=\"card lead-actions\">")
        for (action, label) in actions {
            h.raw("<form method=\"post\" class=\"inline\"")
            h.attr("action", "/leads/\(action)")
            h.raw(">")
            csrfField(&h, web)
            h.raw("<input type=\"hidden\" name=\"id\"")
            h.attr("value", String(record.id))
            h.raw("><button type=\"submit\" class=\"primary\"")
            h.attr("data-action", action)
            h.raw(">")
            h.text(label)
            h.raw("</button></form> ")
        }
        h.raw("</section>")
        return h
    }

    /// 线索池: leads without an owner in a pooled status, newest first, with claim buttons.
    func leadPoolPage(_ web: WebRequest, _ p: Principal, title: String) throws -> Response {
        let lang = web.lang
        let entity = try store.schema.entity("lead")
        let view = FieldView(entity, p.access, lang)
        let filter = Filter.all([.condition(field: "owner", op: .isEmpty, value: .null),
                                 .any(Self.pooledLeadStatuses.map { Filter.eq("status", .text($0)) })])
        var query = Query("lead", filter: filter, sort: [SortKey("id", descending: true)], limit: 50)
        query.after = web.query["after"]
        let page = try store.find(query, as: p.access)
        var titles = TitleCache(store, p.access)
        var h = HTML()
        h.raw("<h1>")
        h.text(title)
        h.raw("</h1><p class=\"help\">")
        h.text(lang.t("领取受每日配额与冷却期限制；超出时会提示原因。", "Claims are limited by a daily quota and a cooldown; you are told when one applies."))
        h.raw("</p>")
        claimTable(&h, web, page, view, titles: &titles, entity: "lead",
                   columns: ["company", "source", "region", "score", "status"], claim: "/leads/claim", base: "/leads/pool")
        return WebResponse.html(layout(web, p, title: title, body: h))
    }

    /// The rows of a pool page (公海, 线索池): each record's title linked to its page, `columns`
    /// the caller may see, a claim button posting to `claim`, and the next-page link under `base`.
    func claimTable(_ h: inout HTML, _ web: WebRequest, _ page: CRMKernel.Page, _ view: FieldView, titles: inout TitleCache,
                    entity: String, columns: [String], claim: String, base: String) {
        h.raw("<div class=\"table-wrap\"><table class=\"list\"><tbody>")
        let shown = view.visibleFields.filter { columns.contains($0.name) }
        for record in page.records {
            h.raw("<tr><td><a")
            h.attr("href", "/e/\(entity)/\(record.id)")
            h.raw(">")
            h.text(titles.title(entity, record.id))
            h.raw("</a></td>")
            for field in shown {
                h.raw("<td>")
                h.text(view.display(record[field.name], field, titles: &titles))
                h.raw("</td>")
            }
            h.raw("<td><form method=\"post\"")
            h.attr("action", claim)
            h.raw(">")
            csrfField(&h, web)
            h.raw("<input type=\"hidden\" name=\"id\"")
            h.attr("value", String(record.id))
            h.raw("><button type=\"submit\">")
            h.text(web.lang.t("领取", "Claim"))
            h.raw("</button></form></td></tr>")
        }
        h.raw("</tbody></table></div>")
        if let cursor = page.nextCursor {
            var next = web.query
            next.set("after", cursor)
            h.raw("<nav class=\"pager\"><a rel=\"next\"")
            h.attr("href", base + "?" + next.encoded)
            h.raw(">")
            h.text(web.lang.t("下一页 »", "Next page »"))
            h.raw("</a></nav>")
        }
    }
}
