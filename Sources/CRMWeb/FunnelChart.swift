import CRMKernel
import CRMServer
import Foundation

/// The sales funnel as server-rendered SVG (open deals per stage, bars labelled in the page's
/// language), with the same numbers in a table for screen readers and copying.
extension WebApp {
    func funnelChart(_ web: WebRequest, _ p: Principal) throws -> HTML? {
        guard p.access.allows(.read, on: Self.kanbanEntity), let pipeline = store.schema.pipelines[Self.kanbanEntity]?.first else { return nil }
        let lang = web.lang
        var rows: [(label: String, count: Int)] = []
        for stage in pipeline.stages where stage.outcome == nil {
            rows.append((lang.label(stage.label), try store.count(Self.kanbanEntity, filter: .eq(pipeline.field, .text(stage.name)), as: p.access)))
        }
        let top = max(1, rows.map(\.count).max() ?? 1)
        let width = 480, barHeight = 36, gap = 8
        let height = rows.count * (barHeight + gap) + gap
        var h = HTML()
        h.raw("<section class=\"card\"><h2 id=\"funnel-title\">")
        h.text(lang.t("销售漏斗", "Sales funnel"))
        h.raw("</h2><svg class=\"chart\" role=\"img\" aria-labelledby=\"funnel-title\"")
        h.attr("viewBox", "0 0 \(width) \(height)")
        h.raw(">")
        for (i, row) in rows.enumerated() {
            let w = max(4, (width - 40) * row.count / top)
            let x = (width - w) / 2, y = gap + i * (barHeight + gap)
            h.raw("<rect class=\"bar\"")
            h.attr("x", String(x))
            h.attr("y", String(y))
            h.attr("width", String(w))
            h.attr("height", String(barHeight))
            h.raw(" rx=\"4\"></rect><text class=\"label\" text-anchor=\"middle\"")
            h.attr("x", String(width / 2))
            h.attr("y", String(y + barHeight / 2 + 5))
            h.raw(">")
            h.text("\(row.label) · \(row.count)")
            h.raw("</text>")
        }
        h.raw("</svg><details><summary>")
        h.text(lang.t("数据表", "Data table"))
        h.raw("</summary><table class=\"list\"><thead><tr><th scope=\"col\">")
        h.text(lang.t("阶段", "Stage"))
        h.raw("</th><th scope=\"col\">")
        h.text(lang.t("商机数", "Deals"))
        h.raw("</th></tr></thead><tbody>")
        for row in rows {
            h.raw("<tr><td>")
            h.text(row.label)
            h.raw("</td><td>")
            h.number(row.count)
            h.raw("</td></tr>")
        }
        h.raw("</tbody></table></details></section>")
        return h
    }
}
