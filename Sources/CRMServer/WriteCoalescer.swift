import CRMKernel
import Foundation
import Hummingbird

/// Group commit for single-record writes from the API: requests that arrive while a write
/// transaction is running wait for it, then go together into the next one (a refused record
/// does not undo the others: `WriteContext.attempt`). One thread does all the writing, so
/// concurrent requests neither contend for SQLite's single writer nor pay for a commit each.
///
/// A batch holds writes of one acting user (the transaction stamps them as that user, and the
/// kernel applies that user's access to each write).
final class WriteCoalescer: @unchecked Sendable {
    private struct Job {
        var access: AccessGuard
        /// The request's script budget, bound again on the writer thread.
        var budget: ScriptBudget?
        /// The request's write; its result goes back to the request whole (a record, a response).
        var body: (WriteContext) throws -> any Sendable
        var done: (Result<any Sendable, any Error>) -> Void
        /// Timestamps for the write profile (nil while profiling is off).
        var marks: WriteMarks?
    }

    private let store: RecordStore
    private let condition = NSCondition()
    private var queue: [Job] = []
    private var stopped = false
    /// Most writes in one transaction.
    let maxBatch: Int
    /// Collects per-write timings when profiling is on.
    let profiler: WriteProfiler?
    /// The writer thread's own clocks (read on that thread only, while profiling).
    private let threadTimes = ThreadTimesReader()

    init(store: RecordStore, maxBatch: Int = 64, profiler: WriteProfiler? = nil) {
        self.store = store
        self.maxBatch = maxBatch
        self.profiler = profiler
        let thread = Thread { [weak self] in self?.loop() }
        thread.name = "crm-writer"
        thread.start()
    }

    /// Runs `body` in a shared write transaction for `access`; returns its result once that
    /// transaction has committed (or throws the body's error, or the commit's). `since` is when
    /// the request's handler started (monotonic nanoseconds), for the write profile.
    ///
    /// The writer thread is what limits creates per second, so a body does only what must be
    /// inside the transaction: a route writes its answer (JSON) after this returns.
    func write<T: Sendable>(as access: AccessGuard, since: UInt64 = 0, _ body: @escaping (WriteContext) throws -> T) async throws -> T {
        let marks = profiler.map { _ in WriteMarks() }
        marks?.handlerStart = since
        defer {
            if let profiler, let marks, marks.committed > 0 { profiler.add(marks.timing(resumed: WriteProfiler.now(), profiler: profiler)) }
        }
        return try await withCheckedThrowingContinuation { continuation in
            condition.lock()
            defer { condition.unlock() }
            guard !stopped else {
                continuation.resume(throwing: APIError(.serviceUnavailable, "the server is shutting down"))
                return
            }
            marks?.enqueued = WriteProfiler.now()
            // The job's result is the body's own `T`, so the cast back cannot fail.
            queue.append(Job(access: access, budget: ScriptBudget.current, body: body,
                             done: { continuation.resume(with: $0.map { $0 as! T }) }, marks: marks))
            condition.signal()
        }
    }

    /// Lets the writer thread finish what is queued and end.
    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopped { condition.wait() }
            if queue.isEmpty && stopped {
                condition.unlock()
                return
            }
            let access = queue[0].access
            var batch: [Job] = []
            var rest: [Job] = []
            for job in queue {
                if batch.count < maxBatch && job.access.user == access.user { batch.append(job) } else { rest.append(job) }
            }
            queue = rest
            condition.unlock()
            run(batch, as: access)
            mergeOwed()
        }
    }

    /// The full-text merge work the batches left owed (`RecordStore.deferringSearchMerges`), done
    /// once their writers have their answers: only the writes queued meanwhile wait for it.
    private func mergeOwed() {
        let start = profiler == nil ? 0 : WriteProfiler.now()
        let timesAtStart = profiler == nil ? ThreadTimes() : threadTimes.read()
        do {
            let spent = try store.mergeOwedSearchIndexes()
            if let profiler, spent > 0 {
                let end = WriteProfiler.now()
                profiler.addMerge(start: start, end: end, times: threadTimes.read() - timesAtStart)
            }
        } catch {
            // The work stays owed: a later batch merges it inline once the index is owed
            // `deferredMergeLimit` rows, and an error there reaches its writers.
        }
    }

    private func run(_ batch: [Job], as access: AccessGuard) {
        var results: [Result<any Sendable, any Error>] = []
        results.reserveCapacity(batch.count)
        let profiling = profiler != nil
        let batchStart = profiling ? WriteProfiler.now() : 0
        let timesAtStart = profiling ? threadTimes.read() : ThreadTimes()
        let mergingAtStart = profiling ? store.searchMergeNanoseconds : 0
        var lastBodyEnd: UInt64 = 0, timesAtLastBody = ThreadTimes()
        do {
            // Each write undoes alone when refused; the batch runs without savepoints first and
            // again with them only when a refused write had already written (`writeAttempts`).
            try RecordStore.deferringSearchMerges { try store.writeAttempts(as: access.user, access: access) { tx, savepoints in
                results.removeAll(keepingCapacity: true)
                for job in batch {
                    job.marks?.bodyStart = WriteProfiler.now()
                    do {
                        results.append(.success(try ScriptBudget.within(job.budget) { try tx.attempt(savepoint: savepoints) { try job.body(tx) } }))
                    } catch let undo as WriteContext.UndoNeeded {
                        throw undo
                    } catch { results.append(.failure(error)) }
                    if let marks = job.marks {
                        marks.bodyEnd = WriteProfiler.now()
                        lastBodyEnd = marks.bodyEnd
                    }
                }
                if profiling { timesAtLastBody = threadTimes.read() }
            } }
        } catch {
            for job in batch { job.done(.failure(error)) }
            return
        }
        if let profiler {
            let committed = WriteProfiler.now(), times = threadTimes.read()
            let merging = store.searchMergeNanoseconds &- mergingAtStart
            profiler.addBatch(times - timesAtStart, wall: committed &- batchStart)
            for job in batch {
                guard let marks = job.marks else { continue }
                marks.batchStart = batchStart
                marks.commitStart = lastBodyEnd
                marks.committed = committed
                marks.commitTimes = times - timesAtLastBody
                marks.merging = merging
                marks.batchSize = batch.count
            }
        }
        for (job, result) in zip(batch, results) { job.done(result) }
    }
}
