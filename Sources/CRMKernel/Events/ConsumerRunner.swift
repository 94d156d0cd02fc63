import Foundation
import GRDB

/// What one drain of the durable consumers did.
public struct DrainReport: Sendable, Hashable {
    /// Events handled, by consumer id (only consumers that handled some).
    public var handled: [String: Int] = [:]
    /// The error of each consumer that failed in this drain.
    public var failures: [String: String] = [:]
}

extension RecordStore {
    /// Events a consumer handles per transaction.
    static let consumerBatch = 100
    /// Longest wait before a failed consumer is tried again.
    static let consumerMaxBackoff: TimeInterval = 300

    /// Runs every consumer in force over what waits for it, until none has anything left (or each
    /// remaining one failed or waits for its retry time). Consumers in backoff are skipped unless
    /// `force`. Never throws: a consumer's failure is kept with it (`consumerStatuses`) and
    /// reported; the others go on.
    @discardableResult
    public func drainConsumers(now: Date = Date(), force: Bool = false) -> DrainReport {
        drainConsumers(currentConfiguration, now: now, force: force)
    }

    @discardableResult
    func drainConsumers(_ config: Configuration, only: String? = nil, now: Date = Date(), force: Bool = false) -> DrainReport {
        var report = DrainReport()
        let consumers = config.hooks.consumers.filter { only == nil || $0.id == only }
        var blocked = Set<String>()
        // A reaction may publish events other consumers read: go round until a pass does nothing.
        // Each pass handles at least one event, so the bound only stops endless chains of reactions.
        for _ in 0..<1_000 {
            var progressed = false
            for consumer in consumers where !blocked.contains(consumer.id) {
                do {
                    switch try runBatch(consumer, config, now: now, force: force) {
                    case .handled(let n):
                        report.handled[consumer.id, default: 0] += n
                        progressed = true
                    case .upToDate, .waiting:
                        blocked.insert(consumer.id)
                    case .failed(let message):
                        report.failures[consumer.id] = message
                        blocked.insert(consumer.id)
                    }
                } catch {
                    // The transaction itself failed (storage error): keep the error for `crm events`.
                    let message = Self.describe(error)
                    report.failures[consumer.id] = message
                    blocked.insert(consumer.id)
                    try? recordFailure(consumer, message, now: now)
                }
                dispatcher.drain()
            }
            if !progressed { break }
        }
        return report
    }

    private enum BatchOutcome { case handled(Int), upToDate, waiting, failed(String) }

    /// Handles up to `consumerBatch` waiting events of one consumer in one IMMEDIATE transaction
    /// that also moves its cursor. A failing event stops the batch: the reactions before it and
    /// the cursor up to them commit, with the error, the attempt count and the retry time.
    private func runBatch(_ consumer: ActiveConsumer, _ config: Configuration, now: Date, force: Bool) throws -> BatchOutcome {
        var outcome = BatchOutcome.upToDate
        _ = try transaction(config, as: .system, immediate: true) { tx in
            let db = tx.db
            let state = try CursorState.fetch(db, consumer.cursorKey)
            if !force, let retryAt = state.retryAt, retryAt > now { outcome = .waiting; return }
            let head = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM _outbox") ?? 0
            let names = consumer.consumer.events
            let marks = Array(repeating: "?", count: names.count).joined(separator: ",")
            let rows = names.isEmpty ? [] : try Row.fetchAll(db, sql: """
                SELECT * FROM _outbox WHERE seq > ? AND seq <= ? AND event IN (\(marks)) ORDER BY seq LIMIT \(Self.consumerBatch)
                """, arguments: [state.seq, head] + StatementArguments(names))
            var cursor = state.seq, handled = 0
            for row in rows {
                let event = OutboxEntry(row: row).decoded()
                do {
                    try tx.isolated { try consumer.consumer.handle(event, tx) }
                } catch {
                    let message = Self.describe(error)
                    let attempts = state.attempts + 1
                    let retryAt = now.addingTimeInterval(min(Self.consumerMaxBackoff, pow(2, Double(attempts - 1))))
                    // Everything before the failing event is handled or not this consumer's.
                    try CursorState(seq: max(cursor, event.seq - 1), attempts: attempts, lastError: "event \(event.seq) (\(event.name)): \(message)",
                                    retryAt: retryAt).save(db, consumer.cursorKey)
                    outcome = .failed(message)
                    return
                }
                cursor = event.seq
                handled += 1
            }
            // Nothing it reads lies between the last handled event and the head read above
            // (events published by the reactions come after that head).
            if rows.count < Self.consumerBatch { cursor = max(cursor, head) }
            if !state.exists || cursor != state.seq || state.attempts > 0 || state.lastError != nil {
                try CursorState(seq: cursor, attempts: 0, lastError: nil, retryAt: nil).save(db, consumer.cursorKey)
            }
            outcome = handled > 0 ? .handled(handled) : .upToDate
        }
        return outcome
    }

    /// Keeps a failure that happened outside a handler (the transaction could not commit).
    private func recordFailure(_ consumer: ActiveConsumer, _ message: String, now: Date) throws {
        try translate {
            try pool.write { db in
                var state = try CursorState.fetch(db, consumer.cursorKey)
                state.attempts += 1
                state.lastError = message
                state.retryAt = now.addingTimeInterval(min(Self.consumerMaxBackoff, pow(2, Double(state.attempts - 1))))
                try state.save(db, consumer.cursorKey)
            }
        }
    }

    static func describe(_ error: any Error) -> String {
        (error as? KernelError)?.message ?? "\(error)"
    }
}

/// A consumer's row in `_outbox_cursor`: its position, and its failures since the last success.
struct CursorState {
    var seq: Int64 = 0
    var attempts = 0
    var lastError: String?
    var retryAt: Date?
    var exists = false

    init(seq: Int64, attempts: Int, lastError: String?, retryAt: Date?) {
        self.seq = seq
        self.attempts = attempts
        self.lastError = lastError
        self.retryAt = retryAt
    }

    static func fetch(_ db: Database, _ key: String) throws -> CursorState {
        guard let row = try Row.fetchOne(db, sql: "SELECT seq, attempts, last_error, retry_at FROM _outbox_cursor WHERE consumer = ?",
                                         arguments: [key]) else {
            return CursorState(seq: 0, attempts: 0, lastError: nil, retryAt: nil)
        }
        var state = CursorState(seq: row["seq"], attempts: row["attempts"], lastError: row["last_error"],
                                retryAt: (row["retry_at"] as String?).flatMap(DateCoding.parseInstant))
        state.exists = true
        return state
    }

    func save(_ db: Database, _ key: String) throws {
        try db.execute(sql: """
            INSERT INTO _outbox_cursor (consumer, seq, attempts, last_error, retry_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(consumer) DO UPDATE SET seq = excluded.seq, attempts = excluded.attempts,
                last_error = excluded.last_error, retry_at = excluded.retry_at
            """, arguments: [key, seq, attempts, lastError, retryAt.map(DateCoding.iso)])
    }
}
