import CRMKernel
import CRMReports
import CRMServer
import Foundation
import Hummingbird

/// `GET /reports`: the reports the user may run; `GET /reports/:name?param=...`: a parameter
/// form, the chart and the table; `GET /reports/:name/export?format=xlsx|csv|pdf&...`: the
/// download. Runs under the signed-in user's access; every text is escaped.
extension WebApp {
    func addReportPageRoutes(_ router: Router<CRMRequestContext>) {
        router.get("/reports") { request, _ in
            await self.page(request) { web, p in try self.reportListPage(web, p) }
        }
        router.get("/reports/:name") { request, context in
            let name = try context.parameters.require("name")
            return await self.page(request) { web, p in try self.reportRunPage(web, p, name) }
        }
        router.get("/reports/:name/export") { request, context in
            let name = try context.parameters.require("name")
            return await self.page(request) { web, p in
                let format = try ReportFormat(parsing: web.query["format"] ?? "xlsx")
                let table = try self.server.host.workspace.runReport(name, parameters: Self.reportParameters(web), as: p.access,
                                                                     language: web.lang == .en ? "en" : "zh")
                let data = try ReportRenderer.render(table, as: format, language: web.lang == .en ? "en" : "zh")
                let file = ReportRenderer.fileName(table, format)
                let headers: HTTPFields = [.contentType: format.contentType,
                                           .contentDisposition: "attachment; filename=\"\(table.name).\(format.fileExtension)\"; filename*=UTF-8''" +
                                               (file.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? file)]
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
            }
        }
    }

    /// The query's report parameters (all but `lang` and `format`).
    static func reportParameters(_ web: WebRequest) -> [String: String] {
        var out: [String: String] = [:]
        for name in web.query.order where name != "lang" && name != "format" {
            if let v = web.query[name], !v.isEmpty { out[name] = v }
        }
        return out
    }

    func reportListPage(_ web: WebRequest, _ p: Principal) throws -> Response {
        let lang = web.lang
        let reports = try server.host.workspace.reports(as: p.access)
        var h = HTML()
        h.raw("<h1>")
        h.text(lang.t("报表", "Reports"))
        h.raw("</h1><table class=\"list\"><thead><tr><th scope=\"col\">")
        h.text(lang.t("报表", "Report"))
        h.raw("</th><th scope=\"col\">")
        h.text(lang.t("名称", "Name"))
        h.raw("</th><th scope=\"col\">")
        h.text(lang.t("来源", "Origin"))
        h.raw("</th></tr></thead><tbody>")
        for r in reports {
            h.raw("<tr><td>")
            h.link("<a", href: "/reports/" + r.name, lang.label(r.title))
            h.raw("</td><td><code>")
            h.text(r.name)
            h.raw("</code></td><td>")
            h.text(r.origin.label)
            h.raw("</td></tr>")
        }
        h.raw("</tbody></table>")
        return WebResponse.html(layout(web, p, title: lang.t("报表", "Reports"), body: h))
    }

    func reportRunPage(_ web: WebRequest, _ p: Principal, _ name: String) throws -> Response {
        let lang = web.lang
        let workspace = server.host.workspace
        let report = try workspace.report(named: name, as: p.access)
        let parameters = Self.reportParameters(web)
        var h = HTML()
        h.raw("<h1>")
        h.text(lang.label(report.title))
        h.raw("</h1><form method=\"get\" class=\"report-parameters\"")
        h.attr("action", "/reports/" + name)
        h.raw(">")
        for param in report.parameters {
            h.raw("<label>")
            h.text(lang.label(param.label))
            h.raw(" <input")
            h.attr("name", param.name)
            h.attr("value", parameters[param.name] ?? "")
            h.attr("placeholder", param.defaultValue ?? "")
            h.raw("></label> ")
        }
        h.raw("<button type=\"submit\">")
        h.text(lang.t("运行", "Run"))
        h.raw("</button></form>")
        do {
            let table = try workspace.runReport(name, parameters: parameters, as: p.access, language: lang == .en ? "en" : "zh")
            h.raw("<p class=\"report-downloads\">")
            let query = parameters.keys.sorted().map { "\($0)=" + FormBody.encode(parameters[$0]!) }
            for format in [ReportFormat.xlsx, .csv, .pdf] {
                h.link("<a", href: "/reports/\(name)/export?" + (query + ["format=\(format.rawValue)"]).joined(separator: "&"), lang.t("导出 ", "Export ") + format.rawValue.uppercased())
                h.raw(" ")
            }
            h.raw("</p>")
            h.append(reportBody(table, chart: table.chart == nil ? nil : "/reports/\(name)/export?" + (query + ["format=svg"]).joined(separator: "&")))
        } catch let error as KernelError where error.kind == .validation {
            h.raw("<p class=\"error\" role=\"alert\">")
            h.text(error.message)
            h.raw("</p>")
        }
        return WebResponse.html(layout(web, p, title: lang.label(report.title), body: h))
    }

    /// The arguments, the chart (an SVG image from the export route) and the table.
    func reportBody(_ table: ReportTable, chart: String?) -> HTML {
        var h = HTML()
        h.raw("<section class=\"card report\">")
        if !table.arguments.isEmpty {
            h.raw("<p class=\"report-arguments\">")
            h.text(table.arguments.map { "\($0.label): \($0.value)" }.joined(separator: " · "))
            h.raw("</p>")
        }
        if let chart, ReportChartSVG.render(table) != nil {
            h.raw("<figure class=\"report-chart\"><img")
            h.attr("src", chart)
            h.attr("alt", table.title)
            h.raw("></figure>")
        }
        h.raw("<table class=\"list report-table\"><thead><tr>")
        for c in table.columns {
            h.raw("<th scope=\"col\">")
            h.text(c.label)
            h.raw("</th>")
        }
        h.raw("</tr></thead><tbody>")
        for (i, row) in table.rows.enumerated() {
            h.raw(table.hasTotals && i == table.rows.count - 1 ? "<tr class=\"total\">" : "<tr>")
            for (v, c) in zip(row, table.columns) {
                h.raw(c.kind == .text ? "<td>" : "<td class=\"num\">")
                h.text(ReportTable.text(v, c.kind))
                h.raw("</td>")
            }
            h.raw("</tr>")
        }
        h.raw("</tbody></table></section>")
        return h
    }
}
