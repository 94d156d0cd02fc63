import CRMKernel
import CRMServer
import Foundation
import Hummingbird

/// `GET /search?q=`: the kernel's full-text search over every readable entity that has
/// searchable fields (two-character Chinese terms included), five hits each.
extension WebApp {
    func addSearchRoutes(_ router: Router<CRMRequestContext>) {
        router.get("/search") { request, _ in
            await self.page(request) { web, p in try self.searchPage(web, p) }
        }
    }

    func searchPage(_ web: WebRequest, _ p: Principal) throws -> Response {
        let lang = web.lang
        let q = (web.query["q"] ?? "").trimmingCharacters(in: .whitespaces)
        var h = HTML()
        h.raw("<h1>")
        h.text(lang.t("搜索", "Search"))
        h.raw("</h1><form method=\"get\" action=\"/search\" role=\"search\"><label for=\"search-q\" class=\"sr\">")
        h.text(lang.t("搜索内容", "Search for"))
        h.raw("</label><input id=\"search-q\" type=\"search\" name=\"q\" autofocus")
        h.attr("value", q)
        h.raw("><button type=\"submit\">")
        h.text(lang.t("搜索", "Search"))
        h.raw("</button></form>")
        var titles = TitleCache(store, p.access)
        var found = 0
        if !q.isEmpty {
            let schema = store.schema
            for name in schema.entityNames where p.access.allows(.read, on: name) && !Self.internalEntities.contains(name) {
                guard let entity = schema.entities[name], entity.fields.contains(where: \.searchable) else { continue }
                guard let page = try? store.find(Query(name, search: q, limit: 5), as: p.access), !page.records.isEmpty else { continue }
                found += page.records.count
                h.raw("<section class=\"card\"><h2>")
                h.text(lang.label(entity.definition.label))
                h.raw("</h2><ul class=\"related-list\">")
                for r in page.records {
                    h.raw("<li>")
                    h.link("<a", href: "/e/\(name)/\(r.id)", titles.title(name, r.id))
                    h.raw("</li>")
                }
                h.raw("</ul><p>")
                h.link("<a", href: "/e/\(name)?q=" + FormBody.encode(q), lang.t("在列表中查看", "Open as a list"))
                h.raw("</p></section>")
            }
            if found == 0 {
                h.raw("<p>")
                h.text(lang.t("没有找到“\(q)”。", "Nothing found for “\(q)”."))
                h.raw("</p>")
            }
        }
        return WebResponse.html(layout(web, p, title: lang.t("搜索", "Search"), body: h))
    }
}
