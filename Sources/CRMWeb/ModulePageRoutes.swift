import CRMKernel
import CRMServer
import Foundation
import Hummingbird

/// The pages modules declare (`PluginPage`): a page this interface knows by its qualified id
/// gets its own handler (the 公海, the 线索池); any other renders generically from its `requires` entity —
/// a list at its path, or a record's detail when the path ends in `:id`. So a module that
/// declares pages for its entities gets working pages with no web code.
extension WebApp {
    func addModulePageRoutes(_ router: Router<CRMRequestContext>) {
        var seen = Set<String>()
        for plugin in server.host.workspace.registry.plugins {
            let module = plugin.manifest.id
            for page in plugin.pages where seen.insert(page.path).inserted && !Self.ownPaths.contains(page.path) {
                let qualified = "\(module).\(page.id)"
                router.get(RouterPath(page.path)) { request, context in
                    let id = context.parameters.get("id")
                    return await self.page(request) { web, p in
                        guard try self.server.host.workspace.enabledModules().contains(module),
                              try self.server.pages(for: p.access).contains(where: { $0.0 == module && $0.1.id == page.id }) else {
                            throw KernelError(.notFound, "no page \(page.path)")
                        }
                        if qualified == "customers.pool" { return try self.poolPage(web, p, title: web.lang.label(page.title)) }
                        if qualified == "marketing.lead_pool" { return try self.leadPoolPage(web, p, title: web.lang.label(page.title)) }
                        if qualified == "finance.collection" { return try self.financeCollectionPage(web, p, title: web.lang.label(page.title)) }
                        if qualified == "finance.aging" { return try self.financeAgingPage(web, p, title: web.lang.label(page.title)) }
                        if qualified == "service.ticket", let id { return try self.ticketPage(web, p, id: id) }
                        guard let entity = page.requires?.entity else { throw KernelError(.notFound, "page \(qualified) has no entity to show") }
                        if let id { return try self.detailPage(web, p, entity: entity, id: id) }
                        return try self.listPage(web, p, entity: entity, base: page.path, title: web.lang.label(page.title))
                    }
                }
            }
        }
        router.post("/customers/pool/claim") { request, _ in
            await self.post(request) { _, p, form in
                guard let id = form["id"].flatMap({ Int64($0) }) else { throw KernelError(.validation, "which customer?", fieldErrors: [FieldError(field: "id", message: "required")]) }
                _ = try self.server.callAction("customers", "claim", [.value(.integer(id))], as: p)
                return WebResponse.redirect("/e/customer/\(id)?saved=1")
            }
        }
        router.post("/customers/pool/release") { request, _ in
            await self.post(request) { _, p, form in
                guard let id = form["id"].flatMap({ Int64($0) }) else { throw KernelError(.validation, "which customer?", fieldErrors: [FieldError(field: "id", message: "required")]) }
                _ = try self.server.callAction("customers", "release", [.value(.integer(id)), .value(.text(form["reason"] ?? ""))], as: p)
                return WebResponse.redirect("/customers/pool")
            }
        }
    }

    /// Paths this interface serves itself, which module pages may not take.
    static let ownPaths: Set<String> = ["/", "/login", "/logout", "/password", "/search", "/notifications", "/calendar", "/opportunities/kanban", "/approvals"]

    /// The 公海: customers without an owner the user may see, each with a claim button, and the
    /// pools with how many customers each holds.
    func poolPage(_ web: WebRequest, _ p: Principal, title: String) throws -> Response {
        let lang = web.lang
        let entity = try store.schema.entity("customer")
        let view = FieldView(entity, p.access, lang)
        var query = Query("customer", filter: .condition(field: "owner", op: .isEmpty, value: .null), sort: [SortKey("id", descending: true)], limit: 50)
        if let q = web.query["q"], !q.isEmpty { query.search = q }
        query.after = web.query["after"]
        let page = try store.find(query, as: p.access)
        var titles = TitleCache(store, p.access)
        var h = HTML()
        h.raw("<h1>")
        h.text(title)
        h.raw("</h1>")
        if case .list(let pools)? = try? server.callAction("customers", "pools", [], as: p) {
            h.raw("<p class=\"pools\">")
            for pool in pools {
                guard let fields = pool.fields else { continue }
                h.raw("<span class=\"chip\">")
                h.text("\(fields["name"]?.text ?? "") · \(fields["customers"]?.integer.map(String.init) ?? "0")")
                h.raw("</span>")
            }
            h.raw("</p>")
        }
        h.raw("<p class=\"help\">")
        h.text(lang.t("领取受每日配额与冷却期限制；超出时会提示原因。", "Claims are limited by a daily quota and a cooldown; you are told when one applies."))
        h.raw("</p><form method=\"get\" class=\"filters\"><label for=\"pool-q\">")
        h.text(lang.t("搜索", "Search"))
        h.raw("</label><input id=\"pool-q\" type=\"search\" name=\"q\"")
        h.attr("value", web.query["q"] ?? "")
        h.raw("><button type=\"submit\">")
        h.text(lang.t("搜索", "Search"))
        h.raw("</button></form>")
        claimTable(&h, web, page, view, titles: &titles, entity: "customer",
                   columns: ["province", "city", "industry", "grade"], claim: "/customers/pool/claim", base: "/customers/pool")
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
