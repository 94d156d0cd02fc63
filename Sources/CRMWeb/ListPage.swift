import CRMKernel
import CRMServer
import Foundation
import Hummingbird

/// `GET /e/<entity>`: the list of any entity — chosen columns (`cols=`), filters on fields
/// (`f.<field>=`), full-text search (`q=`), sort (`sort=-field`), keyset paging (`after=`), the
/// count, saved views, and checkboxes for bulk actions.
extension WebApp {
    func addListRoutes(_ router: Router<CRMRequestContext>) {
        router.get("/e/:entity") { request, context in
            let name = try context.parameters.require("entity")
            return await self.page(request) { web, p in try self.listPage(web, p, entity: name, base: "/e/\(name)") }
        }
        router.post("/e/:entity/views") { request, context in
            let name = try context.parameters.require("entity")
            return await self.post(request) { _, p, form in
                try p.access.require(.read, on: name)
                try SavedViews(store: self.store).save(name, user: p.user.id, name: form["view_name"] ?? "", query: form["query"] ?? "", shared: form["shared"] == "1")
                return WebResponse.redirect("/e/\(name)?" + SavedViews.clean(form["query"] ?? ""))
            }
        }
    }

    /// The query a list's parameters ask for; filters on unknown or hidden fields are ignored.
    func listQuery(_ params: FormBody, _ view: FieldView, fixed: [Filter] = []) -> Query {
        var conditions = fixed
        var query = Query(view.entity.name, limit: 50)
        for name in params.order where name.hasPrefix("f.") {
            let field = String(name.dropFirst(2))
            guard let def = view.entity.fieldsByName[field], !view.hidden.contains(field), let value = params[name], !value.isEmpty else { continue }
            let operand: Value = def.type.storage == .integer && Int64(value) != nil ? .integer(Int64(value)!) : .text(value)
            conditions.append(def.type.isList ? .condition(field: field, op: .contains, value: .text(value)) : .eq(field, operand))
        }
        if let q = params["q"]?.trimmingCharacters(in: .whitespaces), !q.isEmpty { query.search = q }
        if let sort = params["sort"], let key = Optional(SortKey(parsing: sort)),
           key.field == "id" || key.field == "created_at" || key.field == "updated_at" || (view.entity.fieldsByName[key.field] != nil && !view.hidden.contains(key.field)) {
            query.sort = [key]
        } else {
            query.sort = [SortKey("id", descending: true)]
        }
        query.after = params["after"]
        if !conditions.isEmpty { query.filter = conditions.count == 1 ? conditions[0] : .all(conditions) }
        return query
    }

    /// The columns shown: the `cols` parameter's visible fields, or the title field and a few more.
    func columns(_ params: FormBody, _ view: FieldView) -> [FieldDefinition] {
        let visible = view.visibleFields
        let names = params["cols"].map { $0.split(separator: ",").map(String.init) } ?? params.all("col")
        if !names.isEmpty {
            let chosen = names.compactMap { c in visible.first { $0.name == c } }
            if !chosen.isEmpty { return chosen }
        }
        let title = view.entity.definition.titleField
        let first = visible.filter { $0.name == title }
        let rest = visible.filter { $0.name != title && $0.type != .longText && ($0.required || $0.indexed) }
        return Array((first + rest).prefix(6))
    }

    /// The most matches a list counts; more show as "10000+".
    static let countCap = 10_000

