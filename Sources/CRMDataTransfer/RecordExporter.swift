import CRMKernel
import Foundation

/// The file formats of an export.
public enum ExportFormat: String, Sendable, CaseIterable {
    case csv, xlsx

    /// The format a file name asks for (`.xlsx`, else CSV).
    public static func forFile(_ path: String) -> ExportFormat { ImportTable.isWorkbook(path) ? .xlsx : .csv }
}

/// Exports every record of an entity the caller may see, page by page: the records are never
/// all in memory, and an .xlsx export streams its sheet to disk (`XLSXWriter`). Secret fields
/// and the fields hidden from the caller are left out. The header row holds field names, so the
/// file imports again as it is.
public struct RecordExporter {
    let store: RecordStore
    let entity: EntitySchema
    let access: AccessGuard?

    /// Prepares an export of `entity` for `access` (nil: the system).
    public init(store: RecordStore, entity: EntitySchema, access: AccessGuard?) {
        self.store = store
        self.entity = entity
        self.access = access
    }

    /// The exported columns.
    public var fields: [FieldDefinition] {
        let hidden = entity.secretFieldNames.union(access?.hiddenFields(entity.name) ?? [])
        return entity.fields.filter { !hidden.contains($0.name) }
    }

    /// Writes an .xlsx workbook to `url`; returns the number of records.
    @discardableResult
    public func writeWorkbook(to url: URL, pageSize: Int = 1000) throws -> Int {
        try access?.require(.export, on: entity.name)
        let writer = try XLSXWriter(url: url, sheetName: entity.definition.label.zh.isEmpty ? entity.name : entity.definition.label.zh)
        let fields = self.fields
        try writer.addHeader(fields.map(\.name))
        let count = try eachPage(pageSize) { records in
            for r in records { try writer.addRow(fields.map { Self.cell($0.name == "id" ? .integer(r.id) : r[$0.name], $0) }) }
        }
        try writer.finish()
        return count
    }

    /// Writes CSV text, a page at a time, to `write`; returns the number of records.
    @discardableResult
    public func writeCSV(pageSize: Int = 1000, _ write: (String) throws -> Void) throws -> Int {
        try access?.require(.export, on: entity.name)
        let names = fields.map(\.name)
        try write(names.map(TableFile.csvQuote).joined(separator: ",") + "\n")
        return try eachPage(pageSize) { records in
            var chunk = ""
            for r in records {
                chunk += names.map { n in n == "id" ? String(r.id) : TableFile.csvQuote(Self.text(r[n])) }.joined(separator: ",") + "\n"
            }
            try write(chunk)
        }
    }

    func eachPage(_ pageSize: Int, _ body: ([Record]) throws -> Void) throws -> Int {
        var query = Query(entity.name, limit: pageSize)
        var count = 0
        while true {
            let page = try store.find(query, as: access)
            try body(page.records)
            count += page.records.count
            guard let next = page.nextCursor else { return count }
            query.after = next
        }
    }

    /// A value as CSV text.
    public static func text(_ v: Value) -> String {
        switch v {
        case .null: return ""
        case .list(let l): return l.joined(separator: ",")
        case .datetime(let d): return DateCoding.iso(d)
        default: return v.description
        }
    }

    /// A value as a workbook cell: numbers as numbers, everything else (phones included) as text.
    static func cell(_ v: Value, _ field: FieldDefinition) -> XLSXWriter.Cell {
        switch v {
        case .null: return .empty
        case .integer(let i) where field.type != .phone: return .number(String(i))
        case .decimal(let d): return .number(d.plainString)
        case .real(let r) where r.isFinite: return .number(String(r))
        default:
            let t = text(v)
            return t.isEmpty ? .empty : .text(t)
        }
    }
}
