import Foundation

/// The channels a message can go out on.
public enum MessageChannel: String, Sendable, Hashable, CaseIterable, Codable {
    /// E-mail over SMTP (workspace settings `messages.email.*`).
    case email
    /// A text message through an HTTP gateway (workspace settings `messages.sms.*`).
    case sms
}

/// Where a queued message stands; stored in the `message` record's `status` field.
public enum MessageStatus: String, Sendable, Hashable, CaseIterable {
    /// Waiting to be sent (also between retries).
    case pending = "待发送"
    /// Claimed by a sender; never claimed again (an interrupted send becomes `failed`).
    case sending = "发送中"
    /// Accepted by the SMTP server or the SMS gateway.
    case sent = "已发送"
    /// Given up: refused permanently, out of attempts, or interrupted while sending.
    case failed = "失败"
}

/// One message to queue with `WriteContext.sendMessage(_:)`.
public struct OutgoingMessage: Sendable, Hashable {
    /// The channel.
    public var channel: MessageChannel
    /// The recipient: an e-mail address, or a mobile number.
    public var to: String
    /// The subject (e-mail; ignored for SMS).
    public var subject: String?
    /// The text.
    public var body: String
    /// The entity of the record the message is about, optional.
    public var entity: String?
    /// The id of the record the message is about, optional.
    public var recordID: Int64?
    /// Dedupe key: queueing a second message with the same key does nothing.
    public var key: String?
    /// Who sent it, for grouping (e.g. `campaign:12`); optional.
    public var source: String?
    /// Not before this time (a message triggered "a day after"); nil: as soon as the transaction commits.
    public var sendAfter: Date?

    /// Creates a message.
    public init(channel: MessageChannel, to: String, subject: String? = nil, body: String,
                entity: String? = nil, recordID: Int64? = nil, key: String? = nil, source: String? = nil, sendAfter: Date? = nil) {
        self.channel = channel
        self.to = to
        self.subject = subject
        self.body = body
        self.entity = entity
        self.recordID = recordID
        self.key = key
        self.source = source
        self.sendAfter = sendAfter
    }

    /// An e-mail.
    public static func email(to: String, subject: String, body: String, entity: String? = nil, recordID: Int64? = nil,
                             key: String? = nil, source: String? = nil) -> OutgoingMessage {
        OutgoingMessage(channel: .email, to: to, subject: subject, body: body, entity: entity, recordID: recordID, key: key, source: source)
    }

    /// A text message.
    public static func sms(to: String, body: String, entity: String? = nil, recordID: Int64? = nil,
                           key: String? = nil, source: String? = nil) -> OutgoingMessage {
        OutgoingMessage(channel: .sms, to: to, body: body, entity: entity, recordID: recordID, key: key, source: source)
    }
}
