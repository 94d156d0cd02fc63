import CRMKernel
import CRMServer
import Foundation
import Hummingbird

/// The pages modules declare (`PluginPage`), served at their paths: a page with a view is the
/// module's template filled by its data function (`ModuleViews`); any other renders generically
/// from its `requires` entity — a list at its path, or a record's detail when the path ends in
/// `:id`. So a module brings its pages from its own folder, with no web code here.
extension WebApp {
    func addModulePageRoutes(_ router: Router<CRMRequestContext>) {
        var seen = Set<String>()
        for (module, pages) in server.host.workspace.registry.pages {
            for page in pages where !page.isSection && seen.insert(page.path).inserted && !Self.ownPaths.contains(page.path) {
                let qualified = "\(module).\(page.id)"
                router.get(RouterPath(page.path)) { request, context in
                    let id = context.parameters.get("id")
                    return await self.page(request) { web, p in
                        guard try self.server.host.workspace.enabledModules().contains(module),
                              try self.server.pages(for: p.access).contains(where: { $0.0 == module && $0.1.id == page.id }) else {
                            throw KernelError(.notFound, "no page \(page.path)")
                        }
                        if let view = page.view { return try self.viewPage(web, p, module: module, page: page, view: view, id: id) }
                        guard let entity = page.requires?.entity else { throw KernelError(.notFound, "page \(qualified) has no entity to show") }
                        if let id { return try self.detailPage(web, p, entity: entity, id: id) }
                        return try self.listPage(web, p, entity: entity, base: page.path, title: web.lang.label(page.title))
                    }
                }
            }
        }
        addPoolAliases(router)
    }

    /// `POST /customers/pool/claim` and `/customers/pool/release`: the 公海's forms before it
    /// moved into the customers module (which posts to `/do/customers/claim`), kept as aliases.
    func addPoolAliases(_ router: Router<CRMRequestContext>) {
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
}
