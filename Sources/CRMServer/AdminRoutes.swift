import CRMKernel
import Foundation
import Hummingbird

/// Administration over HTTP: modules on and off, and reloading the script pack. Each change
/// takes effect at once; the API follows the schema in force.
extension APIServer {
    func addAdminRoutes(_ router: Router<CRMRequestContext>) {
        router.get("/api/v1/modules") { request, context in
            await self.authed(request, context) { p in
                try p.access.requireAdministrator()
                var w = JSONWriter()
                w.raw("{\"data\":[")
                for (i, m) in try self.host.workspace.modules().enumerated() {
                    if i > 0 { w.raw(",") }
                    w.raw("{\"id\":"); w.string(m.id)
                    w.raw(",\"name\":"); w.string(m.name.zh)
                    w.raw(",\"version\":"); w.string(m.version)
                    w.raw(",\"enabled\":\(m.enabled),\"dependencies\":"); w.value(.list(m.dependencies))
                    self.writeContributions(of: m.id, to: &w)
                    w.raw("}")
                }
                w.raw("]}")
                return Self.json(.ok, w)
            }
        }
        for verb in ["enable", "disable"] {
            router.post("/api/v1/modules/:id/\(verb)") { request, context in
                let id = try context.parameters.require("id")
                return await self.authed(request, context) { p in
                    try p.access.requireAdministrator()
                    if verb == "enable" { try self.host.workspace.enable(id) } else { try self.host.workspace.disable(id) }
                    try self.reload()
                    return Self.json(.ok, "{\"module\":\"\(id)\",\"enabled\":\(verb == "enable")}")
                }
            }
        }
        router.post("/api/v1/admin/reload") { request, context in
            await self.authed(request, context) { p in
                try p.access.requireAdministrator()
                try self.reload()
                return Self.json(.ok, "{\"reloaded\":true}")
            }
        }
    }

    /// A module's commands, routes and pages, as `"commands"`, `"routes"` and `"pages"` lists.
    func writeContributions(of module: String, to w: inout JSONWriter) {
        guard let plugin = host.workspace.registry.plugin(module) else { return }
        w.raw(",\"commands\":"); w.value(.list(plugin.commands.map { "crm \(module) " + $0.path.joined(separator: " ") }))
        w.raw(",\"routes\":"); w.value(.list(plugin.routes.map { "\($0.method.rawValue) \($0.mountPath(module: module))" }))
        w.raw(",\"pages\":"); w.value(.list(host.workspace.registry.pages(of: module).map { "\(module).\($0.id)" }))
    }

    /// Loads the script pack again (the last good one stays on error) and forgets cached grants.
    func reload() throws {
        try host.reload()
        authenticator.forgetAll()
    }
}
