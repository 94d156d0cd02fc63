import Foundation
import GRDB
import GRDBSQLite

/// A record written straight from its row as the JSON object the API sends, with its version.
public struct StoredRecordJSON: Sendable {
    /// `{"id":…,"field":…}`: `id` first, then the entity's fields in order, without the fields
    /// hidden from the reader; byte for byte what `JSONBytes.append` writes for the decoded
    /// record's values.
    public var bytes: [UInt8]
    /// The record's `version` (for an `ETag`), when it has one.
    public var version: Int64?
}

extension RecordReader {
    /// The record with `id` as JSON bytes, or nil when it does not exist or (for a restricted
    /// reader) is outside the user's scope. Fields hidden from the reader are left out.
    ///
    /// The hot path of API reads: the row's columns go to JSON without building a `Record`
    /// (no dictionary, no `Decimal`, no date parsing for the stored forms the store writes).
    public func json(_ entityName: String, _ id: Int64) throws -> StoredRecordJSON? {
        let entity = try schema.entity(entityName)
        let statement = try db.cachedStatement(sql: entity.selectSQL + " WHERE id = ?")
        // A cursor of the id column steps the statement without building a `Row` (which copies
        // and lowercases every column name); the columns are read from the statement itself.
        let cursor = try Int64.fetchCursor(statement, arguments: [id])
        // The cursor resets the statement when it is released: keep it until the columns are read.
        return try withExtendedLifetime(cursor) { () throws -> StoredRecordJSON? in
            guard try cursor.next() != nil else { return nil }
            return write(entity, RowColumns(statement: statement.sqliteStatement))
        }
    }

    /// One page of `query` as JSON: what `find` returns, written straight from the rows as the
    /// `[…]` array the API sends (each record as `json` writes it), with the next page's cursor.
    ///
    /// The hot path of API lists: no `Record`, dictionary, `Decimal` or date parse per row. The
    /// user's scope is in the query itself (as in `find`); hidden fields are left out.
    public func findJSON(_ query: Query) throws -> StoredPageJSON {
        let entity = try schema.entity(query.entity)
        try query.filter?.checkLimits()
        let query = try limited(query, entity)
        var bytes: [UInt8] = [0x5B]
        guard let statements = try selectStatements(query, entity) else { return StoredPageJSON(bytes: [0x5B, 0x5D], nextCursor: nil) }
        let limit = query.limit.map { max(0, $0) }
        let hidden = restriction?.hiddenFields(entity.name) ?? []
        let keyFields = query.sort.filter { $0.field != "id" }.map { s in entity.fields.firstIndex { $0.name == s.field }! } + [0]
        bytes.reserveCapacity(512 * min(limit ?? 20, 100))
        var next: String?
        var written = 0, lastKey: [DatabaseValue] = []
        /// Writes the rows of one statement; false once a row past the page was met.
        func writeRows(_ sql: String, _ args: [DatabaseValue]) throws -> Bool {
            let statement = try db.cachedStatement(sql: sql)
            let cursor = try Int64.fetchCursor(statement, arguments: StatementArguments(args))  // as in `json`
            // The cursor resets the statement when it is released: keep it until the columns are read.
            return try withExtendedLifetime(cursor) {
                let columns = RowColumns(statement: statement.sqliteStatement)
                while try cursor.next() != nil {
                    if let limit, written == limit {
                        // A row past the page: the next page starts after the last one written
                        // (an empty page has none, as in `find`).
                        if limit > 0 { next = PageCursor.encode(lastKey) }
                        return false
                    }
                    if written > 0 { bytes.append(0x2C) }
                    append(entity, columns, hidden: hidden, to: &bytes)
                    written += 1
                    if let limit, written == limit { lastKey = keyFields.map { columns.databaseValue($0) } }
                }
                return true
            }
        }
        func writeRows() throws {
            for (sql, args) in statements where try !writeRows(sql, args) { return }
        }
        // Only filtered or searched queries can be costly; a plain page skips the budget.
        if query.filter == nil && query.search == nil { try writeRows() } else { try QueryBudget.run(db) { try writeRows() } }
        bytes.append(0x5D)
        return StoredPageJSON(bytes: bytes, nextCursor: next)
    }

    /// The row `columns` stands on as JSON, or nil when the reader may not see it.
    private func write(_ entity: EntitySchema, _ columns: RowColumns) -> StoredRecordJSON? {
        let fields = entity.fields
        if let restriction {
            let owner = fields.firstIndex { $0.name == "owner" }.map { columns.value($0, fields[$0]) } ?? .null
            guard restriction.canSee(owner: owner, entity) else { return nil }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1024)
        let version = append(entity, columns, hidden: restriction?.hiddenFields(entity.name) ?? [], to: &bytes)
        return StoredRecordJSON(bytes: bytes, version: version)
    }

