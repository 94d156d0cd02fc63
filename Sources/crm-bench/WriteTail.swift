import CRMServer
import Foundation

/// Where the slow HTTP creates spent their time, from the server's write profile: the slowest
/// 1 % of the creates of one phase against the median one, component by component, and the
/// background checkpoints that ran during the phase.
struct WriteTail: Codable {
    /// Creates timed by the server (from the handler's start to its response).
    var writes: Int
    /// Server-side p50 and p99 of a create, in milliseconds.
    var p50: Double
    var p99: Double
    /// Mean milliseconds per component over the slowest 1 % (at least one write).
    var slowest: Components
    /// Mean milliseconds per component over all writes.
    var all: Components
    /// Of the slowest 1 %, how many overlapped a checkpoint round, and how many the moment a
    /// round held the writer to restart the log.
    var slowDuringCheckpoint: Int
    var slowWhileWriterHeld: Int
    /// Of the slowest 1 %, how many were in the first batch after a restart (its commit writes
    /// and syncs the restarted log's header).
    var slowFirstAfterRestart: Int
    /// Of the slowest 1 %, how many were in a batch whose transaction merged a full-text index,
    /// and the share of all batches' creates that were.
    var slowInMergingBatch: Int
    /// Of the other slowest 1 %, how many waited in the queue while a batch merged.
    var slowQueuedBehindMerge: Int
    /// Merges the group commit ran between batches (after answering), and the longest (ms).
    var mergesBetweenBatches: Int
    var longestMergeBetweenBatches: Double
    /// The merges' median and 90th-percentile durations (ms), and their share of the writer
    /// thread's wall time (batches and merges together).
    var mergeP50: Double
    var mergeP90: Double
    var mergeShareOfWriter: Double
    var allInMergingBatch: Double
    /// Checkpoint rounds in the phase, their passive passes, restarts tried and done, the longest
    /// round and the longest hold of the writer (ms), and the largest log file seen (MiB).
    var checkpoints: Int
    var passes: Int
    var restartsTried: Int
    var restarts: Int
    var longestCheckpoint: Double
    var longestWriterHeld: Double
    /// The restarts' mean hold of the writer and the restarting thread's mean CPU time in it (ms).
    var meanWriterHeld: Double
    var meanWriterHeldCPU: Double
    var largestLog: Double
    /// The writer thread per create, in microseconds: its own CPU time, its time waiting for a
    /// core, and the wall time it spent in batches (the create rate's ceiling is one over the
    /// wall time); the batches it ran.
    var writerCPUPerWrite: Double
    var writerRunQueuePerWrite: Double
    var writerWallPerWrite: Double
    var batches: Int

    /// Mean time of each part of a write (see `WriteTiming`).
    struct Components: Codable {
        var beforeQueue = 0.0, queued = 0.0, aheadInBatch = 0.0, body = 0.0, untilCommit = 0.0, commit = 0.0, resume = 0.0, batchSize = 0.0
        /// Of the commit: the writer's CPU time and its time waiting for a core, and the full-text
        /// merges' wall time.
        var commitCPU = 0.0, commitRunQueue = 0.0, merge = 0.0

        init(_ timings: ArraySlice<WriteTiming>) {
            guard !timings.isEmpty else { return }
            let n = Double(timings.count)
            for t in timings {
                beforeQueue += t.beforeQueue / n; queued += t.queued / n; aheadInBatch += t.aheadInBatch / n; body += t.body / n
                untilCommit += t.untilCommit / n; commit += t.commit / n; resume += t.resume / n; batchSize += Double(t.batchSize) / n
                commitCPU += t.commitCPU / n; commitRunQueue += t.commitRunQueue / n; merge += t.merge / n
            }
        }

        /// "queue 3.1 + ahead 1.2 + …" in milliseconds.
        var summary: String {
            String(format: "before %.2f + queue %.2f + ahead %.2f + own %.2f + rest&commit %.2f (commit %.2f: CPU %.2f, waiting for a core %.2f, blocked %.2f; full-text merge %.2f) + resume %.2f ms, batch %.1f",
                   beforeQueue, queued, aheadInBatch, body, untilCommit, commit, commitCPU, commitRunQueue, max(0, commit - commitCPU - commitRunQueue),
                   merge, resume, batchSize)
        }
    }

