import CRMKernel
import Foundation

/// The outputs of a report run: a text table for terminals, CSV, .xlsx, a PDF (Chinese text
/// through a CJK font), an HTML page, and the chart alone as SVG.
public enum ReportFormat: String, Sendable, CaseIterable {
    /// An aligned text table (terminals).
    case table
    /// CSV, UTF-8 with a byte-order mark so Excel reads the Chinese headings.
    case csv
    /// An Excel workbook.
    case xlsx
    /// A PDF printed by a headless browser.
    case pdf
    /// A standalone HTML page with the table and the chart.
    case html
    /// The chart alone.
    case svg

    /// The media type of the output.
    public var contentType: String {
        switch self {
        case .table: return "text/plain; charset=utf-8"
        case .csv: return "text/csv; charset=utf-8"
        case .xlsx: return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .pdf: return "application/pdf"
        case .html: return "text/html; charset=utf-8"
        case .svg: return "image/svg+xml"
        }
    }

    /// The file name extension.
    public var fileExtension: String { self == .table ? "txt" : rawValue }

    /// Parses a format name, naming the known ones in the error.
    public init(parsing name: String) throws {
        guard let f = ReportFormat(rawValue: name.lowercased()) else {
            throw KernelError(.validation, "unknown format '\(name)' (\(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")))",
                              fieldErrors: [FieldError(field: "format", message: "unknown format")])
        }
        self = f
    }
}

/// Renders report tables in every format.
public enum ReportRenderer {
    /// The bytes of `table` in `format`. PDF needs a headless Chromium or wkhtmltopdf (see `ReportPDF`).
    public static func render(_ table: ReportTable, as format: ReportFormat, language: String = "zh") throws -> Data {
        switch format {
        case .table: return Data(text(table).utf8)
        case .csv: return Data(ReportCSV.render(table).utf8)
        case .xlsx: return try ReportXLSX.render(table)
        case .pdf: return try ReportPDF.render(ReportHTML.document(table, language: language))
        case .html: return Data(ReportHTML.document(table, language: language).utf8)
        case .svg: return Data((ReportChartSVG.render(table) ?? "").utf8)
        }
    }

    /// The table as aligned text, with the title and arguments above it.
    public static func text(_ table: ReportTable) -> String { table.plainText }

    /// A file name for the output: the report name and the first argument.
    public static func fileName(_ table: ReportTable, _ format: ReportFormat) -> String {
        let suffix = table.arguments.first.map { "-" + $0.value.filter { $0.isLetter || $0.isNumber || $0 == "-" } } ?? ""
        return table.name + suffix + "." + format.fileExtension
    }
}

/// CSV text: RFC 4180 quoting, formatted numbers, a byte-order mark for Excel.
enum ReportCSV {
    static func render(_ table: ReportTable) -> String {
        var out = "\u{FEFF}" + table.columns.map { quote($0.label) }.joined(separator: ",") + "\r\n"
        for row in table.rows {
            out += zip(row, table.columns).map { quote(plain($0, $1.kind)) }.joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// Numbers without grouping; rates with `%`.
    static func plain(_ value: Value, _ kind: ReportTable.ColumnKind) -> String { ReportTable.text(value, kind) }

    static func quote(_ s: String) -> String {
        // A leading = + - @ would be run as a formula by a spreadsheet: prefix it.
        var s = s
        if let first = s.first, "=+-@".contains(first), Decimal(string: s) == nil { s = "'" + s }
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