    func listPage(_ web: WebRequest, _ p: Principal, entity name: String, base: String, fixed: [Filter] = [], title: String? = nil) throws -> Response {
        let entity = try store.schema.entity(name)
        try p.access.require(.read, on: name)
        let lang = web.lang, params = web.query
        let view = FieldView(entity, p.access, lang)
        let query = listQuery(params, view, fixed: fixed)
        let cols = columns(params, view)
        // One read for the page and its count, so they agree. The page holds only the columns
        // shown. Counted up to the cap, as Odoo's lists do ("10000+"): an exact count of a broad
        // filter over a million customers cost more than the page (p99 850 ms at 16 connections).
        let (page, counted) = try store.read(as: p.access) { reader in
            (try reader.find(query, only: cols.map(\.name)),
             try reader.count(name, filter: query.filter, search: query.search, upTo: Self.countCap + 1))
        }
        let total = counted > Self.countCap ? "\(Self.countCap)+" : "\(counted)"
        let heading = title ?? lang.label(entity.definition.label)
        var titles = TitleCache(store, p.access)
        var h = HTML()
        h.raw("<div class=\"bar\"><h1>")
        h.text(heading)
        h.raw(" <small>")
        h.text(lang.t("共 \(total) 条", "\(total) in all"))
        h.raw("</small></h1>")
        if p.access.allows(.create, on: name) {
            h.link("<a class=\"button primary\" accesskey=\"n\"", href: "/e/\(name)/new", lang.t("新建", "New"))
        }
        h.raw("</div>")
        h.append(filterForm(web, view, params, base: base))
        h.append(viewsBox(web, p, name, params))
        h.raw("<form method=\"post\" class=\"bulk\"")
        h.attr("action", "/e/\(name)/bulk")
        h.raw(">")
        csrfField(&h, web)
        h.raw("<div class=\"table-wrap\"><table class=\"list\"><thead><tr><th scope=\"col\"><span class=\"sr\">")
        h.text(lang.t("选择", "Select"))
        h.raw("</span></th>")
        let current = query.sort.first
        for field in cols {
            let desc = current?.field == field.name && current?.descending == false
            var link = params
            link.set("sort", desc ? "-\(field.name)" : field.name)
            link.remove("after")
            h.raw("<th scope=\"col\"><a")
            h.attr("href", base + "?" + link.encoded)
            h.raw(">")
            h.text(lang.label(field.label))
            if current?.field == field.name { h.raw(current?.descending == true ? " ↓" : " ↑") }
            h.raw("</a></th>")
        }
        h.raw("</tr></thead><tbody>")
        for record in page.records {
            h.raw("<tr data-href=\"/e/")
            h.text(name)
            h.raw("/")
            h.number(record.id)
            h.raw("\"><td><input type=\"checkbox\" name=\"ids\"")
            h.attr("value", String(record.id))
            h.attr("aria-label", lang.t("选择 #\(record.id)", "Select #\(record.id)"))
            h.raw("></td>")
            for (i, field) in cols.enumerated() {
                h.raw("<td>")
                let text = view.display(record[field.name], field, titles: &titles)
                if i == 0 {
                    h.link("<a class=\"row-link\"", href: "/e/\(name)/\(record.id)", text.isEmpty ? "#\(record.id)" : text)
                } else {
                    h.text(text)
                }
                h.raw("</td>")
            }
            h.raw("</tr>")
        }
        if page.records.isEmpty {
            h.raw("<tr><td class=\"empty\"")
            h.attr("colspan", String(cols.count + 1))
            h.raw(">")
            h.text(lang.t("没有符合条件的记录", "Nothing matches"))
            h.raw("</td></tr>")
        }
        h.raw("</tbody></table></div>")
        h.append(bulkBar(web, p, name))
        h.raw("</form><nav class=\"pager\"")
        h.attr("aria-label", lang.t("翻页", "Pages"))
        h.raw(">")
        if params["after"] != nil {
            var first = params
            first.remove("after")
            h.link("<a", href: base + "?" + first.encoded, lang.t("« 第一页", "« First page"))
        }
        if let cursor = page.nextCursor {
            var next = params
            next.set("after", cursor)
            h.link("<a rel=\"next\"", href: base + "?" + next.encoded, lang.t("下一页 »", "Next page »"))
        }
        h.raw("</nav>")
        let newLink = p.access.allows(.create, on: name) ? "/e/\(name)/new" : nil
        return WebResponse.html(layout(web, p, title: heading, body: h, newLink: newLink))
    }
}
