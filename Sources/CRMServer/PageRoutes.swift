import CRMKernel
import Foundation
import Hummingbird

/// `GET /api/v1/pages`: the web pages and menu entries of the enabled modules that the caller
/// may open, menu entries ordered by section and order (the web interface renders this).
extension APIServer {
    func addPageRoutes(_ router: Router<CRMRequestContext>) {
        router.get("/api/v1/pages") { request, context in
            await self.authed(request, context) { p in
                var w = JSONWriter()
                w.dataList(try self.pages(for: p.access)) { w, entry in
                    let (module, page) = entry
                    w.raw("{\"id\":"); w.string("\(module).\(page.id)")
                    w.raw(",\"module\":"); w.string(module)
                    w.raw(",\"path\":"); w.string(page.path)
                    w.raw(",\"title\":{\"zh\":"); w.string(page.title.zh)
                    w.raw(",\"en\":"); w.string(page.title.en)
                    w.raw("},\"menu\":")
                    if let menu = page.menu {
                        w.raw("{\"section\":"); w.string(menu.section)
                        w.raw(",\"order\":\(menu.order)}")
                    } else {
                        w.raw("null")
                    }
                    w.raw("}")
                }
                return Self.json(.ok, w)
            }
        }
    }

    /// The pages of enabled modules `access` may open: menu entries first, by section and
    /// order, then pages reached by links.
    public func pages(for access: AccessGuard) throws -> [(String, PluginPage)] {
        let allowed = try allowedPages(access).filter { !$0.1.isSection }
        return allowed.enumerated().sorted { a, b in
            switch (a.element.1.menu, b.element.1.menu) {
            case let (x?, y?): return (x.section, x.order, a.offset) < (y.section, y.order, b.offset)
            case (.some, .none): return true
            case (.none, .some): return false
            case (.none, .none): return a.offset < b.offset
            }
        }.map(\.element)
    }

    /// The sections enabled modules draw on the detail page of a record of `entity` that
    /// `access` may see, by their declared order.
    public func sections(for access: AccessGuard, entity: String) throws -> [(String, PluginPage)] {
        try allowedPages(access).compactMap { module, page -> (String, PluginPage, Int)? in
            guard case .section(let on, let order) = page.placement, on == entity else { return nil }
            return (module, page, order)
        }.enumerated().sorted { ($0.element.2, $0.offset) < ($1.element.2, $1.offset) }.map { ($0.element.0, $0.element.1) }
    }

    /// Every page and section of the enabled modules `access` may open, in declaration order.
    private func allowedPages(_ access: AccessGuard) throws -> [(String, PluginPage)] {
        let enabled = Set(try host.workspace.enabledModules())
        let all = host.workspace.registry.pages.filter { enabled.contains($0.module) }.flatMap { module, pages in
            pages.map { (module, $0) }
        }
        return all.filter { _, page in
            access.isAdministrator || page.requires.map { access.allows($0.action, on: $0.entity) } ?? true
        }
    }
}
