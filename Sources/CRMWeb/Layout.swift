import CRMKernel
import CRMServer

/// The page shell: header with search, notification bell, language switch and sign-out; the
/// menu from the modules' page declarations plus every other readable entity; then the page.
extension WebApp {
    func layout(_ web: WebRequest, _ principal: Principal?, title: String, body: HTML, newLink: String? = nil) -> HTML {
        let lang = web.lang
        var h = HTML(capacity: body.bytes.count + 8_192)
        h.raw("<!doctype html><html")
        h.attr("lang", lang.htmlCode)
        h.raw("><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
        h.text(title)
        h.raw(" · CRM</title><link rel=\"stylesheet\" href=\"/static/app.css\"><script src=\"/static/htmx.min.js\" defer></script><script src=\"/static/app.js\" defer></script></head><body")
        if let newLink { h.attr("data-new", newLink) }
        h.raw("><a class=\"skip\" href=\"#main\">")
        h.text(lang.t("跳到正文", "Skip to content"))
        h.raw("</a><header class=\"top\"><a class=\"brand\" href=\"/\">CRM</a>")
        if let principal {
            h.raw("<form class=\"search\" role=\"search\" action=\"/search\" method=\"get\"><label class=\"sr\" for=\"global-q\">")
            h.text(lang.t("全局搜索", "Search everything"))
            h.raw("</label><input id=\"global-q\" name=\"q\" type=\"search\"")
            h.attr("placeholder", lang.t("搜索（按 / ）", "Search (press /)"))
            h.raw("></form><a class=\"bell\" href=\"/notifications\" hx-get=\"/notifications/count\" hx-trigger=\"load, every 30s\" hx-swap=\"innerHTML\"")
            h.attr("aria-label", lang.t("通知", "Notifications"))
            h.raw(">")
            h.append(bellCount(principal))
            h.raw("</a>")
        }
        h.raw("<form method=\"post\" action=\"/lang\" class=\"inline\">")
        csrfField(&h, web)
        h.raw("<input type=\"hidden\" name=\"_back\"")
        h.attr("value", web.here)
        h.raw("><button type=\"submit\" class=\"link\"")
        h.attr("name", "to")
        h.attr("value", lang.other.rawValue)
        h.raw(">")
        h.text(lang == .zh ? "English" : "中文")
        h.raw("</button></form>")
        if let principal {
            h.raw("<span class=\"me\">")
            h.text(principal.user.name)
            h.raw("</span><form method=\"post\" action=\"/logout\" class=\"inline\">")
            csrfField(&h, web)
            h.raw("<button type=\"submit\" class=\"link\">")
            h.text(lang.t("退出", "Sign out"))
            h.raw("</button></form>")
        }
        h.raw("</header><div class=\"shell\">")
        if let principal { h.append(menu(web, principal)) }
        h.raw("<main id=\"main\" tabindex=\"-1\">")
        h.append(body)
        h.raw("</main></div></body></html>")
        return h
    }

    /// The hidden CSRF field every form carries.
    func csrfField(_ h: inout HTML, _ web: WebRequest) {
        h.raw("<input type=\"hidden\" name=\"_csrf\"")
        h.attr("value", web.csrf)
        h.raw(">")
    }

    /// The menu: the modules' declared pages the user may open, then the other entities.
    func menu(_ web: WebRequest, _ principal: Principal) -> HTML {
        let lang = web.lang
        var h = HTML()
        h.raw("<nav class=\"menu\"")
        h.attr("aria-label", lang.t("主菜单", "Main menu"))
        h.raw("><ul><li><a href=\"/\">")
        h.text(lang.t("工作台", "Dashboard"))
        h.raw("</a></li>")
        let pages = (try? server.pages(for: principal.access)) ?? []
        for (_, page) in pages where page.menu != nil && !page.path.contains(":") {
            h.raw("<li>")
            h.link("<a", href: page.path, lang.label(page.title))
            h.raw("</li>")
        }
        if store.schema.pipelines["opportunity"]?.isEmpty == false, principal.access.allows(.read, on: "opportunity") {
            h.raw("<li><a href=\"/opportunities/kanban\">")
            h.text(lang.t("商机看板", "Deal board"))
            h.raw("</a></li>")
        }
        if !store.schema.approvals.flows.isEmpty {
            h.raw("<li><a href=\"/approvals\">")
            h.text(lang.t("待我审批", "My approvals"))
            h.raw("</a></li>")
        }
        h.raw("<li><a href=\"/reports\">")
        h.text(lang.t("报表", "Reports"))
        h.raw("</a></li>")
        h.raw("</ul><details><summary>")
        h.text(lang.t("全部数据", "All records"))
        h.raw("</summary><ul>")
        let schema = store.schema
        for name in schema.entityNames where principal.access.allows(.read, on: name) && !Self.internalEntities.contains(name) {
            guard let entity = schema.entities[name] else { continue }
            h.raw("<li>")
            h.link("<a", href: "/e/\(name)", lang.label(entity.definition.label))
            h.raw("</li>")
        }
        h.raw("</ul></details></nav>")
        return h
    }

    /// Entities kept out of the record menu (the kernel's plumbing).
    static let internalEntities: Set<String> = ["notification", "webhook", "comment"]
}
