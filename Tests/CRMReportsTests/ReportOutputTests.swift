import CRMDataTransfer
import CRMKernel
import CRMReports
import Foundation
import Testing

/// The outputs: .xlsx read back, CSV, SVG escaped, and a PDF whose Chinese text comes back
/// out of `pdftotext` (so a CJK font was used).
struct ReportOutputTests {
    static func monthly() throws -> (ReportFixture, ReportTable) {
        let f = try ReportFixture()
        return (f, try f.workspace.runReport("sales_monthly", parameters: ["period": "2026-11"], as: nil))
    }

    @Test func xlsxHasTheHeadingsAndNumbers() throws {
        let (_, t) = try Self.monthly()
        let data = try ReportRenderer.render(t, as: .xlsx)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString).xlsx")
        try data.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let sheet = try XLSXReader(file: url.path).read(sheet: nil)
        let flat = sheet.rows.map { row in (0...(row.cells.keys.max() ?? 0)).map { row.cells[$0] ?? "" }.joined(separator: "|") }
        #expect(flat.first == "销售业绩月报")
        #expect(flat.contains { $0.hasPrefix("员工姓名|订单数|成交金额|已回款|回款率") }, "\(flat)")
        #expect(flat.contains { $0.hasPrefix("李娜|2|40000") }, "\(flat)")
    }

    @Test func csvQuotesAndKeepsChineseHeadings() throws {
        let (_, t) = try Self.monthly()
        let csv = String(decoding: try ReportRenderer.render(t, as: .csv), as: UTF8.self)
        #expect(csv.hasPrefix("\u{FEFF}员工姓名,订单数,成交金额,已回款,回款率,平均订单金额\r\n"))
        #expect(csv.contains("李娜,2,40000.00,10000.00,25.00%,20000.00\r\n"))
        #expect(csv.contains("合计,4,65000.00,32500.00,50.00%,16250.00\r\n"))
    }

    @Test func svgAndHTMLEscapeEveryText() {
        let t = ReportTable(name: "x", title: "<script>alert(1)</script>", columns: [
            ReportTable.Column("who", "<b>名</b>", .text), ReportTable.Column("n", "数", .integer),
        ], rows: [[.text("\"><img src=x onerror=alert(1)>"), .integer(3)]], chart: ReportTable.Chart(.bar, label: "who", value: "n"))
        let html = ReportHTML.document(t, language: "zh")
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("<img"))
        #expect(html.contains("&lt;b&gt;名&lt;/b&gt;"))
        let svg = ReportChartSVG.render(t) ?? ""
        #expect(svg.contains("<rect class=\"bar\""))
        #expect(!svg.contains("<img"))
    }

    @Test func pdfCarriesChineseTextThatPdftotextReadsBack() throws {
        let (_, t) = try Self.monthly()
        let pdf = try ReportRenderer.render(t, as: .pdf)
        #expect(pdf.starts(with: Data("%PDF".utf8)))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString).pdf")
        try pdf.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
        process.arguments = [url.path, "-"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(text.contains("销售业绩月报"), "\(text)")
        #expect(text.contains("员工姓名"))
        #expect(text.contains("李娜"))
        #expect(text.contains("25.00%"))
    }
}
