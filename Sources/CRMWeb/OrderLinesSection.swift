import CRMKernel
import CRMServer
import Foundation
import Hummingbird

/// The order line forms' routes from before the lines moved into the orders module (its section
/// `Plugins/Orders/LinesSection.swift` posts to `/do/orders/<function>`), kept as aliases:
/// `POST /orders/lines/add`, `POST /orders/lines/<id>`, `POST /orders/lines/<id>/remove` and
/// `POST /orders/submit`, each calling the module's action and going back to the document
/// (`?saved=1#lines`, or `?line_error=…#lines`, which the section shows).
extension WebApp {
    /// The line fields a user edits in place.
    static let editableLineFields = ["quantity", "sales_price", "discount"]

    func addOrderLineRoutes(_ router: Router<CRMRequestContext>) {
        router.post("/orders/lines/add") { request, _ in
            await self.post(request) { web, p, form in
                let entity = form["entity"] ?? "", id = Int64(form["id"] ?? "") ?? 0
                let back = "/e/\(entity == "quote" ? "quote" : "order")/\(id)"
                return self.lineAction(web, back) {
                    let fields = try self.store.schema.entity("order_line").fieldsByName
                    var values: [String: ScriptValue] = [:]
                    for name in ["product", "description"] + Self.editableLineFields {
                        if let field = fields[name], case let value = Self.formValue(form, field), !value.isEmpty { values[name] = .value(value) }
                    }
                    _ = try self.server.callAction("orders", "add_line", [.value(.text(entity)), .value(.integer(id)), .table(values)], as: p)
                }
            }
        }
        router.post("/orders/lines/:line") { request, context in
            let line = Int64(context.parameters.get("line") ?? "") ?? 0
            return await self.post(request) { web, p, form in
                return self.lineAction(web, Self.documentPath(form)) {
                    let fields = try self.store.schema.entity("order_line").fieldsByName
                    var values: [String: ScriptValue] = [:]
                    for name in Self.editableLineFields where form[name] != nil {
                        if let field = fields[name] { values[name] = .value(Self.formValue(form, field)) }
                    }
                    _ = try self.server.callAction("orders", "update_line", [.value(.integer(line)), .table(values)], as: p)
                }
            }
        }
        router.post("/orders/submit") { request, _ in
            await self.post(request) { web, p, form in
                let id = Int64(form["id"] ?? "") ?? 0
                return self.lineAction(web, "/e/order/\(id)") {
                    _ = try self.server.callAction("orders", "submit", [.value(.integer(id))], as: p)
                }
            }
        }
        router.post("/orders/lines/:line/remove") { request, context in
            let line = Int64(context.parameters.get("line") ?? "") ?? 0
            return await self.post(request) { web, p, form in
                self.lineAction(web, Self.documentPath(form)) {
                    _ = try self.server.callAction("orders", "remove_line", [.value(.integer(line))], as: p)
                }
            }
        }
    }

    /// The document page a line form came from (`_back`), only ever a record page of ours.
    static func documentPath(_ form: FormBody) -> String {
        let back = form["_back"] ?? ""
        return back.hasPrefix("/e/order/") || back.hasPrefix("/e/quote/") ? back : "/orders"
    }

    /// Runs a line change and goes back to the document; a refusal is told there, at the lines.
    func lineAction(_ web: WebRequest, _ back: String, _ body: () throws -> Void) -> Response {
        do {
            try body()
            return WebResponse.redirect(back + "?saved=1#lines")
        } catch {
            let api = APIError.from(error)
            let detail = api.fieldErrors.isEmpty ? api.detail : api.fieldErrors.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
            var query = FormBody("")
            query.set("line_error", detail)
            return WebResponse.redirect(back + "?" + query.encoded + "#lines")
        }
    }
}
