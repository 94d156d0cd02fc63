import CRMKernel
import Foundation

/// The printable view of a quote or an order (zh-CN HTML, every value escaped):
/// `GET /api/v1/modules/orders/quotes/{id}/print` and `.../orders/{id}/print`. Cost and
/// margin never appear on it (it goes to the customer).
enum PrintView {
    static var routes: [PluginRoute] {
        ["quote", "order"].map { entity in
            PluginRoute(.get, "\(entity)s/:\(entity)/print", summary: "The printable \(entity) (HTML, zh-CN)",
                        audience: .signedIn(requires: FunctionAccess(entity: entity, action: .read))) { request in
                let document = try request.visibleRecord(entity, try request.id(entity))
                let html = try request.store.read { reader in try render(reader, document) }
                return .file(Data(html.utf8), contentType: "text/html; charset=utf-8", fileName: "\(document["number"].textValue ?? entity).html")
            }
        }
    }

    /// The HTML page of `document`.
    static func render(_ reader: RecordReader, _ document: Record) throws -> String {
        let isQuote = document.entity == "quote"
        let lines = try OrderDocuments.lines(reader, OrderDocuments.Ref(entity: document.entity, id: document.id))
        let customer = try document["customer"].integerValue.flatMap { try reader.get("customer", $0) }?["name"].description ?? ""
        var rows = ""
        for l in lines {
            rows += "<tr><td>\(e(l["position"]))</td><td>\(e(l["description"]))</td><td>\(e(l["unit"]))</td><td class=n>\(e(l["quantity"]))</td>"
                + "<td class=n>\(e(l["sales_price"]))</td><td class=n>\(e(l["discount"]))%</td><td class=n>\(e(l["tax_rate"]))%</td>"
                + "<td class=n>\(e(l["amount"]))</td></tr>\n"
        }
        let title = isQuote ? "报价单" : "销售合同"
        var head = "<p>编号：\(e(document["number"]))"
        if isQuote { head += "　版本：\(e(document["doc_version"]))　有效期至：\(e(document["valid_until"]))" }
        head += "</p>\n<p>客户：\(escape(customer))</p>\n"
        if !isQuote {
            head += "<p>签约日期：\(e(document["signed_date"]))　合同期：\(e(document["start_date"])) 至 \(e(document["end_date"]))</p>\n"
            head += "<p>客户签约人：\(e(document["their_signer"]))　付款条件：\(e(document["payment_terms"]))</p>\n"
            head += "<p>交货地址：\(e(document["delivery_address"]))</p>\n"
        }
        return """
        <!DOCTYPE html>
        <html lang="zh-CN"><head><meta charset="utf-8"><title>\(title) \(e(document["number"]))</title>
        <style>body{font-family:sans-serif}table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:4px}.n{text-align:right}</style></head>
        <body><h1>\(title)</h1>
        \(head)<table><thead><tr><th>行号</th><th>品名/说明</th><th>单位</th><th>数量</th><th>单价</th><th>折扣</th><th>税率</th><th>金额</th></tr></thead>
        <tbody>
        \(rows)</tbody></table>
        <p>行金额合计：\(e(document["subtotal"]))　整单折扣：\(e(document["order_discount"]))%　总金额（含税）：\(e(document["total"]))　其中税额：\(e(document["tax"]))</p>
        </body></html>
        """
    }

    private static func e(_ value: Value) -> String { value.isEmpty ? "" : escape(value.description) }

    /// HTML-escapes text.
    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}
