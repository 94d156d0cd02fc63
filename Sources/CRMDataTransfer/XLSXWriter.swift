import CRMKernel
import Foundation
import ZIPFoundation

/// Writes a one-sheet .xlsx workbook row by row.
///
/// Rows go to a temporary sheet file through a small buffer (never the whole sheet in memory);
/// `finish()` packs the parts with ZIPFoundation, deflating the sheet from that file in chunks.
/// Text is written as inline strings, numbers as numbers; the header row is bold and frozen.
public final class XLSXWriter {
    /// One cell to write.
    public enum Cell: Sendable {
        /// Text (kept as text even when it looks like a number: phones, codes).
        case text(String)
        /// A number, already in plain decimal notation (`12.50`, `-3`).
        case number(String)
        /// Nothing.
        case empty
    }

    let url: URL
    let sheetName: String
    let sheetFile: URL
    let out: FileHandle
    var buffer = ""
    var rowCount = 0
    var finished = false
    /// Column letters computed once (`A`, `B`, … for the first 256 columns).
    let columnNames = (0..<256).map(SheetCollector.columnName)

    /// Starts a workbook at `url` with one sheet named `sheetName`.
    public init(url: URL, sheetName: String = "Sheet1") throws {
        self.url = url
        self.sheetName = String(sheetName.filter { !"[]:*?/\\".contains($0) }.prefix(31))
        sheetFile = FileManager.default.temporaryDirectory.appendingPathComponent("crm-xlsx-out-\(UUID().uuidString).xml")
        guard FileManager.default.createFile(atPath: sheetFile.path, contents: nil) else {
            throw KernelError(.storage, "cannot create a temporary file for \(url.path)")
        }
        out = try FileHandle(forWritingTo: sheetFile)
        buffer = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
            + #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
            + #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#
            + "<sheetData>"
    }

    deinit {
        if !finished { try? out.close(); try? FileManager.default.removeItem(at: sheetFile) }
    }

    /// Appends a header row (bold).
    public func addHeader(_ titles: [String]) throws { try addRow(titles.map(Cell.text), style: 1) }

    /// Appends a row.
    public func addRow(_ cells: [Cell]) throws { try addRow(cells, style: 0) }

    private func addRow(_ cells: [Cell], style: Int) throws {
        rowCount += 1
        let r = rowCount
        buffer += "<row r=\"\(r)\">"
        let s = style > 0 ? " s=\"\(style)\"" : ""
        for (i, cell) in cells.enumerated() {
            let column = i < columnNames.count ? columnNames[i] : SheetCollector.columnName(i)
            switch cell {
            case .empty: continue
            case .number(let n):
                buffer += "<c r=\"\(column)\(r)\"\(s)><v>\(n)</v></c>"
            case .text(let t):
                let escaped = Self.escape(t)
                let space = t.first?.isWhitespace == true || t.last?.isWhitespace == true ? " xml:space=\"preserve\"" : ""
                buffer += "<c r=\"\(column)\(r)\"\(s) t=\"inlineStr\"><is><t\(space)>\(escaped)</t></is></c>"
            }
        }
        buffer += "</row>"
        if buffer.utf8.count > 256 * 1024 { try flush() }
    }

    private func flush() throws {
        try out.write(contentsOf: Data(buffer.utf8))
        buffer.removeAll(keepingCapacity: true)
    }

    /// Packs the workbook at `url` (replacing a file there) and removes the temporary sheet.
    public func finish() throws {
        buffer += "</sheetData></worksheet>"
        try flush()
        try out.close()
        finished = true
        defer { try? FileManager.default.removeItem(at: sheetFile) }
        try? FileManager.default.removeItem(at: url)
        do {
            let archive = try Archive(url: url, accessMode: .create)
            for (path, text) in Self.fixedParts(sheetName: sheetName) {
                let data = Data(text.utf8)
                try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                    data.subdata(in: Int(position)..<min(data.count, Int(position) + size))
                }
            }
            try archive.addEntry(with: "xl/worksheets/sheet1.xml", fileURL: sheetFile, compressionMethod: .deflate)
        } catch let error as KernelError {
            throw error
        } catch {
            throw KernelError(.storage, "\(url.path): cannot write the workbook (\(error))")
        }
    }

    /// XML text escaping; characters XML 1.0 forbids (control characters) are dropped.
    static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" || $0 == "\"" || ($0.value < 0x20 && $0 != "\t" && $0 != "\n" && $0 != "\r") }) else {
            return text
        }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r" { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The parts every workbook needs besides the sheet.
    static func fixedParts(sheetName: String) -> [(String, String)] {
        let head = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        return [
            ("[Content_Types].xml", head + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#),
            ("_rels/.rels", head + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
            ("xl/workbook.xml", head + #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name=""# + escape(sheetName) + #"" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
            ("xl/_rels/workbook.xml.rels", head + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#),
            ("xl/styles.xml", head + #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#),
        ]
    }
}
