import CRMKernel
import CRMServer
import Foundation

/// Forecast against target by month, as server-rendered SVG (weighted pipeline, won and target
/// bars per month, labels in the page's language) with the numbers in a table. The figures come
/// from the opportunities module's `forecast` function under the user's access; amounts stay
/// `Decimal` (bar lengths are computed in Decimal and rounded to whole pixels).
extension WebApp {
    func forecastChart(_ web: WebRequest, _ p: Principal) -> HTML? {
        guard p.access.allows(.read, on: Self.kanbanEntity),
              case .list(let rows)? = try? server.callAction("opportunities", "forecast", [.table(["by": .value(.text("month"))])], as: p),
              !rows.isEmpty else { return nil }
        let lang = web.lang
        func amount(_ t: [String: ScriptValue], _ key: String) -> Decimal {
            if case .value(let v)? = t[key] { return v.decimalValue ?? 0 }
            return 0
        }
        let months = rows.compactMap(\.fields).prefix(6).map { t in
            (month: t["month"]?.text ?? "", weighted: amount(t, "weighted"), won: amount(t, "won"), target: amount(t, "target"))
        }
        let top = max(1, months.map { max($0.weighted, $0.won, $0.target) }.max() ?? 1)
        let series: [(String, String, KeyPath<(month: String, weighted: Decimal, won: Decimal, target: Decimal), Decimal>)] = [
            (lang.t("加权预测", "Weighted forecast"), "s1", \.weighted), (lang.t("已赢单", "Won"), "s2", \.won), (lang.t("目标", "Target"), "s3", \.target),
        ]
        let width = 420, labelWidth = 90, bar = 14, groupHeight = 3 * 14 + 14
        var h = HTML()
        h.raw("<section class=\"card\"><h2 id=\"forecast-title\">")
        h.text(lang.t("预测与目标（元）", "Forecast against target (CNY)"))
        h.raw("</h2><p class=\"legend\">")
        for (name, cls, _) in series {
            h.raw("<span")
            h.attr("class", "key " + cls)
            h.raw("></span>")
            h.text(name + " ")
        }
        h.raw("</p><svg class=\"chart\" role=\"img\" aria-labelledby=\"forecast-title\"")
        h.attr("viewBox", "0 0 \(width) \(months.count * groupHeight + 4)")
        h.raw(">")
        for (i, m) in months.enumerated() {
            let y0 = i * groupHeight + 4
            h.raw("<text class=\"label\"")
            h.attr("x", "0")
            h.attr("y", String(y0 + 22))
            h.raw(">")
            h.text(m.month)
            h.raw("</text>")
            for (j, (_, cls, key)) in series.enumerated() {
                let length = NSDecimalNumber(decimal: Decimal(width - labelWidth - 10) * m[keyPath: key] / top).intValue
                h.raw("<rect")
                h.attr("class", cls)
                h.attr("x", String(labelWidth))
                h.attr("y", String(y0 + j * bar))
                h.attr("width", String(max(1, length)))
                h.attr("height", String(bar - 2))
                h.raw("></rect>")
            }
        }
        h.raw("</svg><details><summary>")
        h.text(lang.t("数据表", "Data table"))
        h.raw("</summary><table class=\"list\"><thead><tr><th scope=\"col\">")
        h.text(lang.t("月份", "Month"))
        h.raw("</th>")
        for (name, _, _) in series {
            h.raw("<th scope=\"col\">")
            h.text(name)
            h.raw("</th>")
        }
        h.raw("</tr></thead><tbody>")
        for m in months {
            h.raw("<tr><td>")
            h.text(m.month)
            h.raw("</td>")
            for (_, _, key) in series {
                h.raw("<td>")
                h.text(m[keyPath: key].description)
                h.raw("</td>")
            }
            h.raw("</tr>")
        }
        h.raw("</tbody></table></details></section>")
        return h
    }
}
