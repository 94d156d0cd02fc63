import CRMKernel
import Foundation

/// Writes a small table (an error report) as .xlsx or CSV, chosen by extension.
public enum TableFile {
    /// Writes `header` and `rows` to `path`: .xlsx when it ends so, else UTF-8 CSV.
    public static func write(_ path: String, sheetName: String, header: [String], rows: [[String]]) throws {
        if ImportTable.isWorkbook(path) {
            let writer = try XLSXWriter(url: URL(fileURLWithPath: path), sheetName: sheetName)
            try writer.addHeader(header)
            for row in rows { try writer.addRow(row.map { $0.isEmpty ? .empty : .text($0) }) }
            try writer.finish()
            return
        }
        var text = header.map(csvQuote).joined(separator: ",") + "\n"
        for row in rows { text += row.map(csvQuote).joined(separator: ",") + "\n" }
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw KernelError(.storage, "\(path): cannot write the file")
        }
    }

    /// A CSV field, quoted when it must be.
    public static func csvQuote(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }
}
