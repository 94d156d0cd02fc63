import CRMKernel
import CRMServer
import Foundation
import Hummingbird

/// The lines of a quote or order (orders module) on its page: each line editable in place
/// (quantity, sales price, discount) when the user may update the document, a line to add, a
/// line to remove, and the totals the module recomputed (`crm.orders.*` through the module's
/// actions, so its rules, price floor and locks apply): `POST /orders/lines/add`,
/// `POST /orders/lines/<id>`, `POST /orders/lines/<id>/remove`, and `POST /orders/submit` for a
/// draft order (the approval engine takes it from there).
extension WebApp {
    /// The line fields a user edits in place.
    static let editableLineFields = ["quantity", "sales_price", "discount"]
    /// The document totals shown under the lines (those the user may see).
    static let documentTotals = ["list_total", "subtotal", "discount_amount", "total", "tax", "cost", "margin", "margin_percent"]

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

    /// The lines section of a quote or order page.
    func orderLinesSection(_ web: WebRequest, _ p: Principal, _ record: Record) throws -> HTML {
        let lang = web.lang
        guard case .list(let items) = try server.callAction("orders", "lines", [.value(.text(record.entity)), .value(.integer(record.id))], as: p) else { return HTML() }
        let lines: [Record] = items.compactMap { if case .record(let r) = $0 { r } else { nil } }
        let lineSchema = try store.schema.entity("order_line")
        let lineView = FieldView(lineSchema, p.access, lang)
        let columns = ["product", "description", "quantity", "list_price", "sales_price", "discount", "amount", "margin"].compactMap { name in
            lineView.visibleFields.first { $0.name == name }
        }
        let editable = p.access.allows(.update, on: record.entity)
        let back = "/e/\(record.entity)/\(record.id)"
        var titles = TitleCache(store, p.access)
        var h = HTML()
        h.raw("<section class=\"card\" id=\"lines\"><h2>")
        h.text(lang.t("明细行", "Lines") + " (\(lines.count))")
        h.raw("</h2>")
        if let error = web.query["line_error"], !error.isEmpty {
            h.raw("<p class=\"error\" role=\"alert\" id=\"line-error\">")
            h.text(lang.t("未保存：", "Not saved: ") + error)
            h.raw("</p>")
        }
        h.raw("<div class=\"table-wrap\"><table class=\"list lines\"><thead><tr>")
        for field in columns {
            h.raw("<th scope=\"col\">")
            h.text(lang.label(field.label))
            h.raw("</th>")
        }
        if editable { h.raw("<th></th>") }
        h.raw("</tr></thead><tbody>")
        for line in lines {
            let formID = "line-\(line.id)"
            h.raw("<tr")
            h.attr("data-line", String(line.id))
            h.raw(">")
            for field in columns {
                h.raw("<td>")
                if editable && Self.editableLineFields.contains(field.name) {
                    h.raw("<input size=\"8\"")
                    h.attr("form", formID)
                    h.attr("name", field.name)
                    h.attr("aria-label", lang.label(field.label))
                    h.attr("value", lineView.inputText(line[field.name], field))
                    h.raw(">")
                } else {
                    h.text(lineView.display(line[field.name], field, titles: &titles))
                }
                h.raw("</td>")
            }
            if editable {
                h.raw("<td><form method=\"post\" class=\"inline\"")
                h.attr("id", formID)
                h.attr("action", "/orders/lines/\(line.id)")
                h.raw(">")
                csrfField(&h, web)
                backField(&h, back)
                h.raw("<button type=\"submit\">")
                h.text(lang.t("保存", "Save"))
                h.raw("</button></form><form method=\"post\" class=\"inline\"")
                h.attr("action", "/orders/lines/\(line.id)/remove")
                h.raw(">")
                csrfField(&h, web)
                backField(&h, back)
                h.raw("<button type=\"submit\" class=\"danger\">")
                h.text(lang.t("删除", "Remove"))
                h.raw("</button></form></td>")
            }
            h.raw("</tr>")
        }
        h.raw("</tbody></table></div>")
        if editable { h.append(try addLineForm(web, p, record, back: back)) }
        let docView = FieldView(try store.schema.entity(record.entity), p.access, lang)
        h.raw("<dl class=\"fields totals\">")
        for name in Self.documentTotals {
            guard let field = docView.visibleFields.first(where: { $0.name == name }) else { continue }
            h.raw("<div><dt>")
            h.text(lang.label(field.label))
            h.raw("</dt><dd")
            h.attr("id", "doc-\(name)")
            h.raw(">")
            h.text(docView.display(record[name], field, titles: &titles))
            h.raw("</dd></div>")
        }
        h.raw("</dl>")
        let draft = store.schema.pipelines["order"]?.first?.stages.first?.name
        if editable, record.entity == "order", let draft, record["status"].textValue == draft {
            h.raw("<form method=\"post\" action=\"/orders/submit\" class=\"inline\">")
            csrfField(&h, web)
            h.raw("<input type=\"hidden\" name=\"id\"")
            h.attr("value", String(record.id))
            h.raw("><button type=\"submit\" class=\"primary\" id=\"submit-order\">")
            h.text(lang.t("提交审批", "Submit for approval"))
            h.raw("</button></form>")
        }
        h.raw("</section>")
        return h
    }

    private func addLineForm(_ web: WebRequest, _ p: Principal, _ record: Record, back: String) throws -> HTML {
        let lang = web.lang
        var h = HTML()
        h.raw("<form method=\"post\" action=\"/orders/lines/add\" class=\"filters add-line\">")
        csrfField(&h, web)
        h.raw("<input type=\"hidden\" name=\"entity\"")
        h.attr("value", record.entity)
        h.raw("><input type=\"hidden\" name=\"id\"")
        h.attr("value", String(record.id))
        h.raw("><label for=\"add-product\">")
        h.text(lang.t("产品", "Product"))
        h.raw("</label><select id=\"add-product\" name=\"product\"><option value=\"\"></option>")
        if p.access.allows(.read, on: "product") {
            for product in try store.find(Query("product", sort: [SortKey("id")], limit: 200), as: p.access).records {
                h.raw("<option")
                h.attr("value", String(product.id))
                h.raw(">")
                h.text(product["name"].textValue ?? "#\(product.id)")
                h.raw("</option>")
            }
        }
        h.raw("</select><label for=\"add-description\">")
        h.text(lang.t("或说明（无产品时）", "or a description (no product)"))
        h.raw("</label><input id=\"add-description\" name=\"description\" maxlength=\"500\"><label for=\"add-quantity\">")
        h.text(lang.t("数量", "Quantity"))
        h.raw("</label><input id=\"add-quantity\" name=\"quantity\" size=\"6\" required value=\"1\"><label for=\"add-price\">")
        h.text(lang.t("销售单价（空则按价格策略）", "Sales price (empty: price policy)"))
        h.raw("</label><input id=\"add-price\" name=\"sales_price\" size=\"10\"><button type=\"submit\">")
        h.text(lang.t("添加明细", "Add line"))
        h.raw("</button></form>")
        return h
    }

    private func backField(_ h: inout HTML, _ back: String) {
        h.raw("<input type=\"hidden\" name=\"_back\"")
        h.attr("value", back)
        h.raw(">")
    }
}
