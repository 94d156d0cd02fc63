import Foundation

/// A queued message as a sender sees it.
public struct QueuedMessage: Sendable, Hashable {
    /// The `message` record's id.
    public var id: Int64
    /// The channel.
    public var channel: MessageChannel
    /// The recipient.
    public var to: String
    /// The subject (e-mail).
    public var subject: String
    /// The text.
    public var body: String
    /// Attempts made before this one.
    public var attempts: Int

    /// Creates a queued message.
    public init(id: Int64, channel: MessageChannel, to: String, subject: String, body: String, attempts: Int) {
        self.id = id
        self.channel = channel
        self.to = to
        self.subject = subject
        self.body = body
        self.attempts = attempts
    }

    init?(_ record: Record) {
        guard case .text(let c) = record["channel"], let channel = MessageChannel(rawValue: c),
              case .text(let to) = record["to"], case .text(let body) = record["body"] else { return nil }
        var subject = ""
        if case .text(let s) = record["subject"] { subject = s }
        var attempts = 0
        if case .integer(let n) = record["attempts"] { attempts = Int(n) }
        self.init(id: record.id, channel: channel, to: to, subject: subject, body: body, attempts: attempts)
    }
}

/// Why a delivery did not succeed. A permanent failure (the server refused the recipient or the
/// message with a 5xx reply, the gateway answered 4xx) is not retried; a transient one (no
/// connection, a timeout, a 4xx SMTP reply, a 5xx gateway answer) is, with backoff.
public struct MessageDeliveryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, for the record's `last_error`.
    public var message: String
    /// True when retrying cannot help.
    public var permanent: Bool

    /// Creates a delivery error.
    public init(_ message: String, permanent: Bool) {
        self.message = message
        self.permanent = permanent
    }

    /// The message.
    public var description: String { message }
}

/// Sends one message on one channel; returns the provider's id for it (the SMTP Message-ID, the
/// gateway's id), or nil. Throws `MessageDeliveryError`.
public protocol MessageTransport: Sendable {
    /// Sends `message`.
    func deliver(_ message: QueuedMessage) async throws -> String?
}
