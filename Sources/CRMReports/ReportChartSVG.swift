import CRMKernel
import Foundation

/// The chart of a report as SVG, in the style of the web interface's funnel and forecast charts
/// (`class="chart"`, bars `class="bar"`, labels `class="label"`); every text escaped.
public enum ReportChartSVG {
    /// The chart, or nil when the report has none or nothing to chart.
    public static func render(_ table: ReportTable) -> String? {
        guard let chart = table.chart, let li = table.columnIndex(chart.labelColumn), let vi = table.columnIndex(chart.valueColumn) else { return nil }
        let kind = table.columns[vi].kind
        let points: [(label: String, value: Decimal, text: String)] = table.chartRows.map { row in
            let v = row[vi].decimalValue ?? 0
            return (ReportTable.text(row[li], .text), v, ReportTable.text(row[vi], kind))
        }
        guard !points.isEmpty else { return nil }
        let top = max(points.map(\.value).max() ?? 1, 1)
        let title = XMLText.escape(table.columns[vi].label)
        switch chart.kind {
        case .funnel: return funnel(points, top, title)
        case .bar, .line: return bars(points, top, title, line: chart.kind == .line)
        }
    }

    private static func fraction(_ v: Decimal, _ top: Decimal) -> Double {
        NSDecimalNumber(decimal: max(0, v) / top).doubleValue
    }

    private static func funnel(_ points: [(label: String, value: Decimal, text: String)], _ top: Decimal, _ title: String) -> String {
        let width = 480, barHeight = 36, gap = 8
        let height = points.count * (barHeight + gap) + gap
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\"><title>\(title)</title>"
        for (i, p) in points.enumerated() {
            let w = max(4, Int(Double(width - 40) * fraction(p.value, top)))
            let x = (width - w) / 2, y = gap + i * (barHeight + gap)
            s += "<rect class=\"bar\" x=\"\(x)\" y=\"\(y)\" width=\"\(w)\" height=\"\(barHeight)\" rx=\"4\" fill=\"#4a7bd0\"></rect>"
            s += "<text class=\"label\" text-anchor=\"middle\" x=\"\(width / 2)\" y=\"\(y + barHeight / 2 + 5)\" font-size=\"13\">\(XMLText.escape(p.label)) · \(XMLText.escape(p.text))</text>"
        }
        return s + "</svg>"
    }

    private static func bars(_ points: [(label: String, value: Decimal, text: String)], _ top: Decimal, _ title: String, line: Bool) -> String {
        let slot = 56, plot = 200, left = 16, labelSpace = 44
        let width = max(320, left * 2 + points.count * slot), height = plot + labelSpace + 24
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\"><title>\(title)</title>"
        s += "<line x1=\"\(left)\" y1=\"\(plot + 20)\" x2=\"\(width - left)\" y2=\"\(plot + 20)\" stroke=\"#999\"></line>"
        var path: [String] = []
        for (i, p) in points.enumerated() {
            let h = Int(Double(plot) * fraction(p.value, top))
            let x = left + i * slot + 8, y = plot + 20 - h
            if line {
                path.append("\(x + 20),\(y)")
                s += "<circle class=\"point\" cx=\"\(x + 20)\" cy=\"\(y)\" r=\"4\" fill=\"#4a7bd0\"></circle>"
            } else {
                s += "<rect class=\"bar\" x=\"\(x)\" y=\"\(y)\" width=\"40\" height=\"\(max(h, 1))\" fill=\"#4a7bd0\"></rect>"
            }
            s += "<text class=\"value\" text-anchor=\"middle\" x=\"\(x + 20)\" y=\"\(y - 4)\" font-size=\"10\">\(XMLText.escape(p.text))</text>"
            s += "<text class=\"label\" text-anchor=\"middle\" x=\"\(x + 20)\" y=\"\(plot + 36)\" font-size=\"11\">\(XMLText.escape(String(p.label.prefix(8))))</text>"
        }
        if line { s += "<polyline fill=\"none\" stroke=\"#4a7bd0\" stroke-width=\"2\" points=\"\(path.joined(separator: " "))\"></polyline>" }
        return s + "</svg>"
    }
}

/// Escaping for text and attribute values in HTML and SVG.
public enum XMLText {
    /// `s` with `& < > " '` escaped.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
