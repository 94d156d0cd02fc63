import Foundation
import GRDB

extension RecordStore {
    /// Turns SQLite's automatic WAL checkpoints (run by the committing writer) on or off.
    /// A server turns them off and calls `checkpoint(using:policy:)` from a background task
    /// instead, so no request pays for copying the log into the database.
    public func setAutomaticCheckpoints(_ on: Bool) throws {
        try setCheckpointPages { $0.normal = on ? CheckpointPages.sqliteDefault : 0 }
    }

    /// Runs `body`, a bulk write (an import's batches), with automatic checkpoints every
    /// `CheckpointPages.bulk` pages of log instead of every 1,000 — when automatic checkpoints
    /// are on at all (a server's background checkpoints are left as they are). A batch of a
    /// thousand records changes pages all over the indexes kept in random order (names, 查重
    /// keys, the full-text index); fewer, larger checkpoints copy such a page into the database
    /// once instead of once every few batches, and sync the database file less often. The
    /// usual interval comes back when the last bulk write under way ends, also on error.
    public func bulkWriting<T>(_ body: () throws -> T) throws -> T {
        try setCheckpointPages { $0.bulkWrites += 1 }
        defer { try? setCheckpointPages { $0.bulkWrites -= 1 } }
        return try body()
    }

    /// Changes the checkpoint state and applies the interval it gives to the writer connection,
    /// on the writer's queue, so concurrent changes apply in order.
    private func setCheckpointPages(_ change: (inout CheckpointPages) -> Void) throws {
        try translate {
            try pool.writeWithoutTransaction { db in
                let pages = checkpointPages.withLock { state in
                    change(&state)
                    return state.interval
                }
                try db.execute(sql: "PRAGMA wal_autocheckpoint = \(pages)")
            }
        }
    }

    /// One round of the background checkpoint policy: the log is copied into the database by
    /// passive checkpoints on `checkpointer`'s connection, which never take SQLite's writer lock,
    /// so writes go on while they copy and sync.
    ///
    /// Passive checkpoints never move the log back to its beginning. Once the frames in use
    /// reach `policy.restartAbove` bytes and a passive pass has copied every frame it saw
    /// (`complete`), the round copies what was committed meanwhile with one or two more passive
    /// passes and then restarts the log (`restartLog(sizeLimit:)`): by then only the last moment's
    /// frames are left to copy under the writer lock. Any step that finds readers of older
    /// snapshots (or, for the restart, anything else in its way) gives up at once and the next
    /// round tries again; no step waits.
    ///
    /// The log file keeps its length through restarts (up to `policy.sizeLimit`): writes reuse
    /// it. It is cut back only once the store is idle — `previous`, the round before, saw the
    /// same frames in use and this round finds them all copied — and the file is longer than
    /// `policy.idleTrimAbove`: then a truncating checkpoint empties it (`trimmed`), giving up at
    /// once if a write or a reader is in its way.
    public func checkpoint(using checkpointer: Checkpointer, policy: CheckpointPolicy = CheckpointPolicy(),
                           previous: CheckpointRound? = nil) throws -> CheckpointRound {
        var round = CheckpointRound()
        var last = try checkpoint(using: checkpointer, truncating: false)
        round.passes = 1
        round.frames = last.walFrames
        round.logBytes = last.walFrames * checkpointer.frameSize
        round.walBytes = last.walBytes
        guard !last.busy, last.complete else { return round }
        if let previous, previous.frames == last.walFrames, round.walBytes > policy.idleTrimAbove {
            let trim = try checkpoint(using: checkpointer, truncating: true)
            round.trimmed = trim.truncated
            round.walBytes = trim.walBytes
            return round
        }
        guard round.logBytes >= policy.restartAbove else { return round }
        // Copy, without the writer lock, what was committed while the previous pass ran.
        while round.passes < policy.maxPasses {
            let next = try checkpoint(using: checkpointer, truncating: false)
            round.passes += 1
            round.walBytes = next.walBytes
            let fresh = next.walFrames - last.walFrames
            last = next
            guard !next.busy, next.complete else { return round }
            if fresh <= policy.quietFrames { break }
        }
        round.restart = try restartLog(sizeLimit: policy.sizeLimit)
        return round
    }

    /// Restarts the write-ahead log from its beginning, on the pool's own writer between two
    /// writes (a write never waits for SQLite's busy handler behind it): a RESTART checkpoint
    /// with no busy handler, which copies the frames not yet in the database and gives up at
    /// once if a reader still uses the log. The next write then starts the log over, and SQLite
    /// trims a log file larger than `sizeLimit` bytes back to that size (`journal_size_limit`).
    public func restartLog(sizeLimit: Int) throws -> LogRestart {
        try translate {
            try pool.writeWithoutTransaction { db in
                let entered = DispatchTime.now().uptimeNanoseconds, enteredCPU = ThreadClock.nanoseconds()
                try db.execute(sql: "PRAGMA busy_timeout = 0; PRAGMA journal_size_limit = \(sizeLimit)")
                defer { try? db.execute(sql: "PRAGMA busy_timeout = \(RecordStore.busyTimeoutMilliseconds)") }
                var restart = LogRestart(heldSince: entered)
                do {
                    _ = try db.checkpoint(.restart)
                    restart.restarted = true
                } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                    restart.restarted = false
                }
                restart.held = Double(DispatchTime.now().uptimeNanoseconds - entered) / 1e6
                restart.heldCPU = Double(ThreadClock.nanoseconds() &- enteredCPU) / 1e6
                return restart
            }
        }
    }

    /// One checkpoint of the given kind on `checkpointer`'s connection. That connection has no
    /// busy handler: a truncating checkpoint that finds a write under way, or readers of older
    /// snapshots, gives up at once (`truncated` false) instead of holding the writer lock while
    /// it waits for them.
    public func checkpoint(using checkpointer: Checkpointer, truncating: Bool) throws -> CheckpointResult {
        try translate {
            try checkpointer.queue.writeWithoutTransaction { db in
                var result = CheckpointResult()
                do {
                    let (frames, copied) = try db.checkpoint(truncating ? .truncate : .passive)
                    result.walFrames = frames
                    result.copiedFrames = copied
                    result.truncated = truncating
                } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                    result.busy = true
                }
                result.walBytes = (try? FileManager.default.attributesOfItem(atPath: pool.path + "-wal")[.size] as? Int) ?? 0
                return result
            }
        }
    }

    /// A connection of its own for background checkpoints.
    public func makeCheckpointer() throws -> Checkpointer {
        try translate {
            let queue = try DatabaseQueue(path: pool.path)
            let pageSize = try queue.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") } ?? 4096
            return Checkpointer(queue: queue, frameSize: pageSize + 24)
        }
    }
}

