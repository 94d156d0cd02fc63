import CRMKernel
import CSV
import Foundation

/// A table to import: a header and the data rows, read from a CSV file or an .xlsx sheet.
public struct ImportTable: Sendable {
    /// One data row: its line (CSV) or row number (sheet) and one cell per header column.
    public struct Row: Sendable {
        /// The CSV line or the sheet's row number, as the user sees it in their program.
        public var line: Int
        /// Cells, one per header column ("" when empty).
        public var cells: [String]
    }

    /// The file read.
    public var file: String
    /// The sheet read (nil for CSV).
    public var sheet: String?
    /// Header cells, trimmed.
    public var header: [String]
    /// Data rows in order.
    public var rows: [Row]

    /// True for a workbook, by extension.
    public static func isWorkbook(_ file: String) -> Bool { file.lowercased().hasSuffix(".xlsx") }

    /// Reads `file`: an .xlsx workbook (sheet `sheet`, default the first) or a UTF-8 CSV file.
    public static func read(_ file: String, sheet: String? = nil, limits: XLSXReader.Limits = XLSXReader.Limits()) throws -> ImportTable {
        if isWorkbook(file) { return try readWorkbook(file, sheet: sheet, limits: limits) }
        if sheet != nil { throw KernelError(.validation, "\(file): --sheet applies only to .xlsx workbooks") }
        return try readCSV(file)
    }

    static func readWorkbook(_ file: String, sheet: String?, limits: XLSXReader.Limits) throws -> ImportTable {
        let table = try XLSXReader(file: file, limits: limits).read(sheet: sheet)
        guard let first = table.rows.first else { throw KernelError(.validation, "\(file): sheet '\(table.sheet)' is empty (no header row)") }
        let width = (first.cells.keys.max() ?? 0) + 1
        let header = (0..<width).map { (first.cells[$0] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        let rows = table.rows.dropFirst().map { row in
            Row(line: row.number, cells: (0..<width).map { row.cells[$0] ?? "" })
        }
        return ImportTable(file: file, sheet: table.sheet, header: header, rows: Array(rows))
    }

    static func readCSV(_ file: String) throws -> ImportTable {
        guard let data = FileManager.default.contents(atPath: file) else { throw KernelError(.notFound, "\(file): cannot open file") }
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            throw KernelError(.validation, "\(file): this is a ZIP archive (an .xlsx workbook?), not CSV text; name it .xlsx")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw KernelError(.validation, "\(file): not UTF-8 text") }
        let reader: CSVReader
        do { reader = try CSVReader(string: text, hasHeaderRow: true) } catch {
            throw KernelError(.validation, "\(file):1: cannot read the header row (\(error))")
        }
        guard let rawHeader = reader.headerRow, !rawHeader.isEmpty else { throw KernelError(.validation, "\(file):1: the file has no header row") }
        let header = rawHeader.map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\u{FEFF}", with: "") }
        var rows: [Row] = []
        var line = 1
        while let cells = reader.next() {
            line += 1
            if cells.count != header.count {
                throw KernelError(.validation, "\(file):\(line): expected \(header.count) columns, found \(cells.count) (nothing was imported)")
            }
            rows.append(Row(line: line, cells: cells))
        }
        if let error = reader.error { throw KernelError(.validation, "\(file):\(line + 1): malformed CSV (\(error)); nothing was imported") }
        return ImportTable(file: file, sheet: nil, header: header, rows: rows)
    }

    /// Where a cell is, as the user finds it: `c.csv:3` or `c.xlsx [客户] row 3, column B (电话)`.
    public func location(line: Int, column: Int? = nil) -> String {
        guard let sheet else { return "\(file):\(line)" + (column.map { " (column \(header[$0]))" } ?? "") }
        let col = column.map { ", column \(SheetCollector.columnName($0)) (\(header[$0]))" } ?? ""
        return "\(file) [\(sheet)] row \(line)\(col)"
    }
}
