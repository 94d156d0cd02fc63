import Foundation
import GRDB
import Testing
@testable import CRMKernel

/// The server's background checkpoint policy (`RecordStore.checkpoint(using:policy:)`): the log
/// stays bounded under steady writes, and no round ever waits for a reader or a writer.
@Suite struct CheckpointPolicyTests {
    /// A store whose server-style checkpoints run by hand, with a scratch table to write to.
    private struct Fixture: Sendable {
        let test: TestStore
        let checkpointer: Checkpointer
        let policy: CheckpointPolicy

        init(policy: CheckpointPolicy = CheckpointPolicy(restartAbove: 1 << 20, sizeLimit: 256 << 10)) throws {
            self.policy = policy
            test = try TestStore()
            try test.store.setAutomaticCheckpoints(false)
            try test.store.pool.write { db in try db.execute(sql: "CREATE TABLE scratch(x BLOB)") }
            checkpointer = try test.store.makeCheckpointer()
        }

        /// About `rows` × 3 KB of log, in one transaction.
        func write(_ rows: Int) throws {
            try test.store.pool.write { db in
                for _ in 0..<rows { try db.execute(sql: "INSERT INTO scratch VALUES (randomblob(3000))") }
            }
        }

        var walSize: Int {
            (try? FileManager.default.attributesOfItem(atPath: test.store.pool.path + "-wal")[.size] as? Int) ?? 0
        }

        /// One round, which must not wait: the stores' busy timeout is 10 s, a round that waited
        /// for a reader would take that long.
        func round(after previous: CheckpointRound? = nil) throws -> CheckpointRound {
            let clock = ContinuousClock()
            let start = clock.now
            let round = try test.store.checkpoint(using: checkpointer, policy: policy, previous: previous)
            #expect(clock.now - start < .seconds(2), "a checkpoint round waited")
            return round
        }
    }

    @Test func logGrowsUnderAnOldReaderThenRestartsAndIsTrimmed() throws {
        let f = try Fixture()
        // A reader on an old snapshot: passive passes cannot copy past it, so the log grows
        // and no round tries a restart.
        var reader: GRDB.DatabaseSnapshot? = try f.test.store.pool.makeSnapshot()
        for _ in 0..<12 {
            try f.write(100)
            let round = try f.round()
            #expect(round.restart == nil)
        }
        let grown = f.walSize
        #expect(grown > 3 << 20)
        _ = try reader?.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM scratch") }
        reader = nil

        // A reader at the newest snapshot still uses the log: the round copies everything, tries
        // the restart, and gives up at once.
        try f.write(10)
        var current: GRDB.DatabaseSnapshot? = try f.test.store.pool.makeSnapshot()
        let refused = try f.round()
        #expect(refused.restart?.restarted == false)
        #expect(refused.passes >= 2)
        current = nil
        _ = current

        // With the readers gone the next round restarts the log; the next write starts it over
        // and SQLite trims the file to the policy's size limit.
        let round = try f.round()
        #expect(round.restart?.restarted == true)
        #expect((round.restart?.held ?? 99) < 1000)
        try f.write(1)
        #expect(f.walSize <= f.policy.sizeLimit)
        #expect(f.walSize < grown / 4)

        // The writer's busy timeout is back after the restart.
        let timeout = try f.test.store.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA busy_timeout") }
        #expect(timeout == RecordStore.busyTimeoutMilliseconds)
    }

    @Test func logRestartsWhileAnotherThreadWrites() throws {
        let f = try Fixture()
        // About 24 MB of log from another thread while the rounds run: without restarts the log
        // file would grow to that size. (How large it gets between two restarts depends on how
        // long the machine makes a pass's fsync wait, so only the restarts are counted.)
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            for _ in 0..<300 {
                try? f.write(20)
                usleep(200)
            }
        }
        var restarts = 0
        while group.wait(timeout: .now()) == .timedOut {
            if try f.round().restart?.restarted == true { restarts += 1 }
            usleep(2000)
        }
        #expect(restarts >= 3)
        // Once the other thread stops, a round over more than `restartAbove` of log restarts it,
        // and the next write brings the file back to the size limit.
        try f.write(300)
        #expect(try f.round().restart?.restarted == true)
        try f.write(1)
        #expect(f.walSize <= f.policy.sizeLimit)
    }

    @Test func idleLogIsEmptiedButNotUnderWritesOrReaders() throws {
        // No restarts here: only the idle trim empties the file.
        let f = try Fixture(policy: CheckpointPolicy(restartAbove: 1 << 30, idleTrimAbove: 512 << 10))
        try f.write(400)
        let first = try f.round()
        #expect(!first.trimmed)
        #expect(f.walSize > 1 << 20)
        // A write between two rounds: the store is not idle. (SQLite starts the log over with
        // it, everything before being copied, but the file keeps its length.) A reader begins
        // while its frames are not copied yet, so it reads them from the log.
        try f.write(10)
        var reader: GRDB.DatabaseSnapshot? = try f.test.store.pool.makeSnapshot()
        let busy = try f.round(after: first)
        #expect(!busy.trimmed)
        #expect(busy.frames != first.frames)
        // Idle, but that reader still uses the log: the trim gives up at once.
        let refused = try f.round(after: busy)
        #expect(!refused.trimmed)
        #expect(f.walSize > 1 << 20)
        _ = try reader?.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM scratch") }
        reader = nil
        // Idle and alone: the log file is emptied, and writes go on after it.
        let trimmed = try f.round(after: refused)
        #expect(trimmed.trimmed)
        #expect(f.walSize == 0)
        try f.write(1)
        let count = try f.test.store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM scratch") }
        #expect(count == 411)
        // A small log is left alone however idle the store.
        let small = try f.round(after: try f.round())
        #expect(!small.trimmed)
        #expect(f.walSize > 0)
    }
}