/// When the background checkpoints restart the write-ahead log (see
/// `RecordStore.checkpoint(using:policy:)`).
public struct CheckpointPolicy: Sendable {
    /// Bytes of log in use from which a round, once a passive pass has copied everything,
    /// restarts the log.
    public var restartAbove: Int
    /// The size SQLite trims a longer log file back to when the log restarts (`journal_size_limit`).
    /// The trim frees the file's blocks inside the first commit after the restart, which waits
    /// for it (15–35 ms per 72 MiB of written log on this project's test machine), so the limit
    /// lies above what steady writes make the file reach between restarts.
    public var sizeLimit: Int
    /// Bytes of log file above which an idle store's log is emptied (see `checkpoint(using:policy:previous:)`).
    public var idleTrimAbove: Int
    /// Most passive passes in one round.
    public var maxPasses: Int
    /// A pass that found at most this many new frames ends the passive passes of a round.
    public var quietFrames: Int

    /// The server's policy: restart from 64 MiB of log; a file longer than 1 GiB is trimmed back
    /// to it at a restart; an idle store's file longer than 16 MiB is emptied when the caller
    /// passes the round before (`crm serve` does not: see BENCHMARKS.md, eighteenth session). (Until
    /// 2026-12-04 every restart trimmed the file to 128 MiB: under steady writes it reaches
    /// 190–260 MiB between restarts, and the first batch after each restart waited for the cut.)
    /// Restarts are kept rare because the first commit after one syncs the log's new header
    /// (SQLite does so at every restart, whatever `synchronous` says), and that commit's batch
    /// waits for the sync.
    public init(restartAbove: Int = 64 << 20, sizeLimit: Int = 1 << 30, idleTrimAbove: Int = 16 << 20,
                maxPasses: Int = 3, quietFrames: Int = 64) {
        self.restartAbove = restartAbove
        self.sizeLimit = sizeLimit
        self.idleTrimAbove = idleTrimAbove
        self.maxPasses = maxPasses
        self.quietFrames = quietFrames
    }
}

/// What one round of the checkpoint policy did.
public struct CheckpointRound: Sendable {
    /// Passive checkpoints run (none of them holds the writer lock).
    public var passes = 0
    /// Frames in the log when the round's first pass ran.
    public var frames = 0
    /// Whether the round found the store idle and emptied its log file.
    public var trimmed = false
    /// Bytes of log in use when the round started, and the log file's size at its end.
    public var logBytes = 0
    public var walBytes = 0
    /// The restart, when the round tried one.
    public var restart: LogRestart?
}

/// One attempt to restart the write-ahead log (see `RecordStore.restartLog(sizeLimit:)`).
public struct LogRestart: Sendable {
    /// When it took the pool's writer (monotonic nanoseconds, `DispatchTime.uptimeNanoseconds`).
    public var heldSince: UInt64
    /// Milliseconds it held the pool's writer: no write ran meanwhile.
    public var held = 0.0
    /// Milliseconds of its thread's CPU time in that while (the rest it waited for a core, the
    /// disk or a lock).
    public var heldCPU = 0.0
    /// Whether the log will start over with the next write (false: a reader still used it).
    public var restarted = false
}

/// What one checkpoint did (see `RecordStore.checkpoint(using:truncating:)`).
public struct CheckpointResult: Sendable {
    /// Frames in the write-ahead log, and how many of them are now copied into the database.
    public var walFrames = 0
    public var copiedFrames = 0
    /// The log file's size afterwards, in bytes.
    public var walBytes = 0
    /// Whether the log was truncated to nothing.
    public var truncated = false
    /// Whether a truncating checkpoint gave up because a writer or an older reader was active.
    public var busy = false
    /// Whether every frame of the log is in the database.
    public var complete: Bool { copiedFrames == walFrames }
}

/// A separate connection to a workspace database, used only for WAL checkpoints.
public struct Checkpointer: Sendable {
    let queue: DatabaseQueue
    /// Bytes per frame of the log: a page and its 24-byte frame header.
    let frameSize: Int
}

/// How often the writer connection checkpoints automatically, in pages of log.
struct CheckpointPages: Sendable {
    /// SQLite's own interval.
    static let sqliteDefault = 1_000
    /// The interval while a bulk write is under way (about 40 MiB of log with 4 KiB pages).
    static let bulk = 10_000
    /// The interval outside bulk writes: SQLite's, or 0 when a server checkpoints in the background.
    var normal = sqliteDefault
    /// Bulk writes under way (`RecordStore.bulkWriting`).
    var bulkWrites = 0

    /// The interval in force.
    var interval: Int { normal > 0 && bulkWrites > 0 ? Self.bulk : normal }
}
