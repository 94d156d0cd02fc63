import CRMKernel
import CRMServer
import Foundation
import Hummingbird

/// The web interface, mounted on `crm serve`'s router: `APIServer(..., contributors: [WebInterface()])`.
/// Pages live at `/` (sign-in at `/login`, records at `/e/<entity>`, module pages at the paths
/// the modules declare), static files at `/static/`.
public struct WebInterface: ServerContributor {
    /// Creates the interface.
    public init() {}

    /// Adds every page route.
    public func addRoutes(to router: Router<CRMRequestContext>, server: APIServer) {
        WebApp(server: server).addRoutes(router)
    }
}

/// The web interface bound to one server: its assets, one-time form tokens and page handlers
/// (each page is an extension in its own file).
final class WebApp: Sendable {
    let server: APIServer
    let assets: Assets
    let formTokens = FormTokens()
    let views = ModuleViews()

    init(server: APIServer) {
        self.server = server
        assets = Assets()
    }

    var store: RecordStore { server.store }

    func addRoutes(_ router: Router<CRMRequestContext>) {
        router.get("/static/:name") { _, context in
            let name = try context.parameters.require("name")
            return self.assets.response(name)
        }
        addSignInRoutes(router)
        addHomeRoutes(router)
        addListRoutes(router)
        addDetailRoutes(router)
        addCommentRoutes(router)
        addFormRoutes(router)
        addBulkRoutes(router)
        addKanbanRoutes(router)
        addSearchRoutes(router)
        addCalendarRoutes(router)
        addApprovalRoutes(router)
        addDuplicateRoutes(router)
        addOrderLineRoutes(router)
        addLeadRoutes(router)
        addLeadSourceRoutes(router)
        addServiceTicketRoutes(router)
        addServicePublicRoutes(router)
        addModulePageRoutes(router)
        addModuleActionRoute(router)
        addReportPageRoutes(router)
    }
}
