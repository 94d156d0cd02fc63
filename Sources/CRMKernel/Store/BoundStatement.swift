import GRDB
import GRDBSQLite

/// Executing a cached write statement with its values bound straight through SQLite's C API.
///
/// GRDB's `StatementArguments` is built by generic code that the compiler cannot specialize
/// across the package boundary: for the 24 columns of a customer insert it cost 3.4–3.8 µs
/// (measured in a release build), most of it a key path instantiated per call and an
/// unspecialized `map`. The store's per-record statements (the entity row, its full-text row,
/// tag items, the audit and outbox rows) run once or more per record written, so they bind
/// here instead.
///
/// Only the successful path is bypassed. When the step fails, the statement is run once more
/// through GRDB's own `execute(arguments:)`, which repeats the failure (a constraint, a full
/// disk) and reports it with GRDB's bookkeeping and error, exactly as before. If the failure
/// ended the surrounding transaction, there is nothing to repeat it in: the error is thrown as
/// SQLite gave it.
extension Statement {
    /// Runs this statement (an INSERT, UPDATE or DELETE) once with `values` bound to its
    /// positional parameters, in order.
    func executeBound(_ values: [DatabaseValue]) throws {
        // A count that does not fit is GRDB's to report ("wrong number of statement arguments").
        guard fits(values) else { return try execute(arguments: StatementArguments(values)) }
        guard case .failed(let failure, let transactionEnded) = stepBound(values, row: { false }) else { return }
        if transactionEnded { throw failure }
        try execute(arguments: StatementArguments(values))
    }

    /// Runs this statement (a `SELECT` of one integer column, such as `SELECT id …`) with
    /// `values` bound, and returns the column of every row. As with `executeBound`, only success
    /// is bypassed: a failed step, a count that does not fit or a value that is not an integer
    /// runs the query again through GRDB's `Int64.fetchAll`, which reports it.
    func fetchIDsBound(_ values: [DatabaseValue]) throws -> [Int64] {
        let handle = sqliteStatement
        guard fits(values), sqlite3_column_count(handle) == 1 else { return try Int64.fetchAll(self, arguments: StatementArguments(values)) }
        var ids: [Int64] = []
        switch stepBound(values, row: {
            guard sqlite3_column_type(handle, 0) == SQLITE_INTEGER else { return false }
            ids.append(sqlite3_column_int64(handle, 0))
            return true
        }) {
        case .done: return ids
        case .failed(let failure, transactionEnded: true): throw failure
        case .stopped, .failed: return try Int64.fetchAll(self, arguments: StatementArguments(values))
        }
    }

    /// How a bound run ended (`stepBound`).
    private enum BoundRun {
        /// Every row was read and the statement finished.
        case done
        /// The row handler stopped at a row.
        case stopped
        /// A step failed; `transactionEnded`: the failure ended the surrounding transaction, so
        /// there is nothing to repeat it in.
        case failed(DatabaseError, transactionEnded: Bool)
    }

    /// Whether `values` fill this statement's parameters exactly.
    private func fits(_ values: [DatabaseValue]) -> Bool {
        Int(sqlite3_bind_parameter_count(sqliteStatement)) == values.count
    }

    /// Binds `values` and steps the statement, handing each row to `row` until it returns
    /// false; then resets the statement and clears its bindings. SQLite's error is captured
    /// before the reset.
    private func stepBound(_ values: [DatabaseValue], row: () -> Bool) -> BoundRun {
        let handle = sqliteStatement
        let connection = sqlite3_db_handle(handle)
        let inTransaction = sqlite3_get_autocommit(connection) == 0
        _ = sqlite3_reset(handle)
        var bound = true
        for (offset, value) in values.enumerated() where bound { bound = bind(value, at: Int32(offset + 1)) == SQLITE_OK }
        var code = bound ? sqlite3_step(handle) : SQLITE_MISUSE
        while code == SQLITE_ROW && row() { code = sqlite3_step(handle) }
        let failure = code == SQLITE_DONE || code == SQLITE_ROW ? nil
            : DatabaseError(resultCode: ResultCode(rawValue: sqlite3_extended_errcode(connection)),
                            message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        _ = sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        if let failure { return .failed(failure, transactionEnded: inTransaction && sqlite3_get_autocommit(connection) != 0) }
        return code == SQLITE_DONE ? .done : .stopped
    }

    /// Binds one value; SQLite's result code (a value too big, out of memory).
    private func bind(_ value: DatabaseValue, at index: Int32) -> Int32 {
        let handle = sqliteStatement
        switch value.storage {
        case .null: return sqlite3_bind_null(handle, index)
        case .int64(let i): return sqlite3_bind_int64(handle, index, i)
        case .double(let d): return sqlite3_bind_double(handle, index, d)
        case .string(var s):
            return s.withUTF8 { utf8 in
                guard utf8.count <= Int32.max else { return SQLITE_TOOBIG }
                guard let base = utf8.baseAddress, utf8.count > 0 else { return sqlite3_bind_text(handle, index, "", 0, nil) }
                return sqlite3_bind_text(handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(utf8.count), Self.transient)
            }
        case .blob(let data):
            return data.withUnsafeBytes { bytes in
                guard bytes.count <= Int32.max else { return SQLITE_TOOBIG }
                guard let base = bytes.baseAddress, bytes.count > 0 else { return sqlite3_bind_zeroblob(handle, index, 0) }
                return sqlite3_bind_blob(handle, index, base, Int32(bytes.count), Self.transient)
            }
        }
    }

    /// `SQLITE_TRANSIENT`: SQLite copies the bytes before the bind call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
