import Foundation
import GRDB

extension RecordStore {
    /// The workspace setting that says how many days of outbox history to keep once every
    /// consumer and active webhook is past an entry (default `defaultOutboxKeepDays`).
    public static let outboxKeepDaysSetting = "outbox.keep_days"
    /// Days of history kept when the setting is absent.
    public static let defaultOutboxKeepDays = 30

    /// Where each consumer in force and each active webhook stands in the outbox.
    public func consumerStatuses() throws -> [ConsumerStatus] {
        let consumers = currentConfiguration.hooks.consumers
        return try translate {
            try pool.read { db in
                var list: [ConsumerStatus] = []
                for c in consumers {
                    let state = try CursorState.fetch(db, c.cursorKey)
                    let names = c.consumer.events
                    let marks = Array(repeating: "?", count: names.count).joined(separator: ",")
                    let lag = names.isEmpty ? 0 : try Int.fetchOne(db, sql: "SELECT count(*) FROM _outbox WHERE seq > ? AND event IN (\(marks))",
                                                                   arguments: [state.seq] + StatementArguments(names)) ?? 0
                    list.append(ConsumerStatus(id: c.id, events: names, seq: state.seq, lag: lag, attempts: state.attempts,
                                               lastError: state.lastError, retryAt: state.retryAt))
                }
                for id in try activeWebhooks(db) {
                    let state = try CursorState.fetch(db, "webhook:\(id)")
                    let lag = try Int.fetchOne(db, sql: "SELECT count(*) FROM _outbox WHERE seq > ?", arguments: [state.seq]) ?? 0
                    list.append(ConsumerStatus(id: "webhook:\(id)", events: [], seq: state.seq, lag: lag, attempts: state.attempts,
                                               lastError: state.lastError, retryAt: state.retryAt))
                }
                return list
            }
        }
    }

    /// Clears a failed consumer's wait and runs it now. Throws `notFound` for an unknown id.
    @discardableResult
    public func retryConsumer(_ id: String, now: Date = Date()) throws -> DrainReport {
        let config = currentConfiguration
        guard let consumer = config.hooks.consumers.first(where: { $0.id == id }) else {
            let known = config.hooks.consumers.map(\.id)
            throw KernelError(.notFound, "no event consumer '\(id)' (consumers: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
        }
        try translate {
            try pool.write { db in
                try db.execute(sql: "UPDATE _outbox_cursor SET retry_at = NULL WHERE consumer = ?", arguments: [consumer.cursorKey])
            }
        }
        return drainConsumers(config, only: id, now: now, force: true)
    }

    /// Deletes the outbox entries every consumer in force and every active webhook has handled,
    /// keeping those committed less than `keepDays` days ago (default: the workspace setting
    /// `outbox.keep_days`, else 30). Returns how many were deleted. A disabled module's consumer
    /// does not hold entries back: re-enabled after the history it keeps, it misses what was pruned.
    @discardableResult
    public func pruneOutbox(keepDays: Int? = nil, now: Date = Date()) throws -> Int {
        let days = try keepDays ?? setting(Self.outboxKeepDaysSetting).flatMap { Int($0) } ?? Self.defaultOutboxKeepDays
        guard days >= 0 else { throw KernelError(.validation, "\(Self.outboxKeepDaysSetting) must be 0 or more days, not \(days)") }
        let consumers = currentConfiguration.hooks.consumers
        let cutoff = DateCoding.iso(now.addingTimeInterval(-Double(days) * 86_400))
        return try translate {
            try pool.write { db in
                var floor = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM _outbox") ?? 0
                for key in try activeWebhooks(db).map({ "webhook:\($0)" }) {
                    floor = min(floor, try CursorState.fetch(db, key).seq)
                }
                // A consumer holds back only the first entry it still has to handle: entries of
                // events it does not read are nobody's business of its.
                for consumer in consumers {
                    let cursor = try CursorState.fetch(db, consumer.cursorKey).seq
                    let names = consumer.consumer.events
                    guard !names.isEmpty else { continue }
                    let marks = Array(repeating: "?", count: names.count).joined(separator: ",")
                    if let pending = try Int64.fetchOne(db, sql: "SELECT min(seq) FROM _outbox WHERE seq > ? AND event IN (\(marks))",
                                                        arguments: [cursor] + StatementArguments(names)) {
                        floor = min(floor, pending - 1)
                    }
                }
                try db.execute(sql: "DELETE FROM _outbox WHERE seq <= ? AND at < ?", arguments: [floor, cutoff])
                return db.changesCount
            }
        }
    }

    /// Ids of active webhooks (none while the table does not exist yet).
    private func activeWebhooks(_ db: Database) throws -> [Int64] {
        guard try db.tableExists("e_webhook") else { return [] }
        return try Int64.fetchAll(db, sql: "SELECT id FROM e_webhook WHERE active = 1 ORDER BY id")
    }
}
