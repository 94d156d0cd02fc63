import CRMDataTransfer
import CRMKernel
import Foundation

/// A report as an .xlsx workbook (the data-transfer writer): title and arguments above a
/// header row, numbers as numbers (rates as percent values).
enum ReportXLSX {
    static func render(_ table: ReportTable) throws -> Data {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crm-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("report.xlsx")
        let sheet = String(table.title.filter { !"[]:*?/\\".contains($0) }.prefix(31))
        let writer = try XLSXWriter(url: url, sheetName: sheet.isEmpty ? "Report" : sheet)
        try writer.addHeader([table.title])
        for a in table.arguments { try writer.addRow([.text(a.label), .text(a.value)]) }
        try writer.addHeader(table.columns.map(\.label))
        for row in table.rows {
            try writer.addRow(zip(row, table.columns).map { value, column -> XLSXWriter.Cell in
                if value == .null { return .empty }
                switch column.kind {
                case .text: return .text(ReportTable.text(value, column.kind))
                case .integer: return .number(value.description)
                case .money, .decimal, .percent:
                    return value.decimalValue.map { .number($0.rounded(scale: 2).plainString) } ?? .text(value.description)
                }
            })
        }
        try writer.finish()
        return try Data(contentsOf: url)
    }
}
