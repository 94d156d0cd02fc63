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
    /// Of the slowest 1 %, how many overlapped a checkpoint, and how many a truncating one.
    var slowDuringCheckpoint: Int
    var slowDuringTruncatingCheckpoint: Int
    /// Checkpoints in the phase: count, truncating ones, the longest (ms).
    var checkpoints: Int
    var truncatingCheckpoints: Int
    var longestCheckpoint: Double

    /// Mean time of each part of a write (see `WriteTiming`).
    struct Components: Codable {
        var beforeQueue = 0.0, queued = 0.0, aheadInBatch = 0.0, body = 0.0, untilCommit = 0.0, commit = 0.0, resume = 0.0, batchSize = 0.0

        init(_ timings: ArraySlice<WriteTiming>) {
            guard !timings.isEmpty else { return }
            let n = Double(timings.count)
            for t in timings {
                beforeQueue += t.beforeQueue / n; queued += t.queued / n; aheadInBatch += t.aheadInBatch / n; body += t.body / n
                untilCommit += t.untilCommit / n; commit += t.commit / n; resume += t.resume / n; batchSize += Double(t.batchSize) / n
            }
        }

        /// "queue 3.1 + ahead 1.2 + …" in milliseconds.
        var summary: String {
            String(format: "before %.2f + queue %.2f + ahead %.2f + own %.2f + rest&commit %.2f (commit %.2f) + resume %.2f ms, batch %.1f",
                   beforeQueue, queued, aheadInBatch, body, untilCommit, commit, resume, batchSize)
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
        func overlaps(_ w: WriteTiming, _ c: CheckpointTiming) -> Bool {
            let start = w.at, end = w.at + (w.total - w.beforeQueue) / 1000
            return c.at < end && c.at + c.duration / 1000 > start
        }
        slowDuringCheckpoint = slow.filter { w in profile.checkpoints.contains { overlaps(w, $0) } }.count
        slowDuringTruncatingCheckpoint = slow.filter { w in profile.checkpoints.contains { $0.truncating && overlaps(w, $0) } }.count
        checkpoints = profile.checkpoints.count
        truncatingCheckpoints = profile.checkpoints.filter(\.truncating).count
        longestCheckpoint = profile.checkpoints.map(\.duration).max() ?? 0
    }

    /// Two lines for the report.
    var lines: [String] {
        [String(format: "server-side p50 %.2f / p99 %.2f ms over %d creates; %d checkpoints (%d truncating, longest %.1f ms), slowest 1%% during one: %d (truncating: %d)",
                p50, p99, writes, checkpoints, truncatingCheckpoints, longestCheckpoint, slowDuringCheckpoint, slowDuringTruncatingCheckpoint),
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
