import CRMKernel
import Foundation
import GRDB
import GRDBSQLite

/// The machine's limit: the same rows inserted into a table with the kernel's columns and
/// indexes, through the SQLite C API with one reused prepared statement in one transaction.
enum RawSQLiteLimit {
    static func measure(_ data: CustomerData, in dir: URL) throws -> Double {
        // Take the exact table and index definitions from a kernel workspace.
        let schemaDir = dir.appendingPathComponent("schema")
        try KernelBench.open(schemaDir, scripts: true).workspace.close()
        let pool = try DatabasePool(path: Workspace.databaseURL(in: schemaDir).path)
        let (statements, columns) = try pool.read { db -> ([String], [String]) in
            let sql = try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE tbl_name = 'e_customer' AND sql IS NOT NULL ORDER BY type DESC")
            let cols = try db.columns(in: "e_customer").map(\.name).filter { $0 != "id" && $0 != "version" }  // version: its default, 1
            return (sql, cols)
        }
        let path = dir.appendingPathComponent("raw.sqlite").path
        var handle: OpaquePointer?
        guard sqlite3_open(path, &handle) == SQLITE_OK, let db = handle else { throw RawError("cannot open \(path)") }
        defer { sqlite3_close(db) }
        try exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY")
        for s in statements { try exec(db, s) }
        let marks = Array(repeating: "?", count: columns.count).joined(separator: ",")
        let insert = "INSERT INTO e_customer (\(columns.map { "\"\($0)\"" }.joined(separator: ","))) VALUES (\(marks))"
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(db, insert, -1, &stmt, nil) == SQLITE_OK, let statement = stmt else { throw RawError(String(cString: sqlite3_errmsg(db))) }
        defer { sqlite3_finalize(statement) }
        let now = DateCoding.iso(Date())
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        var nanoseconds: UInt64 = 0
        try exec(db, "BEGIN")
        for chunk in data.chunks(of: 10_000) {
            let rows = data.rows(chunk)
            let start = DispatchTime.now().uptimeNanoseconds
            for row in rows {
                for (i, column) in columns.enumerated() {
                    let index = Int32(i + 1)
                    switch column == "created_at" || column == "updated_at" ? Value.text(now) : (row[column] ?? .null) {
                    case .text(let s): sqlite3_bind_text(statement, index, s, -1, transient)
                    case .integer(let n): sqlite3_bind_int64(statement, index, n)
                    case .list(let l): sqlite3_bind_text(statement, index, "[" + l.map { "\"\($0)\"" }.joined(separator: ",") + "]", -1, transient)
                    default: sqlite3_bind_null(statement, index)
                    }
                }
                guard sqlite3_step(statement) == SQLITE_DONE else { throw RawError(String(cString: sqlite3_errmsg(db))) }
                sqlite3_reset(statement)
            }
            nanoseconds += DispatchTime.now().uptimeNanoseconds - start
        }
        let start = DispatchTime.now().uptimeNanoseconds
        try exec(db, "COMMIT")
        nanoseconds += DispatchTime.now().uptimeNanoseconds - start
        let seconds = Double(nanoseconds) / 1e9
        return Double(data.count) / seconds
    }

    static func exec(_ db: OpaquePointer, _ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw RawError(String(cString: sqlite3_errmsg(db))) }
    }

    struct RawError: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }
}
