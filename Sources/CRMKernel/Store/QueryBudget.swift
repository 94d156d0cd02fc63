import Foundation
import GRDB
import GRDBSQLite

/// Bounds the time one read query may run: SQLite calls a progress handler every few thousand
/// virtual-machine steps, and the handler interrupts the statement once the deadline passed.
/// The query then fails with a clear error instead of holding a connection (and the requests
/// queued behind it) for seconds.
///
/// Cost: installing and removing the handler are two C calls per query; the handler itself runs
/// once per `stepsPerCheck` VM steps (a clock read), which a short query never reaches.
public enum QueryBudget {
    /// How long one query may run, in seconds (default 2).
    public static let seconds: Double = 2
    /// VM steps between two looks at the clock.
    static let stepsPerCheck: Int32 = 20_000

    /// Runs `body` (queries on `db`) under the time budget; a query past it throws a
    /// `KernelError` of kind `.storage` saying so.
    public static func run<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        let deadline = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        deadline.initialize(to: monotonicNanoseconds() + UInt64(seconds * 1_000_000_000))
        defer { deadline.deallocate() }
        let connection = db.sqliteConnection
        sqlite3_progress_handler(connection, stepsPerCheck, { context in
            guard let context else { return 0 }
            return QueryBudget.monotonicNanoseconds() > context.assumingMemoryBound(to: UInt64.self).pointee ? 1 : 0
        }, UnsafeMutableRawPointer(deadline))
        defer { sqlite3_progress_handler(connection, 0, nil, nil) }
        do { return try body() } catch let error as DatabaseError where error.resultCode == .SQLITE_INTERRUPT {
            throw KernelError(.storage, "the query ran longer than \(Int(seconds)) s and was stopped; narrow the filter or the search")
        }
    }

    static func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
