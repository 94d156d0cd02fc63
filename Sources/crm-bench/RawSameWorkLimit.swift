import CRMCustomers
import CRMKernel
import Foundation
import GRDB
import GRDBSQLite

/// The second limit: raw SQLite doing the *same work* per record as the kernel's import — the
/// entity row with all its indexes (the same values the kernel stores, the customers module's
/// 查重 keys and assignment time included), the full-text row (the kernel's own bigram tokens,
/// in the shard of the record's id), one row per tag in the tag index, the audit row and the
/// outbox row (both with the record as JSON) — with one prepared statement per table, all in one
/// transaction. Nothing else: no hooks, no validation, no 查重 lookups, no value decoding. The
/// tables are copied from a kernel workspace.
///
/// It is written to a chunk at a time (`write`), so a benchmark can take turns between it and
/// the kernel's import over the same rows and whatever else the machine does weighs on both.
final class RawSameWorkLimit {
    private let db: OpaquePointer
    private let columns: [String]
    private let searchTable: String
    private let insert, audit, outbox: OpaquePointer
    private var searches: [Int: OpaquePointer] = [:]
    private let lists: [String: OpaquePointer]
    private let searchFields = ["name", "contact_name", "phone", "tags"]
    private let now = DateCoding.iso(Date())
    /// Time spent writing so far, and rows written.
    private(set) var nanoseconds: UInt64 = 0
    private(set) var count = 0

