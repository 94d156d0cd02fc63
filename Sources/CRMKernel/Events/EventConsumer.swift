import Foundation

/// A durable reaction of a module to events: it reads the outbox (`_outbox`) with its own cursor
/// kept in the database, so it sees every event it consumes at least once, in commit order, across
/// restarts and crashes.
///
/// The handler runs in a write transaction together with the advance of the cursor: what it writes
/// through `tx` and the cursor commit together or not at all. A handler that throws leaves the
/// event where it is (the error and the number of attempts are kept, and it is retried with
/// backoff); other consumers go on. Handlers write through `tx` only. As the reaction and the
/// cursor commit together, a crash never repeats a reaction; still, prefer reactions that are
/// harmless to repeat (setting a status rather than adding to a total), since restoring a backup
/// taken between an event and its reaction replays it.
public struct EventConsumer: Sendable {
    /// The consumer's name within its module (`deal_won`); with the module id it names the cursor.
    public var name: String
    /// The events it consumes (`opportunity.won`).
    public var events: [String]
    /// One line on what it does, shown by `crm events`.
    public var summary: String
    /// The reaction, in the transaction that also advances the cursor.
    public var handle: @Sendable (Event, WriteContext) throws -> Void

    /// Creates a consumer.
    public init(_ name: String, events: [String], summary: String,
                handle: @escaping @Sendable (Event, WriteContext) throws -> Void) {
        self.name = name
        self.events = events
        self.summary = summary
        self.handle = handle
    }
}

/// A consumer in force: its module and its declaration.
public struct ActiveConsumer: Sendable {
    /// The module that declared it.
    public var module: String
    /// The declaration.
    public var consumer: EventConsumer
    /// `<module>.<name>`, the id users name in `crm events retry`.
    public var id: String { "\(module).\(consumer.name)" }
    /// The key of its cursor in `_outbox_cursor`.
    var cursorKey: String { "consumer:" + id }
}

/// Where a consumer (or a webhook) stands in the outbox, for `crm events` and the admin view.
public struct ConsumerStatus: Sendable, Hashable {
    /// `<module>.<name>` for a module's consumer, `webhook:<id>` for a webhook.
    public var id: String
    /// The events it reads (a webhook's patterns are not listed).
    public var events: [String]
    /// The last outbox sequence it has handled (0: none yet).
    public var seq: Int64
    /// How many of the events it reads wait after `seq`.
    public var lag: Int
    /// Failed attempts at its next event since its last success.
    public var attempts: Int
    /// The last failure's message (nil after a success).
    public var lastError: String?
    /// When it will try again after a failure (UTC), or nil.
    public var retryAt: Date?
}
