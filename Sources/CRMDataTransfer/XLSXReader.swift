import CRMKernel
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// Reads one sheet of an .xlsx workbook (Office Open XML) into a `SheetTable`.
///
/// The ZIP container is read with ZIPFoundation and every XML part with Foundation's streaming
/// `XMLParser`, so a large sheet is never held as one string. Handled: shared strings (rich text
/// runs joined), inline strings, numbers, booleans, formulas (their cached value; a formula
/// Excel never calculated reads as empty), error cells (empty), merged cells (the top-left value
/// fills every cell of the range, as people read it), and rows that hold no value (skipped and
/// never stored, so a sheet with a million formatted empty rows costs no memory).
/// Each part's uncompressed size is capped (`Limits`): a zip bomb is refused with an error.
public struct XLSXReader {
    /// Caps that keep a hostile file from exhausting the machine.
    public struct Limits: Sendable {
        /// Largest uncompressed size of one part (sheet, shared strings, workbook).
        public var maxPartBytes: Int64
        /// Creates limits (default: 1 GiB per part).
        public init(maxPartBytes: Int64 = 1 << 30) { self.maxPartBytes = maxPartBytes }
    }

    let file: String
    let archive: Archive
    let limits: Limits

    /// Opens `file`; throws a validation error naming it when it is not an .xlsx workbook.
    public init(file: String, limits: Limits = Limits()) throws {
        self.file = file
        self.limits = limits
        guard FileManager.default.fileExists(atPath: file) else { throw KernelError(.notFound, "\(file): cannot open file") }
        do {
            archive = try Archive(url: URL(fileURLWithPath: file), accessMode: .read)
        } catch {
            throw KernelError(.validation, "\(file): not an .xlsx workbook (not a ZIP archive)")
        }
        guard archive["xl/workbook.xml"] != nil else {
            throw KernelError(.validation, "\(file): not an .xlsx workbook (no xl/workbook.xml inside)")
        }
    }

    /// The workbook's sheets in order: name and the path of its part.
    public func sheets() throws -> [(name: String, path: String)] {
        let book = XMLCollector(elements: ["sheet"])
        try parse("xl/workbook.xml", book)
        let rels = XMLCollector(elements: ["Relationship"])
        if archive["xl/_rels/workbook.xml.rels"] != nil { try parse("xl/_rels/workbook.xml.rels", rels) }
        var targets: [String: String] = [:]
        for r in rels.found { if let id = r["Id"], let target = r["Target"] { targets[id] = target } }
        return book.found.enumerated().map { index, sheet in
            let rid = sheet["r:id"] ?? sheet.first(where: { $0.key.hasSuffix(":id") })?.value ?? ""
            var target = targets[rid] ?? "worksheets/sheet\(index + 1).xml"
            if target.hasPrefix("/") { target.removeFirst() } else { target = "xl/" + target }
            return (sheet["name"] ?? "Sheet\(index + 1)", target)
        }
    }

    /// Reads sheet `name` (nil: the first) with its first non-empty row as the header.
    public func read(sheet name: String?) throws -> SheetTable {
        let all = try sheets()
        guard !all.isEmpty else { throw KernelError(.validation, "\(file): the workbook has no sheet") }
        let chosen: (name: String, path: String)
        if let name {
            guard let match = all.first(where: { $0.name == name }) ?? Int(name).flatMap({ $0 >= 1 && $0 <= all.count ? all[$0 - 1] : nil }) else {
                throw KernelError(.notFound, "\(file): no sheet '\(name)' (sheets: \(all.map(\.name).joined(separator: ", ")))")
            }
            chosen = match
        } else {
            chosen = all[0]
        }
        guard archive[chosen.path] != nil else { throw KernelError(.validation, "\(file): sheet '\(chosen.name)' has no part \(chosen.path)") }
        let strings = SharedStringsCollector()
        if archive["xl/sharedStrings.xml"] != nil { try parse("xl/sharedStrings.xml", strings) }
        let sheet = SheetCollector(sharedStrings: strings.strings)
        try parse(chosen.path, sheet)
        if let error = sheet.error { throw KernelError(.validation, "\(file): sheet '\(chosen.name)': \(error)") }
        sheet.applyMerges()
        return SheetTable(file: file, sheet: chosen.name, rows: sheet.rows)
    }

    /// Streams part `path` through `delegate`: extracted to a temporary file with the size cap
    /// checked chunk by chunk, then parsed from a stream.
    func parse(_ path: String, _ delegate: any XMLParserDelegate) throws {
        guard let entry = archive[path] else { throw KernelError(.validation, "\(file): missing part \(path)") }
        guard entry.uncompressedSize <= UInt64(limits.maxPartBytes) else { throw bomb(path) }
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("crm-xlsx-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: temp) }
        _ = FileManager.default.createFile(atPath: temp.path, contents: nil)
        let out = try FileHandle(forWritingTo: temp)
        var total: Int64 = 0
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                total += Int64(chunk.count)
                if total > limits.maxPartBytes { throw PartTooLarge() }
                out.write(chunk)
            }
            try out.close()
        } catch is PartTooLarge {
            try? out.close()
            throw bomb(path)
        } catch {
            try? out.close()
            throw KernelError(.validation, "\(file): damaged .xlsx (cannot unpack \(path): \(error))")
        }
        guard let stream = InputStream(url: temp) else { throw KernelError(.storage, "\(file): cannot read unpacked \(path)") }
        let parser = XMLParser(stream: stream)
        parser.delegate = delegate
        if !parser.parse() {
            let where_ = "line \(parser.lineNumber)"
            throw KernelError(.validation, "\(file): damaged .xlsx (\(path) is not well-formed XML at \(where_): \(parser.parserError.map { "\($0)" } ?? "unknown error"))")
        }
    }

    func bomb(_ path: String) -> KernelError {
        KernelError(.validation, "\(file): refused: \(path) unpacks to more than \(limits.maxPartBytes / (1 << 20)) MiB (a zip bomb or an oversized sheet); nothing was imported")
    }
}

private struct PartTooLarge: Error {}

/// One sheet's non-empty rows: the sheet row number and the cells by zero-based column.
public struct SheetTable: Sendable {
    /// The file read.
    public var file: String
    /// The sheet's name.
    public var sheet: String
    /// Rows holding at least one value, in order.
    public var rows: [(number: Int, cells: [Int: String])]
}

/// Collects the attributes of chosen elements.
final class XMLCollector: NSObject, XMLParserDelegate {
    let elements: Set<String>
    var found: [[String: String]] = []
    init(elements: Set<String>) { self.elements = elements }
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if elements.contains(name) { found.append(attributes) }
    }
}

/// The shared strings table: each `<si>`'s text, rich-text runs joined, phonetic runs left out.
final class SharedStringsCollector: NSObject, XMLParserDelegate {
    var strings: [String] = []
    private var current = ""
    private var inText = false, inPhonetic = false
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch name {
        case "si": current = ""
        case "t": inText = !inPhonetic
        case "rPh": inPhonetic = true
        default: break
        }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { if inText { current += string } }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "si": strings.append(current)
        case "t": inText = false
        case "rPh": inPhonetic = false
        default: break
        }
    }
}
