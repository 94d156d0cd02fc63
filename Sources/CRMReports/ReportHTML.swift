import CRMKernel
import Foundation

/// A report as HTML: the table (and chart) as a fragment for the web page, or a standalone
/// document for printing to PDF (CJK fonts named first). Every text is escaped.
public enum ReportHTML {
    /// The heading, arguments, chart and table.
    public static func fragment(_ table: ReportTable) -> String {
        var h = "<section class=\"report\"><h2>\(XMLText.escape(table.title))</h2>"
        if !table.arguments.isEmpty {
            h += "<p class=\"report-arguments\">" + table.arguments.map { "\(XMLText.escape($0.label)): \(XMLText.escape($0.value))" }.joined(separator: " · ") + "</p>"
        }
        if let svg = ReportChartSVG.render(table) { h += "<figure class=\"report-chart\">\(svg)</figure>" }
        h += "<table class=\"list report-table\"><thead><tr>"
        for c in table.columns { h += "<th scope=\"col\">\(XMLText.escape(c.label))</th>" }
        h += "</tr></thead><tbody>"
        for (i, row) in table.rows.enumerated() {
            let total = table.hasTotals && i == table.rows.count - 1
            h += total ? "<tr class=\"total\">" : "<tr>"
            for (v, c) in zip(row, table.columns) {
                h += c.kind == .text ? "<td>" : "<td class=\"num\">"
                h += XMLText.escape(ReportTable.text(v, c.kind)) + "</td>"
            }
            h += "</tr>"
        }
        return h + "</tbody></table></section>"
    }

    /// A standalone page (for PDF), in `language`.
    public static func document(_ table: ReportTable, language: String) -> String {
        """
        <!doctype html><html lang="\(language == "en" ? "en" : "zh-CN")"><head><meta charset="utf-8"><title>\(XMLText.escape(table.title))</title>
        <style>
        body { font-family: "Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Micro Hei", sans-serif; margin: 24px; color: #222; }
        h2 { font-size: 20px; } .report-arguments { color: #555; }
        table { border-collapse: collapse; width: 100%; font-size: 12px; }
        th, td { border: 1px solid #bbb; padding: 4px 8px; text-align: left; } td.num { text-align: right; }
        tr.total td { font-weight: bold; background: #f2f2f2; }
        figure { margin: 12px 0; }
        </style></head><body>\(fragment(table))</body></html>
        """
    }
}
