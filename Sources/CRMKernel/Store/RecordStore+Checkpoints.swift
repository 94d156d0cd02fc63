import Foundation
import GRDB

extension RecordStore {
    /// Turns SQLite's automatic WAL checkpoints (run by the committing writer) on or off.
    /// A server turns them off and calls `checkpoint()` from a background task instead, so no
    /// request pays for copying the log into the database.
    public func setAutomaticCheckpoints(_ on: Bool) throws {
        try translate { try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = \(on ? 1000 : 0)") } }
    }

    /// Copies the write-ahead log into the database as far as readers allow, without blocking
    /// writers: a passive checkpoint on a connection of its own (`checkpointer`), so the
    /// pool's writer is never held up by it.
    ///
    /// Passive checkpoints never shrink the log, and under steady reads it may never restart from
    /// its beginning; once it is larger than `truncateAbove` bytes a truncating checkpoint is run
    /// instead (it waits, up to the busy timeout, for the readers of older snapshots to finish).
    /// Returns whether the checkpoint was a truncating one.
    @discardableResult
    public func checkpoint(using checkpointer: Checkpointer, truncateAbove: Int = 64 << 20) throws -> Bool {
        let wal = (try? FileManager.default.attributesOfItem(atPath: pool.path + "-wal")[.size] as? Int) ?? 0
        let truncating = wal > truncateAbove
        try translate {
            try checkpointer.queue.writeWithoutTransaction { db in
                _ = try db.checkpoint(truncating ? .truncate : .passive)
            }
        }
        return truncating
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
        try translate { Checkpointer(queue: try DatabaseQueue(path: pool.path)) }
    }
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
}
