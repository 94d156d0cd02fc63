import CRMKernel
import Foundation
import Synchronization

/// Where the API's single-record writes spend their time, recorded per write while profiling is
/// on (`ServerConfiguration.profileWrites`; the benchmark turns it on to find the create tail).
/// Every figure is in milliseconds from a monotonic clock.
public struct WriteTiming: Sendable, Codable {
    /// From the request handler's start to handing the write to the writer thread (auth, body).
    public var beforeQueue: Double
    /// Waiting in the writer's queue while earlier batches ran.
    public var queued: Double
    /// From its batch's start (BEGIN) to the start of its own body: earlier writes of the batch.
    public var aheadInBatch: Double
    /// Its own body: the kernel's create with its hooks (Lua included), 查重, audit, index, outbox.
    public var body: Double
    /// From its body's end to its batch's commit: later writes of the batch and COMMIT.
    public var untilCommit: Double
    /// The COMMIT of its batch alone (part of `untilCommit`), with the after-commit handlers.
    public var commit: Double
    /// Of `commit`: the writer thread's CPU time, and its time runnable but waiting for a core
    /// (the rest it was blocked: in `fsync`, on a lock, on the file system's journal).
    public var commitCPU: Double
    public var commitRunQueue: Double
    /// Of `commit`: merging the full-text indexes (`WriteContext.mergeSearchIndexes`), 0 for a
    /// batch whose transaction merged none.
    public var merge: Double
    /// From the commit to the request's task running again (the hop back from the writer thread).
    public var resume: Double
    /// Writes in its batch.
    public var batchSize: Int
    /// Seconds since profiling started, when the write was handed to the writer.
    public var at: Double

    /// Everything from the handler's start until the request's task has its response.
    public var total: Double { beforeQueue + queued + aheadInBatch + body + untilCommit + resume }
}

/// One round of the server's background checkpoint policy (`RecordStore.checkpoint(using:policy:)`),
/// as timed by its checkpoint loop.
public struct CheckpointTiming: Sendable, Codable {
    /// Seconds since profiling started.
    public var at: Double
    /// How long the whole round took, in milliseconds (its passive passes hold no lock writes wait for).
    public var duration: Double
    /// Passive checkpoints in the round.
    public var passes: Int
    /// Bytes of log in use at the round's start, and the log file's size at its end.
    public var logBytes: Int
    public var walBytes: Int
    /// Whether the round tried to restart the log, and whether the log will start over.
    public var restartTried: Bool
    public var restarted: Bool
    /// When the restart took the pool's writer (seconds since profiling started) and for how many
    /// milliseconds it kept it (no write ran meanwhile); 0 when the round did not try one.
    public var writerHeldAt: Double
    public var writerHeld: Double
    /// Of `writerHeld`, the restarting thread's own CPU time, in milliseconds.
    public var writerHeldCPU: Double

    init(_ round: CheckpointRound, start: UInt64, end: UInt64, profiler: WriteProfiler) {
        at = profiler.seconds(at: start)
        duration = Double(end &- start) / 1e6
        passes = round.passes
        logBytes = round.logBytes
        walBytes = round.walBytes
        restartTried = round.restart != nil
        restarted = round.restart?.restarted ?? false
        writerHeldAt = round.restart.map { profiler.seconds(at: $0.heldSince) } ?? 0
        writerHeld = round.restart?.held ?? 0
        writerHeldCPU = round.restart?.heldCPU ?? 0
    }
}

/// One merge of the full-text indexes the group commit ran between two batches.
public struct MergeTiming: Sendable, Codable {
    /// Seconds since profiling started.
    public var at: Double
    /// Milliseconds it held the writer.
    public var duration: Double
}

/// The collected timings of one profiling run (see `APIServer.writeProfile`).
public struct WriteProfile: Sendable, Codable {
    /// One entry per write, in completion order.
    public var writes: [WriteTiming] = []
    /// One entry per background checkpoint.
    public var checkpoints: [CheckpointTiming] = []
    /// The group commit's full-text merges between batches: when each started (seconds since
    /// profiling started) and how many milliseconds it held the writer.
    public var merges: [MergeTiming] = []
    /// Batches the writer thread ran, and its time running them (and the merges between them)
    /// in milliseconds: the thread's own CPU time (its clock stops while another thread has the
    /// core), its time runnable but waiting for a core, and the wall time.
    public var batches = 0
    public var writerCPU = 0.0
    public var writerRunQueue = 0.0
    public var writerWall = 0.0
}

/// Collects `WriteProfile` entries from the writer thread, request tasks and the checkpoint loop.
final class WriteProfiler: Sendable {
    private let collected = Mutex(WriteProfile())
    private let origin = DispatchTime.now().uptimeNanoseconds

    /// Milliseconds on the monotonic clock.
    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// Seconds since the profiler was made.
    func seconds(at nanoseconds: UInt64) -> Double { Double(nanoseconds &- origin) / 1e9 }

