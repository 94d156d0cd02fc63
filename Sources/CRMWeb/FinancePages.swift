import CRMKernel
import CRMServer
import Foundation
import Hummingbird

/// The finance module's own pages, rendered from its actions (so the access is the action's):
/// 回款计划 (`finance.collection`: installments with their status as of a day, filterable by
/// status) and 应收账龄 (`finance.aging`: open amounts per bucket by customer, rep or team, with
/// a totals row equal to the sum of the rows).
extension WebApp {
    /// Money in fen as yuan text.
    private func yuan(_ fen: Int64?) -> String {
        guard let fen else { return "" }
        let sign = fen < 0 ? "-" : "", m = fen.magnitude
        return "\(sign)\(m / 100).\(m % 100 < 10 ? "0" : "")\(m % 100)"
    }

    private func financeFilters(_ h: inout HTML, _ web: WebRequest, fields: [(name: String, label: String, options: [String]?)]) {
        h.raw("<form method=\"get\" class=\"filters\">")
        for field in fields {
            h.raw("<label>")
            h.text(field.label)
            h.raw(" ")
            if let options = field.options {
                h.raw("<select")
                h.attr("name", field.name)
                h.raw(">")
                for option in [""] + options {
                    h.raw("<option")
                    h.attr("value", option)
                    if web.query[field.name] == option { h.raw(" selected") }
                    h.raw(">")
                    h.text(option.isEmpty ? "—" : option)
                    h.raw("</option>")
                }
                h.raw("</select>")
            } else {
                h.raw("<input type=\"date\"")
                h.attr("name", field.name)
                h.attr("value", web.query[field.name] ?? "")
                h.raw(">")
            }
            h.raw("</label> ")
        }
        h.raw("<button type=\"submit\">")
        h.text(web.lang.t("查看", "Show"))
        h.raw("</button></form>")
    }

    /// 回款计划: the caller's installments with their derived status as of a day.
    func financeCollectionPage(_ web: WebRequest, _ p: Principal, title: String) throws -> Response {
        let lang = web.lang
        var options: [String: ScriptValue] = ["limit": .value(.integer(200))]
        if let asOf = web.query["as_of"], !asOf.isEmpty { options["as_of"] = .value(.text(asOf)) }
        if let status = web.query["status"], !status.isEmpty { options["status"] = .value(.text(status)) }
        let rows = try server.callAction("finance", "installments", [.table(options)], as: p)
        var h = HTML()
        h.raw("<h1>")
        h.text(title)
        h.raw("</h1>")
        financeFilters(&h, web, fields: [("as_of", lang.t("截至日期", "As of"), nil),
                                         ("status", lang.t("状态", "Status"), ["待回款", "部分回款", "已回款", "已逾期", "作废"])])
        h.raw("<div class=\"table-wrap\"><table class=\"list\"><thead><tr>")
        for head in [lang.t("订单", "Order"), lang.t("期数", "No."), lang.t("款项", "Name"), lang.t("计划日期", "Due"), lang.t("计划金额", "Amount"),
                     lang.t("已回款", "Received"), lang.t("未回款", "Open"), lang.t("状态", "Status"), lang.t("逾期天数", "Days overdue")] {
            h.raw("<th>")
            h.text(head)
            h.raw("</th>")
        }
        h.raw("</tr></thead><tbody>")
        var titles = TitleCache(store, p.access)
        if case .list(let items) = rows {
            for item in items {
                guard let f = item.fields else { continue }
                func value(_ key: String) -> Value { if case .value(let v)? = f[key] { return v } else { return .null } }
                h.raw("<tr><td>")
                if let order = value("order").integerValue {
                    h.raw("<a")
                    h.attr("href", "/e/order/\(order)")
                    h.raw(">")
                    h.text(titles.title("order", order))
                    h.raw("</a>")
                }
                h.raw("</td>")
                let status = value("status").textValue ?? ""
                for cell in [value("seq").description, value("name").textValue ?? "", value("due_date").textValue ?? "",
                             yuan(value("amount_fen").integerValue), yuan(value("received_fen").integerValue), yuan(value("open_fen").integerValue)] {
                    h.raw("<td>")
                    h.text(cell)
                    h.raw("</td>")
                }
                h.raw("<td><span class=\"chip\"")
                h.attr("data-status", status)
                h.raw(">")
                h.text(status)
                h.raw("</span></td><td>")
                let days = value("overdue_days").integerValue ?? 0
                h.text(days > 0 ? String(days) : "")
                h.raw("</td></tr>")
            }
        }
        h.raw("</tbody></table></div>")
        return WebResponse.html(layout(web, p, title: title, body: h))
    }

    /// 应收账龄: open amounts per bucket as of a day, by customer, rep or team.
    func financeAgingPage(_ web: WebRequest, _ p: Principal, title: String) throws -> Response {
        let lang = web.lang
        var options: [String: ScriptValue] = [:]
        if let asOf = web.query["as_of"], !asOf.isEmpty { options["as_of"] = .value(.text(asOf)) }
        let by = ["customer": "customer", "rep": "rep", "team": "team"][web.query["by"] ?? ""] ?? "customer"
        options["by"] = .value(.text(by))
        let report = try server.callAction("finance", "aging", [.table(options)], as: p)
        guard let fields = report.fields, case .list(let buckets)? = fields["buckets"], case .list(let rows)? = fields["rows"],
              case .list(let totals)? = fields["totals"] else { throw KernelError(.scriptFailed, "finance.aging answered an unexpected shape") }
        var h = HTML()
        h.raw("<h1>")
        h.text(title)
        h.raw("</h1>")
        financeFilters(&h, web, fields: [("as_of", lang.t("截至日期", "As of"), nil), ("by", lang.t("分组", "By"), ["customer", "rep", "team"])])
        h.raw("<div class=\"table-wrap\"><table class=\"list\"><thead><tr><th>")
        h.text(by == "customer" ? lang.t("客户", "Customer") : by == "rep" ? lang.t("销售", "Rep") : lang.t("团队", "Team"))
        h.raw("</th>")
        for bucket in buckets {
            h.raw("<th>")
            h.text(bucket.text ?? "")
            h.raw("</th>")
        }
        h.raw("<th>")
        h.text(lang.t("合计", "Total"))
        h.raw("</th></tr></thead><tbody>")
        for row in rows {
            guard let r = row.fields, case .list(let cells)? = r["buckets"] else { continue }
            h.raw("<tr><td>")
            h.text(r["label"]?.text ?? "—")
            h.raw("</td>")
            for cell in cells + [r["total_fen"] ?? .null] {
                h.raw("<td class=\"num\">")
                h.text(yuan(cell.integer))
                h.raw("</td>")
            }
            h.raw("</tr>")
        }
        h.raw("</tbody><tfoot><tr><th>")
        h.text(lang.t("合计", "Total"))
        h.raw("</th>")
        for cell in totals + [fields["total_fen"] ?? .null] {
            h.raw("<th class=\"num\">")
            h.text(yuan(cell.integer))
            h.raw("</th>")
        }
        h.raw("</tr></tfoot></table></div>")
        return WebResponse.html(layout(web, p, title: title, body: h))
    }
}
