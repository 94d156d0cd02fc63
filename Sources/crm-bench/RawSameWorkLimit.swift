import CRMKernel
import Foundation
import GRDB
import GRDBSQLite

/// The second limit: raw SQLite doing the *same work* per record as the kernel's import — the
/// entity row with all its indexes, the full-text row (the kernel's own bigram tokens, in the
/// shard of the record's id), one row per tag in the tag index, the audit row and the outbox row
/// (both with the record as JSON) — with one prepared statement per table, all in one transaction. Nothing else: no hooks, no
/// validation, no 查重, no value decoding. The tables are copied from a kernel workspace.
enum RawSameWorkLimit {
    static func measure(_ data: CustomerData, in dir: URL) throws -> Double {
        let schemaDir = dir.appendingPathComponent("schema")
        try KernelBench.open(schemaDir, scripts: true).workspace.close()
        let pool = try DatabasePool(path: Workspace.databaseURL(in: schemaDir).path)
        let (statements, columns, listTables, searchFields) = try pool.read { db -> ([String], [String], [String: String], [String]) in
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
            return (sql, cols, lists, ["name", "contact_name", "phone", "tags"])
        }
        let path = dir.appendingPathComponent("same-work.sqlite").path
        var handle: OpaquePointer?
        guard sqlite3_open(path, &handle) == SQLITE_OK, let db = handle else { throw RawSQLiteLimit.RawError("cannot open \(path)") }
        defer { sqlite3_close(db) }
        try RawSQLiteLimit.exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY")
        for s in statements { try RawSQLiteLimit.exec(db, s) }
        // The kernel's own definition of the full-text table, for the shards made below.
        guard let searchTable = statements.first(where: { $0.hasPrefix("CREATE VIRTUAL TABLE") && $0.contains("s_customer") }) else {
            throw RawSQLiteLimit.RawError("no full-text table in the kernel workspace")
        }
        func prepare(_ sql: String) throws -> OpaquePointer {
            var stmt: OpaquePointer?
            guard sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil) == SQLITE_OK, let s = stmt else {
                throw RawSQLiteLimit.RawError(String(cString: sqlite3_errmsg(db)))
            }
            return s
        }
        let marks = Array(repeating: "?", count: columns.count).joined(separator: ",")
        let insert = try prepare("INSERT INTO e_customer (\(columns.map { "\"\($0)\"" }.joined(separator: ","))) VALUES (\(marks))")
        // The full-text rows go to the shard of their id (65,536 ids a shard), as the kernel's do
        // (`SearchIndex+Shards`).
        var searches: [Int: OpaquePointer] = [0: try prepare("INSERT INTO s_customer(rowid, body) VALUES (?, ?)")]
        func search(_ id: Int64) throws -> OpaquePointer {
            let shard = Int(id >> 16)
            if let statement = searches[shard] { return statement }
            try RawSQLiteLimit.exec(db, searchTable.replacingOccurrences(of: "s_customer", with: "ss_customer_\(shard)"))
            let statement = try prepare("INSERT INTO ss_customer_\(shard)(rowid, body) VALUES (?, ?)")
            searches[shard] = statement
            return statement
        }
        let lists = try listTables.mapValues { try prepare("INSERT OR IGNORE INTO \"\($0)\" (_item, _record) VALUES (?, ?)") }
        let audit = try prepare("INSERT INTO _audit (at, user_id, user_name, action, entity, record_id, changes) VALUES (?,?,?,?,?,?,?)")
        let outbox = try prepare("INSERT INTO _outbox (event, entity, record_id, user_id, at, payload) VALUES (?,?,?,?,?,?)")
        let all = [insert, audit, outbox] + Array(lists.values)
        defer { for s in all + Array(searches.values) { sqlite3_finalize(s) } }

        let now = DateCoding.iso(Date())
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        func step(_ s: OpaquePointer) throws {
            guard sqlite3_step(s) == SQLITE_DONE else { throw RawSQLiteLimit.RawError(String(cString: sqlite3_errmsg(db))) }
            sqlite3_reset(s)
        }
        var nanoseconds: UInt64 = 0
        try RawSQLiteLimit.exec(db, "BEGIN")
        for chunk in data.chunks(of: 10_000) {
            let rows = data.rows(chunk)
            let start = DispatchTime.now().uptimeNanoseconds
            for row in rows {
                var auditJSON = "{", recordJSON = ""
                for (i, column) in columns.enumerated() {
                    let index = Int32(i + 1)
                    let value = column == "created_at" || column == "updated_at" ? Value.text(now) : (row[column] ?? .null)
                    let encoded: String
                    switch value {
                    case .text(let s): bindText(insert, index, s, transient); encoded = quote(s)
                    case .integer(let n): sqlite3_bind_int64(insert, index, n); encoded = String(n)
                    case .list(let l):
                        encoded = "[" + l.map(quote).joined(separator: ",") + "]"
                        bindText(insert, index, encoded, transient)
                    default: sqlite3_bind_null(insert, index); continue
                    }
                    if auditJSON.count > 1 { auditJSON += ","; recordJSON += "," }
                    auditJSON += quote(column) + ":[null," + encoded + "]"
                    recordJSON += quote(column) + ":" + encoded
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
                bindText(searchInsert, 2, SearchTokenizer.indexText(text), transient)
                try step(searchInsert)
                for (field, statement) in lists {
                    guard case .list(let items) = row[field] ?? .null else { continue }
                    for item in items {
                        bindText(statement, 1, item, transient)
                        sqlite3_bind_int64(statement, 2, id)
                        try step(statement)
                    }
                }
                let owner: Int64 = 1
                bindText(audit, 1, now, transient)
                sqlite3_bind_int64(audit, 2, owner)
                bindText(audit, 3, "bench", transient)
                bindText(audit, 4, "create", transient)
                bindText(audit, 5, "customer", transient)
                sqlite3_bind_int64(audit, 6, id)
                bindText(audit, 7, auditJSON + "}", transient)
                try step(audit)
                bindText(outbox, 1, "customer.after_create", transient)
                bindText(outbox, 2, "customer", transient)
                sqlite3_bind_int64(outbox, 3, id)
                sqlite3_bind_int64(outbox, 4, owner)
                bindText(outbox, 5, now, transient)
                bindText(outbox, 6, "{\"record\":{\"id\":\(id)," + recordJSON + "}}", transient)
                try step(outbox)
            }
            nanoseconds += DispatchTime.now().uptimeNanoseconds - start
        }
        let start = DispatchTime.now().uptimeNanoseconds
        try RawSQLiteLimit.exec(db, "COMMIT")
        nanoseconds += DispatchTime.now().uptimeNanoseconds - start
        return Double(data.count) / (Double(nanoseconds) / 1e9)
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