    /// Copies the tables from a fresh kernel workspace into `dir` and opens the transaction.
    init(in dir: URL) throws {
        let schemaDir = dir.appendingPathComponent("schema")
        try KernelBench.open(schemaDir, scripts: true).workspace.close()
        let pool = try DatabasePool(path: Workspace.databaseURL(in: schemaDir).path)
        let (statements, columns, listTables) = try pool.read { db -> ([String], [String], [String: String]) in
            // e_customer and its indexes, the full-text table (not its shadow tables: they come with
            // it), the tag-index tables with their indexes, _audit and _outbox.
            let sql = try String.fetchAll(db, sql: """
                SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND (
                  tbl_name IN ('e_customer', 's_customer', '_audit', '_outbox') OR tbl_name LIKE 'l\\_8\\_customer\\_%' ESCAPE '\\')
                ORDER BY CASE type WHEN 'table' THEN 0 ELSE 1 END
                """)
            let cols = try db.columns(in: "e_customer").map(\.name).filter { $0 != "id" && $0 != "version" }
            var lists: [String: String] = [:]
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'l\\_8\\_customer\\_%' ESCAPE '\\'") {
                lists[String(table.dropFirst("l_8_customer_".count))] = table
            }
            return (sql, cols, lists)
        }
        let path = dir.appendingPathComponent("same-work.sqlite").path
        var handle: OpaquePointer?
        guard sqlite3_open(path, &handle) == SQLITE_OK, let db = handle else { throw RawSQLiteLimit.RawError("cannot open \(path)") }
        self.db = db
        self.columns = columns
        try RawSQLiteLimit.exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY")
        for s in statements { try RawSQLiteLimit.exec(db, s) }
        // The kernel's own definition of the full-text table, for the shards made below.
        guard let searchTable = statements.first(where: { $0.hasPrefix("CREATE VIRTUAL TABLE") && $0.contains("s_customer") }) else {
            throw RawSQLiteLimit.RawError("no full-text table in the kernel workspace")
        }
        self.searchTable = searchTable
        let marks = Array(repeating: "?", count: columns.count).joined(separator: ",")
        insert = try Self.prepare(db, "INSERT INTO e_customer (\(columns.map { "\"\($0)\"" }.joined(separator: ","))) VALUES (\(marks))")
        // The full-text rows go to the shard of their id (65,536 ids a shard), as the kernel's do
        // (`SearchIndex+Shards`).
        searches[0] = try Self.prepare(db, "INSERT INTO s_customer(rowid, body) VALUES (?, ?)")
        lists = try listTables.mapValues { try Self.prepare(db, "INSERT OR IGNORE INTO \"\($0)\" (_item, _record) VALUES (?, ?)") }
        audit = try Self.prepare(db, "INSERT INTO _audit (at, user_id, user_name, action, entity, record_id, changes) VALUES (?,?,?,?,?,?,?)")
        outbox = try Self.prepare(db, "INSERT INTO _outbox (event, entity, record_id, user_id, at, payload) VALUES (?,?,?,?,?,?)")
        try RawSQLiteLimit.exec(db, "BEGIN")
    }

    deinit {
        for s in [insert, audit, outbox] + Array(lists.values) + Array(searches.values) { sqlite3_finalize(s) }
        sqlite3_close(db)
    }

    /// Commits (timed) and returns the rows per second of all the writes.
    func finish() throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try RawSQLiteLimit.exec(db, "COMMIT")
        nanoseconds += DispatchTime.now().uptimeNanoseconds - start
        return Double(count) / (Double(nanoseconds) / 1e9)
    }

    /// The values the kernel stores for a generated row beyond the row itself: the customers
    /// module's 查重 keys and the assignment time of an owned customer. Computed before the timer
    /// starts (finding them is 查重's work; storing them is the row's).
    private func stored(_ row: [String: Value]) -> [String: Value] {
        var row = row
        if case .text(let name) = row["name"] ?? .null, let key = DuplicateKeys.name(name) { row["name_key"] = .text(key) }
        if case .text(let phone) = row["phone"] ?? .null, let key = DuplicateKeys.phone(phone) { row["phone_key"] = .text(key) }
        if row["owner"] != nil { row["assigned_at"] = .text(now) }
        return row
    }

    /// Writes `rows` (timed) in the open transaction.
    func write(_ rows: [[String: Value]]) throws {
        let rows = rows.map(stored)
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        let start = DispatchTime.now().uptimeNanoseconds
        for row in rows {
            var auditJSON = "{", recordJSON = ""
            for (i, column) in columns.enumerated() {
                let index = Int32(i + 1)
                let value = column == "created_at" || column == "updated_at" ? Value.text(now) : (row[column] ?? .null)
                let encoded: String
                switch value {
                case .text(let s): Self.bindText(insert, index, s, transient); encoded = Self.quote(s)
                case .integer(let n): sqlite3_bind_int64(insert, index, n); encoded = String(n)
                case .list(let l):
                    encoded = "[" + l.map(Self.quote).joined(separator: ",") + "]"
                    Self.bindText(insert, index, encoded, transient)
                default: sqlite3_bind_null(insert, index); continue
                }
                if auditJSON.count > 1 { auditJSON += ","; recordJSON += "," }
                auditJSON += Self.quote(column) + ":[null," + encoded + "]"
                recordJSON += Self.quote(column) + ":" + encoded
            }
            try step(insert)
            let id = sqlite3_last_insert_rowid(db)
            var text = ""
            for field in searchFields {
                switch row[field] ?? .null {
                case .text(let s): text += s + " "
                case .list(let l): text += l.joined(separator: " ") + " "
                default: continue
                }
            }
            let searchInsert = try search(id)
            sqlite3_bind_int64(searchInsert, 1, id)
            Self.bindText(searchInsert, 2, SearchTokenizer.indexText(text), transient)
            try step(searchInsert)
            for (field, statement) in lists {
                guard case .list(let items) = row[field] ?? .null else { continue }
                for item in items {
                    Self.bindText(statement, 1, item, transient)
                    sqlite3_bind_int64(statement, 2, id)
                    try step(statement)
                }
            }
            let owner: Int64 = 1
            Self.bindText(audit, 1, now, transient)
            sqlite3_bind_int64(audit, 2, owner)
            Self.bindText(audit, 3, "bench", transient)
            Self.bindText(audit, 4, "create", transient)
            Self.bindText(audit, 5, "customer", transient)
            sqlite3_bind_int64(audit, 6, id)
            Self.bindText(audit, 7, auditJSON + "}", transient)
            try step(audit)
            Self.bindText(outbox, 1, "customer.after_create", transient)
            Self.bindText(outbox, 2, "customer", transient)
            sqlite3_bind_int64(outbox, 3, id)
            sqlite3_bind_int64(outbox, 4, owner)
            Self.bindText(outbox, 5, now, transient)
            Self.bindText(outbox, 6, "{\"record\":{\"id\":\(id)," + recordJSON + "}}", transient)
            try step(outbox)
        }
        nanoseconds += DispatchTime.now().uptimeNanoseconds - start
        count += rows.count
    }

    /// The full-text insert for the shard of `id`, creating the shard on first use.
    private func search(_ id: Int64) throws -> OpaquePointer {
        let shard = Int(id >> 16)
        if let statement = searches[shard] { return statement }
        try RawSQLiteLimit.exec(db, searchTable.replacingOccurrences(of: "s_customer", with: "ss_customer_\(shard)"))
        let statement = try Self.prepare(db, "INSERT INTO ss_customer_\(shard)(rowid, body) VALUES (?, ?)")
        searches[shard] = statement
        return statement
    }

    private func step(_ s: OpaquePointer) throws {
        guard sqlite3_step(s) == SQLITE_DONE else { throw RawSQLiteLimit.RawError(String(cString: sqlite3_errmsg(db))) }
        sqlite3_reset(s)
    }

    private static func prepare(_ db: OpaquePointer, _ sql: String) throws -> OpaquePointer {
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil) == SQLITE_OK, let s = stmt else {
            throw RawSQLiteLimit.RawError(String(cString: sqlite3_errmsg(db)))
        }
        return s
    }

    /// A JSON string literal.
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Binds a Swift string (copied by SQLite).
    static func bindText(_ statement: OpaquePointer, _ index: Int32, _ text: String, _ destructor: sqlite3_destructor_type) {
        _ = GRDBSQLite.sqlite3_bind_text(statement, index, text, -1, destructor)
    }
}
