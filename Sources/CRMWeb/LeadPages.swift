import CRMKernel
import CRMServer
import Foundation
import Hummingbird

/// `POST /leads/claim` and `POST /leads/convert`: the lead forms' routes from before the 线索池 and
/// a lead's actions moved into the marketing module (`Plugins/Marketing/LeadPoolPages.swift`,
/// posting to `/do/marketing/…`), kept as aliases. They call the module's `crm.marketing.claim` /
/// `convert`, so its quota, cooldown and conversion map apply.
extension WebApp {
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
}
