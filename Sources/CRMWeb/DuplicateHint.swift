import CRMKernel
import CRMServer
import Foundation
import Hummingbird

/// 查重 while typing a customer: the name, phone and credit-code inputs ask
/// `GET /customers/duplicates` (through htmx) which existing customers they match, using the
/// customers module's `duplicates` function with the user's access; the answer fills a live
/// region above the form. Saving still runs the module's rules (a `block` duplicate is refused
/// at the field).
extension WebApp {
    static let duplicateFields: Set<String> = ["name", "phone", "credit_code"]

    func addDuplicateRoutes(_ router: Router<CRMRequestContext>) {
        router.get("/customers/duplicates") { request, _ in
            await self.page(request) { web, p in
                let params = web.query
                var fields: [String: ScriptValue] = [:]
                for name in Self.duplicateFields { if let v = params[name], !v.isEmpty { fields[name] = .value(.text(v)) } }
                if let id = params["_id"].flatMap({ Int64($0) }) { fields["id"] = .value(.integer(id)) }
                var h = HTML()
                guard !fields.isEmpty, case .list(let found) = try self.server.callAction("customers", "duplicates", [.table(fields)], as: p), !found.isEmpty else {
                    return WebResponse.html(h)
                }
                h.raw("<div class=\"warning\"><strong>")
                h.text(web.lang.t("疑似重复客户：", "Possible duplicates: "))
                h.raw("</strong><ul>")
                for item in found {
                    guard let t = item.fields else { continue }
                    h.raw("<li>")
                    if let id = t["id"]?.integer {
                        h.link("<a", href: "/e/customer/\(id)", t["name"]?.text ?? "#\(id)")
                    } else {
                        h.text(t["message"]?.text ?? web.lang.t("他人名下的客户", "a customer held by someone else"))
                    }
                    h.text(" (" + (t["match"]?.text ?? "") + ")")
                    h.raw("</li>")
                }
                h.raw("</ul></div>")
                return WebResponse.html(h)
            }
        }
    }

    /// The htmx attributes of an input that triggers the duplicate check, if it is one.
    func duplicateCheck(_ h: inout HTML, _ entity: String, _ field: String, recordID: Int64?) {
        guard entity == "customer", Self.duplicateFields.contains(field) else { return }
        h.attr("hx-get", "/customers/duplicates" + (recordID.map { "?_id=\($0)" } ?? ""))
        h.raw(" hx-trigger=\"input changed delay:400ms\" hx-target=\"#dup-hint\" hx-include=\"[name='name'],[name='phone'],[name='credit_code']\"")
    }
}
