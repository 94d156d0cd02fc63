import Foundation
import GRDB
import Synchronization

/// The durable outbox (`_outbox`): every event is written in the transaction that caused it,
/// so integrations can catch up after a crash without missing one.
enum Outbox {
    /// Appends an event; returns its sequence number.
    static func append(_ db: Database, name: String, entity: String, recordID: Int64?, userID: Int64?,
                       at: String, payload: String) throws -> Int64 {
        try db.cachedStatement(sql: "INSERT INTO _outbox (event, entity, record_id, user_id, at, payload) VALUES (?,?,?,?,?,?)")
            .executeBound([name.databaseValue, entity.databaseValue, recordID.databaseValue, userID.databaseValue,
                           at.databaseValue, payload.databaseValue])
        return db.lastInsertedRowID
    }
}

/// A stored outbox entry as read back by integrations.
public struct OutboxEntry: Sendable, Hashable {
    /// Sequence number (commit order).
    public var seq: Int64
    /// Event name.
    public var event: String
    /// Entity.
    public var entity: String
    /// Record id.
    public var recordID: Int64?
    /// Acting user id.
    public var userID: Int64?
    /// Commit time (UTC, ISO 8601).
    public var at: String
    /// The payload as JSON text.
    public var payload: String
}

/// Delivers committed events to in-process handlers, one at a time, in commit order.
///
/// Events are queued from the commit callback of their transaction (which GRDB runs in commit
/// order) and delivered by whichever caller drains the queue; a handler that writes queues its
/// own events, which are delivered after it returns.
final class EventDispatcher: Sendable {
    private struct State {
        var queue: [(Event, [EventHandler])] = []
        var delivering = false
    }
    private let state = Mutex(State())

    func enqueue(_ events: [(Event, [EventHandler])]) {
        state.withLock { $0.queue.append(contentsOf: events) }
    }

    /// Delivers queued events unless another caller is already doing so.
    func drain() {
        let mine = state.withLock { s -> Bool in
            if s.delivering { return false }
            s.delivering = true
            return true
        }
        guard mine else { return }
        while true {
            let next = state.withLock { s -> (Event, [EventHandler])? in
                if s.queue.isEmpty { s.delivering = false; return nil }
                return s.queue.removeFirst()
            }
            guard let (event, handlers) = next else { return }
            for handler in handlers { handler(event) }
        }
    }
}