    init?(_ profile: WriteProfile) {
        guard !profile.writes.isEmpty else { return nil }
        let sorted = profile.writes.sorted { $0.total < $1.total }
        writes = sorted.count
        p50 = sorted[sorted.count / 2].total
        p99 = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))].total
        let slow = sorted.suffix(max(1, sorted.count / 100))
        slowest = Components(slow)
        all = Components(sorted[...])
        func overlaps(_ w: WriteTiming, from: Double, milliseconds: Double) -> Bool {
            let start = w.at, end = w.at + (w.total - w.beforeQueue) / 1000
            return from < end && from + milliseconds / 1000 > start
        }
        let held = profile.checkpoints.filter(\.restartTried)
        slowDuringCheckpoint = slow.filter { w in profile.checkpoints.contains { overlaps(w, from: $0.at, milliseconds: $0.duration) } }.count
        slowWhileWriterHeld = slow.filter { w in held.contains { overlaps(w, from: $0.writerHeldAt, milliseconds: $0.writerHeld) } }.count
        // The first batch after a restart (the one that writes the new header) was formed while the
        // restart held the writer, or just after, and committed after the hold.
        let restartEnds = held.filter(\.restarted).map { $0.writerHeldAt + $0.writerHeld / 1000 }
        slowFirstAfterRestart = slow.filter { w in
            let batchStart = w.at + w.queued / 1000
            let committed = batchStart + (w.aheadInBatch + w.body + w.untilCommit) / 1000
            return restartEnds.contains { batchStart < $0 + 0.002 && committed > $0 }
        }.count
        slowInMergingBatch = slow.filter { $0.merge > 0 }.count
        allInMergingBatch = Double(sorted.filter { $0.merge > 0 }.count) / Double(sorted.count)
        // A merging batch's commit, as seconds since profiling started (one window per batch).
        var mergeWindows: [Double: Double] = [:]
        for w in sorted where w.merge > 0 {
            let committed = w.at + (w.queued + w.aheadInBatch + w.body + w.untilCommit) / 1000
            mergeWindows[committed] = committed - w.commit / 1000
        }
        for m in profile.merges { mergeWindows[m.at + m.duration / 1000] = m.at }
        slowQueuedBehindMerge = slow.filter { w in
            w.merge == 0 && mergeWindows.contains { end, start in start < w.at + w.queued / 1000 && end > w.at }
        }.count
        mergesBetweenBatches = profile.merges.count
        let mergeDurations = profile.merges.map(\.duration).sorted()
        longestMergeBetweenBatches = mergeDurations.last ?? 0
        mergeP50 = mergeDurations.isEmpty ? 0 : mergeDurations[mergeDurations.count / 2]
        mergeP90 = mergeDurations.isEmpty ? 0 : mergeDurations[mergeDurations.count * 9 / 10]
        mergeShareOfWriter = profile.writerWall > 0 ? mergeDurations.reduce(0, +) / profile.writerWall : 0
        checkpoints = profile.checkpoints.count
        passes = profile.checkpoints.map(\.passes).reduce(0, +)
        restartsTried = held.count
        restarts = held.filter(\.restarted).count
        longestCheckpoint = profile.checkpoints.map(\.duration).max() ?? 0
        longestWriterHeld = held.map(\.writerHeld).max() ?? 0
        meanWriterHeld = held.isEmpty ? 0 : held.map(\.writerHeld).reduce(0, +) / Double(held.count)
        meanWriterHeldCPU = held.isEmpty ? 0 : held.map(\.writerHeldCPU).reduce(0, +) / Double(held.count)
        largestLog = Double(profile.checkpoints.map(\.walBytes).max() ?? 0) / 1_048_576
        writerCPUPerWrite = profile.writerCPU * 1000 / Double(writes)
        writerRunQueuePerWrite = profile.writerRunQueue * 1000 / Double(writes)
        writerWallPerWrite = profile.writerWall * 1000 / Double(writes)
        batches = profile.batches
    }

    /// Lines for the report.
    var lines: [String] {
        [String(format: "server-side p50 %.2f / p99 %.2f ms over %d creates; slowest 1%% during a checkpoint round: %d, while a restart held the writer: %d, first batch after a restart: %d",
                p50, p99, writes, slowDuringCheckpoint, slowWhileWriterHeld, slowFirstAfterRestart),
         String(format: "full-text merges: slowest 1%% in a batch that merged: %d, queued behind a merge: %d (of %d); all creates: %.0f%% in such a batch; %d merges between batches (p50 %.1f, p90 %.1f, longest %.1f ms; %.0f%% of the writer's time)",
                slowInMergingBatch, slowQueuedBehindMerge, max(1, writes / 100), allInMergingBatch * 100, mergesBetweenBatches,
                mergeP50, mergeP90, longestMergeBetweenBatches, mergeShareOfWriter * 100),
         String(format: "checkpoints: %d rounds, %d passive passes (longest round %.1f ms), %d/%d log restarts (writer held at most %.2f ms, mean %.2f ms of which CPU %.2f ms), log file at most %.1f MiB",
                checkpoints, passes, longestCheckpoint, restarts, restartsTried, longestWriterHeld, meanWriterHeld, meanWriterHeldCPU, largestLog),
         String(format: "writer thread per create: CPU %.0f µs, waiting for a core %.0f µs, wall %.0f µs (%d batches)",
                writerCPUPerWrite, writerRunQueuePerWrite, writerWallPerWrite, batches),
         "slowest 1%: " + slowest.summary,
         "all:        " + all.summary]
    }
}

/// Another process keeping the cores busy (one spinning shell per core) while a phase runs.
final class BusyCores {
    private var processes: [Process] = []

    /// Starts `count` spinning processes (lowest priority is *not* asked for: they compete as a
    /// compiler would).
    init(count: Int) throws {
        for _ in 0..<count {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", "while :; do :; done"]
            try p.run()
            processes.append(p)
        }
    }

    /// Stops the processes this object started.
    /// (SIGKILL and `waitpid`: Foundation's `waitUntilExit` was seen to hang here on Linux.)
    func stop() {
        for p in processes {
            let pid = p.processIdentifier
            kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
        processes = []
    }

    deinit { stop() }
}