    /// Appends the row `columns` stands on as a JSON object, without the `hidden` fields;
    /// returns its `version` when it has one.
    @discardableResult
    private func append(_ entity: EntitySchema, _ columns: RowColumns, hidden: Set<String>, to bytes: inout [UInt8]) -> Int64? {
        let jsonColumns = entity.jsonColumns
        bytes.append(contentsOf: "{\"id\":".utf8)
        JSONBytes.appendInteger(columns.integer(0), to: &bytes)
        var version: Int64?
        for i in 0..<jsonColumns.count {
            let c = jsonColumns[i]
            guard !c.isID, hidden.isEmpty || !hidden.contains(c.name) else { continue }
            if c.isVersion, case .integer(let v) = columns.value(i, entity.fields[i]) { version = v }
            bytes.append(contentsOf: c.key)
            columns.appendJSON(i, c, entity.fields[i], to: &bytes)
        }
        bytes.append(0x7D)
        return version
    }
}

/// One page of records as JSON (`RecordReader.findJSON`).
public struct StoredPageJSON: Sendable {
    /// `[{…},{…}]`: the page's records as `RecordReader.json` writes each.
    public var bytes: [UInt8]
    /// The cursor of the next page, nil on the last one (as `Page.nextCursor`).
    public var nextCursor: String?
}

/// The columns of the row a statement stands on, read with SQLite's C API.
private struct RowColumns {
    let statement: SQLiteStatement

    func integer(_ i: Int) -> Int64 { sqlite3_column_int64(statement, Int32(i)) }

    /// The column as GRDB reads it.
    func databaseValue(_ i: Int) -> DatabaseValue { DatabaseValue(sqliteStatement: statement, index: Int32(i)) }

    /// The column as `ValueCodec.decode` reads it (GRDB's `DatabaseValue` of the column).
    func value(_ i: Int, _ field: FieldDefinition) -> Value {
        ValueCodec.decode(DatabaseValue(sqliteStatement: statement, index: Int32(i)), field)
    }

    /// Appends column `i` (of `field`) as JSON: what `JSONBytes.append(ValueCodec.decode(...))`
    /// writes, with the common stored forms written without decoding them.
    /// `field` is read only for the rare forms decoded first.
    func appendJSON(_ i: Int, _ column: JSONColumn, _ field: @autoclosure () -> FieldDefinition, to bytes: inout [UInt8]) {
        let index = Int32(i)
        switch sqlite3_column_type(statement, index) {
        case SQLITE_NULL:
            bytes.append(contentsOf: "null".utf8)
        case SQLITE_INTEGER:
            let n = sqlite3_column_int64(statement, index)
            switch column.type {
            case .boolean: bytes.append(contentsOf: (n != 0 ? "true" : "false").utf8)
            case .decimal, .money: JSONBytes.appendScaledDecimal(n, scale: column.scale, to: &bytes)
            default: JSONBytes.appendInteger(n, to: &bytes)
            }
        case SQLITE_TEXT:
            switch column.type {
            case .datetime:
                let count = Int(sqlite3_column_bytes(statement, index))
                if let text = sqlite3_column_text(statement, index),
                   JSONBytes.isCanonicalInstant(UnsafeBufferPointer(start: text, count: count)) {
                    bytes.append(0x22)
                    bytes.append(contentsOf: UnsafeBufferPointer(start: text, count: count))
                    bytes.append(0x22)
                } else {
                    JSONBytes.append(value(i, field()), to: &bytes)
                }
            case .multiChoice, .tags:
                // As GRDB reads text (up to a NUL, invalid UTF-8 repaired), then as stored.
                var text = String(cString: sqlite3_column_text(statement, index))
                let verbatim = text.withUTF8 { utf8 in
                    guard JSONBytes.isCanonicalList(utf8) else { return false }
                    bytes.append(contentsOf: utf8)
                    return true
                }
                if !verbatim { JSONBytes.append(.list(JSONList.decode(text)), to: &bytes) }
            default:
                JSONBytes.appendString(String(cString: sqlite3_column_text(statement, index)), to: &bytes)
            }
        default:
            JSONBytes.append(value(i, field()), to: &bytes)
        }
    }
}

extension RecordStore {
    /// The record as the JSON object the API sends (see `RecordReader.json`), or nil. Like
    /// `get`, one SELECT without a read transaction around it; with `access`, nil also when
    /// the record is outside the user's scope, and without the fields hidden from them.
    public func json(_ entity: String, _ id: Int64, as access: AccessGuard? = nil) throws -> StoredRecordJSON? {
        let schema = self.schema
        return try hotRead(isolated: false) { db in try RecordReader(db: db, schema: schema, access: access).json(entity, id) }
    }

    /// One page of a query as JSON (see `RecordReader.findJSON`): with `access`, within the
    /// user's scope and without the fields hidden from them. One SELECT, so like `json` without
    /// a read transaction around it.
    public func findJSON(_ query: Query, as access: AccessGuard? = nil) throws -> StoredPageJSON {
        let schema = self.schema
        return try hotRead(isolated: false) { db in try RecordReader(db: db, schema: schema, access: access).findJSON(query) }
    }
}
