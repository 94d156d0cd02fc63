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
    /// How long one query may run, in seconds, unless a longer pass set its own limit (2).
    public static let seconds: Double = 2
    /// The limit for queries run by the current task or thread (`withLimit`).
    @TaskLocal static var limit: Double = seconds

    /// Runs `body` with each of its queries allowed `seconds`: for a pass over the whole book
    /// that a job, the console or an operator starts (公海 reclaim counts every due customer), not
    /// a request. On a busy machine such a count over 1,000,000 customers passed 2 s and the
    /// reclaim stopped. It is still bounded, so a runaway query still ends.
    public static func withLimit<T>(_ seconds: Double, _ body: () throws -> T) rethrows -> T {
        try $limit.withValue(seconds) { try body() }
    }
    /// VM steps between two looks at the clock.
    static let stepsPerCheck: Int32 = 20_000

    /// Runs `body` (queries on `db`) under the time budget; a query past it throws a
    /// `KernelError` of kind `.storage` saying so.
    public static func run<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        let deadline = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        let allowed = limit
        deadline.initialize(to: monotonicNanoseconds() + UInt64(allowed * 1_000_000_000))
        defer { deadline.deallocate() }
        let connection = db.sqliteConnection
        sqlite3_progress_handler(connection, stepsPerCheck, { context in
            guard let context else { return 0 }
            return QueryBudget.monotonicNanoseconds() > context.assumingMemoryBound(to: UInt64.self).pointee ? 1 : 0
        }, UnsafeMutableRawPointer(deadline))
        defer { sqlite3_progress_handler(connection, 0, nil, nil) }
        do { return try body() } catch let error as DatabaseError where error.resultCode == .SQLITE_INTERRUPT {
            throw KernelError(.storage, "the query ran longer than \(allowed == allowed.rounded() ? String(Int(allowed)) : String(allowed)) s and was stopped; narrow the filter or the search")
        }
    }

    static func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
