import CRMKernel
import CRMServer
import Foundation
import Hummingbird

/// `POST /tickets/<id>/reply`: the reply form's route from before the ticket page moved into the
/// service module (`Plugins/Service/TicketPage.swift`, posting to `/do/service/reply`), kept as an
/// alias calling the module's `crm.service.reply`.
extension WebApp {
    func addServiceTicketRoutes(_ router: Router<CRMRequestContext>) {
        router.post("/tickets/:id/reply") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await self.post(request) { _, p, form in
                guard let tid = Int64(id) else { throw KernelError(.notFound, "no ticket \(id)") }
                var args: [String: ScriptValue] = [:]
                if let body = form["body"], !body.isEmpty { args["body"] = .value(.text(body)) }
                if let t = form["template"].flatMap({ Int64($0) }) { args["template"] = .value(.integer(t)) }
                if form["internal"] == "1" { args["internal"] = .value(.bool(true)) }
                _ = try self.server.callAction("service", "reply", [.value(.integer(tid)), .table(args)], as: p)
                return WebResponse.redirect("/tickets/\(tid)?saved=1")
            }
        }
    }
}