    func add(_ timing: WriteTiming) { collected.withLock { $0.writes.append(timing) } }

    func add(_ timing: CheckpointTiming) { collected.withLock { $0.checkpoints.append(timing) } }

    /// Records a merge of the full-text indexes between two batches, and counts the writer
    /// thread's time in it (`times`) with its batches'.
    func addMerge(start: UInt64, end: UInt64, times: ThreadTimes) {
        let timing = MergeTiming(at: seconds(at: start), duration: Double(end &- start) / 1e6)
        collected.withLock { profile in
            profile.merges.append(timing)
            profile.writerCPU += Double(times.cpu) / 1e6
            profile.writerRunQueue += Double(times.runQueue) / 1e6
            profile.writerWall += timing.duration
        }
    }

    /// Counts one batch of the writer thread: its thread times and wall nanoseconds.
    func addBatch(_ times: ThreadTimes, wall: UInt64) {
        collected.withLock { profile in
            profile.batches += 1
            profile.writerCPU += Double(times.cpu) / 1e6
            profile.writerRunQueue += Double(times.runQueue) / 1e6
            profile.writerWall += Double(wall) / 1e6
        }
    }

    /// Everything collected so far; with `reset`, starts over.
    func snapshot(reset: Bool) -> WriteProfile {
        collected.withLock { profile in
            let copy = profile
            if reset { profile = WriteProfile() }
            return copy
        }
    }
}

/// The writer thread's marks for one write (written on the writer thread before the request's
/// continuation resumes, read by the request after it: the resumption orders the two).
final class WriteMarks: @unchecked Sendable {
    var handlerStart: UInt64 = 0
    var enqueued: UInt64 = 0
    var batchStart: UInt64 = 0
    var bodyStart: UInt64 = 0
    var bodyEnd: UInt64 = 0
    var commitStart: UInt64 = 0
    var committed: UInt64 = 0
    var commitTimes = ThreadTimes()
    /// Nanoseconds the batch's transaction spent merging full-text indexes.
    var merging: UInt64 = 0
    var batchSize = 0

    /// The timing once the request has resumed at `resumed`.
    func timing(resumed: UInt64, profiler: WriteProfiler) -> WriteTiming {
        func ms(_ a: UInt64, _ b: UInt64) -> Double { b > a ? Double(b - a) / 1e6 : 0 }
        return WriteTiming(beforeQueue: ms(handlerStart == 0 ? enqueued : handlerStart, enqueued), queued: ms(enqueued, batchStart),
                           aheadInBatch: ms(batchStart, bodyStart), body: ms(bodyStart, bodyEnd), untilCommit: ms(bodyEnd, committed),
                           commit: ms(commitStart, committed), commitCPU: Double(commitTimes.cpu) / 1e6,
                           commitRunQueue: Double(commitTimes.runQueue) / 1e6, merge: Double(merging) / 1e6, resume: ms(committed, resumed), batchSize: batchSize,
                           at: profiler.seconds(at: enqueued))
    }
}

/// A thread's time on a core and time runnable but waiting for one, in nanoseconds (Linux's
/// per-thread scheduler statistics).
struct ThreadTimes: Sendable {
    var cpu: UInt64 = 0
    var runQueue: UInt64 = 0

    static func - (a: ThreadTimes, b: ThreadTimes) -> ThreadTimes {
        ThreadTimes(cpu: a.cpu &- b.cpu, runQueue: a.runQueue &- b.runQueue)
    }
}

/// Reads the calling thread's `ThreadTimes`: its CPU clock (exact, read through
/// `clock_gettime`), and its run-queue wait from `/proc/thread-self/schedstat` (current as of
/// the thread's last time onto a core, which is all a running thread needs). The file is
/// opened by the first read, so one reader serves one thread (the writer's); the wait is zero
/// where the file is missing.
final class ThreadTimesReader: @unchecked Sendable {
    private var fd: Int32 = -2

    /// The times of the calling thread (the one that made the first read).
    func read() -> ThreadTimes {
        let cpu = ThreadClock.nanoseconds()
        if fd == -2 { fd = open("/proc/thread-self/schedstat", O_RDONLY) }
        guard fd >= 0 else { return ThreadTimes(cpu: cpu) }
        // "<on-cpu ns> <run-queue ns> <timeslices>\n": the second number.
        let wait: UInt64 = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 96) { buffer in
            let n = pread(fd, buffer.baseAddress, buffer.count, 0)
            var field = 0, value: UInt64 = 0
            for byte in buffer.prefix(max(0, n)) {
                if byte == UInt8(ascii: " ") { field += 1; if field == 2 { break } }
                else if field == 1, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { value = value * 10 + UInt64(byte - UInt8(ascii: "0")) }
            }
            return value
        }
        return ThreadTimes(cpu: cpu, runQueue: wait)
    }

    deinit { if fd >= 0 { close(fd) } }
}
