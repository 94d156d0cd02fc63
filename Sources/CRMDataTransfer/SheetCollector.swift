import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Streams a worksheet part (`<sheetData>`), keeping only rows that hold a value.
final class SheetCollector: NSObject, XMLParserDelegate {
    let sharedStrings: [String]
    /// Non-empty rows: sheet row number (1-based) and cells by zero-based column.
    var rows: [(number: Int, cells: [Int: String])] = []
    /// Merged ranges: (first row, first column, last row, last column), 1-based rows.
    var merges: [(Int, Int, Int, Int)] = []
    /// The first problem found (a bad shared-string index).
    var error: String?

    private var rowNumber = 0
    private var rowCells: [Int: String] = [:]
    private var cellColumn = 0, nextColumn = 0
    private var cellType = ""
    private var text = ""
    private var capturing = false
    private var hasValue = false

    init(sharedStrings: [String]) { self.sharedStrings = sharedStrings }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch name {
        case "row":
            rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
            rowCells.removeAll(keepingCapacity: true)
            nextColumn = 0
        case "c":
            if let ref = attributes["r"], let (column, _) = Self.cellReference(ref) { cellColumn = column } else { cellColumn = nextColumn }
            nextColumn = cellColumn + 1
            cellType = attributes["t"] ?? "n"
            text = ""
            hasValue = false
        case "v":
            capturing = true
            text = ""
        case "t":
            // Inline strings: `<is><t>…</t></is>` (rich runs append).
            if cellType == "inlineStr" { capturing = true }
        case "rPh":
            capturing = false
        case "mergeCell":
            if let ref = attributes["ref"] {
                let ends = ref.split(separator: ":").compactMap { Self.cellReference(String($0)) }
                if ends.count == 2 { merges.append((ends[0].1, ends[0].0, ends[1].1, ends[1].0)) }
            }
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if capturing { text += string; hasValue = true }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "v", "t":
            capturing = false
        case "c":
            guard hasValue else { return }
            if let value = cellValue(), !value.isEmpty { rowCells[cellColumn] = value }
        case "row":
            if !rowCells.isEmpty { rows.append((rowNumber, rowCells)) }
        default: break
        }
    }

    /// The cell's value as text: shared strings looked up, numbers written without a trailing
    /// `.0` (a phone stored as a number reads back as its digits), booleans as true/false,
    /// errors (`#DIV/0!`) as empty.
    private func cellValue() -> String? {
        switch cellType {
        case "s":
            guard let index = Int(text.trimmingCharacters(in: .whitespaces)), index >= 0, index < sharedStrings.count else {
                if error == nil { error = "row \(rowNumber), column \(Self.columnName(cellColumn)): shared string \(text) does not exist" }
                return nil
            }
            return sharedStrings[index]
        case "b": return text == "1" ? "true" : "false"
        case "e": return nil
        case "n": return Self.number(text)
        default: return text  // inlineStr, str (a formula's text result), d (ISO date)
        }
    }

    /// `13800138000`, `1.38001380000E10` and `12.50` as people write them: integral values
    /// without exponent or decimals.
    static func number(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let d = Decimal(string: trimmed, locale: Locale(identifier: "en_US_POSIX")) else { return trimmed }
        if trimmed.contains("E") || trimmed.contains("e") { return "\(d)" }
        return trimmed
    }

    /// Copies each merged range's top-left value into the other cells of the range (rows that
    /// were empty only because of the merge are added).
    func applyMerges() {
        guard !merges.isEmpty else { return }
        var byNumber: [Int: Int] = [:]
        for (i, row) in rows.enumerated() { byNumber[row.number] = i }
        for (r1, c1, r2, c2) in merges {
            guard let top = byNumber[r1], let value = rows[top].cells[c1], r2 - r1 < 1_000_000, c2 - c1 < 16_384 else { continue }
            for r in r1...r2 {
                if byNumber[r] == nil { rows.append((r, [:])); byNumber[r] = rows.count - 1 }
                for c in c1...c2 where rows[byNumber[r]!].cells[c] == nil { rows[byNumber[r]!].cells[c] = value }
            }
        }
        rows.sort { $0.number < $1.number }
    }

    /// `"B12"` → (column 1, row 12).
    static func cellReference(_ ref: String) -> (Int, Int)? {
        var column = 0, digits = ""
        for ch in ref.uppercased() {
            if let a = ch.asciiValue, a >= 65, a <= 90, digits.isEmpty { column = column * 26 + Int(a - 64) } else if ch.isNumber { digits.append(ch) } else if ch != "$" { return nil }
        }
        guard column > 0, let row = Int(digits) else { return nil }
        return (column - 1, row)
    }

    /// Zero-based column → `A`, `B`, … `AA`.
    static func columnName(_ index: Int) -> String {
        var n = index + 1, name = ""
        while n > 0 { let r = (n - 1) % 26; name = String(UnicodeScalar(UInt8(65 + r))) + name; n = (n - 1) / 26 }
        return name
    }
}
