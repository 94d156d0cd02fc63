import CRMKernel
import CRMServer
import Foundation
import Hummingbird
import NIOCore

/// Leads by source (marketing module) on the dashboard: server-rendered SVG bars of the leads
/// the user may see per 线索来源, with converted leads and the conversion rate in a table, and
/// the same numbers as CSV at `GET /dashboards/leads-by-source.csv`.
extension WebApp {
    /// One row of the chart: a source, its leads and how many of them were converted.
    struct LeadSourceRow {
        var source: String
        var leads: Int
        var converted: Int
    }

    func addLeadSourceRoutes(_ router: Router<CRMRequestContext>) {
        router.get("/dashboards/leads-by-source.csv") { request, _ in
            await self.page(request) { web, p in
                let rows = try self.leadSourceRows(p) ?? []
                var csv = web.lang.t("线索来源,线索数,已转化,转化率\r\n", "Source,Leads,Converted,Conversion\r\n")
                for row in rows { csv += "\(Self.csvCell(row.source)),\(row.leads),\(row.converted),\(Self.rate(row))\r\n" }
                return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                                       .contentDisposition: "attachment; filename=\"leads-by-source.csv\"", .cacheControl: "no-store"],
                                body: .init(byteBuffer: ByteBuffer(string: "\u{FEFF}" + csv)))
            }
        }
    }

    /// The rows, or nil when the marketing module is off or the user may not read leads.
    func leadSourceRows(_ p: Principal) throws -> [LeadSourceRow]? {
        guard p.access.allows(.read, on: "lead"), let lead = store.schema.entities["lead"], lead.fieldsByName["source"] != nil,
              try server.host.workspace.enabledModules().contains("marketing") else { return nil }
        let (all, converted) = try store.read(as: p.access) { reader in
            (try reader.aggregate("lead", groupBy: [GroupKey("source")], measures: [.count]),
             try reader.aggregate("lead", groupBy: [GroupKey("source")], measures: [.count], filter: .eq("status", .text("已转化"))))
        }
        func count(_ row: AggregateRow) -> Int { row.values.first?.integerValue.map(Int.init) ?? 0 }
        var convertedBySource: [String: Int] = [:]
        for row in converted { convertedBySource[row.group["source"]?.description ?? ""] = count(row) }
        return all.map { row in
            let source = row.group["source"]?.description ?? ""
            return LeadSourceRow(source: source, leads: count(row), converted: convertedBySource[source] ?? 0)
        }.sorted { ($0.leads, $1.source) > ($1.leads, $0.source) }
    }

    /// The chart card, or nil when there is nothing to show.
    func leadSourceChart(_ web: WebRequest, _ p: Principal) throws -> HTML? {
        guard let rows = try leadSourceRows(p) else { return nil }
        let lang = web.lang
        let top = max(1, rows.map(\.leads).max() ?? 1)
        let width = 480, barHeight = 28, gap = 8, labelWidth = 120
        let height = max(1, rows.count) * (barHeight + gap) + gap
        var h = HTML()
        h.raw("<section class=\"card\" id=\"leads-by-source\"><h2 id=\"lead-source-title\">")
        h.text(lang.t("线索来源分布", "Leads by source"))
        h.raw("</h2><svg class=\"chart\" role=\"img\" aria-labelledby=\"lead-source-title\"")
        h.attr("viewBox", "0 0 \(width) \(height)")
        h.raw(">")
        for (i, row) in rows.enumerated() {
            let w = max(4, (width - labelWidth - 60) * row.leads / top), y = gap + i * (barHeight + gap)
            h.raw("<text class=\"label\" text-anchor=\"end\"")
            h.attr("x", String(labelWidth - 6))
            h.attr("y", String(y + barHeight / 2 + 5))
            h.raw(">")
            h.text(row.source.isEmpty ? lang.t("未填写", "Not given") : row.source)
            h.raw("</text><rect class=\"bar\"")
            h.attr("x", String(labelWidth))
            h.attr("y", String(y))
            h.attr("width", String(w))
            h.attr("height", String(barHeight))
            h.raw(" rx=\"3\"></rect><text class=\"label\"")
            h.attr("x", String(labelWidth + w + 6))
            h.attr("y", String(y + barHeight / 2 + 5))
            h.raw(">")
            h.number(row.leads)
            h.raw("</text>")
        }
        h.raw("</svg><details><summary>")
        h.text(lang.t("数据表", "Data table"))
        h.raw("</summary><table class=\"list\"><thead><tr>")
        for title in [lang.t("线索来源", "Source"), lang.t("线索数", "Leads"), lang.t("已转化", "Converted"), lang.t("转化率", "Conversion")] {
            h.raw("<th scope=\"col\">")
            h.text(title)
            h.raw("</th>")
        }
        h.raw("</tr></thead><tbody>")
        for row in rows {
            h.raw("<tr><td>")
            h.text(row.source)
            h.raw("</td><td>")
            h.number(row.leads)
            h.raw("</td><td>")
            h.number(row.converted)
            h.raw("</td><td>")
            h.text(Self.rate(row))
            h.raw("</td></tr>")
        }
        h.raw("</tbody></table><p><a href=\"/dashboards/leads-by-source.csv\" download>")
        h.text(lang.t("导出 CSV", "Export CSV"))
        h.raw("</a></p></details></section>")
        return h
    }

    /// Converted over leads as a percentage with one decimal, from integers.
    static func rate(_ row: LeadSourceRow) -> String {
        guard row.leads > 0 else { return "—" }
        let tenths = (row.converted * 1000 + row.leads / 2) / row.leads
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// A CSV cell, quoted when needed; a leading `= + - @` is defused so a spreadsheet does not
    /// run it as a formula.
    static func csvCell(_ text: String) -> String {
        var t = text
        if let first = t.first, "=+-@".contains(first) { t = "'" + t }
        guard t.contains(where: { ",\"\r\n".contains($0) }) else { return t }
        return "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
