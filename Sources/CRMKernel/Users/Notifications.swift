import Foundation

/// Notifications for users (task reminders, pool warnings, stalled deals): the kernel's
/// `notification` entity and the calls every module uses to send, list and mark them.
///
/// A notification may carry a `key`; sending again with a key already used does nothing, so
/// a scheduler pass that runs twice does not notify twice.
public enum Notifications {
    /// The `notification` entity.
    static var entity: EntityDefinition {
        EntityDefinition("notification", label: LocalizedText("通知", en: "Notification"), titleField: "title", fields: [
            FieldDefinition("user", .user, label: LocalizedText("接收人", en: "Recipient"), required: true, indexed: true),
            FieldDefinition("kind", .text, label: LocalizedText("类型", en: "Kind"), indexed: true, maxLength: 64),
            FieldDefinition("title", .text, label: LocalizedText("标题", en: "Title"), required: true, maxLength: 200),
            FieldDefinition("body", .longText, label: LocalizedText("内容", en: "Body"), maxLength: 5000),
            FieldDefinition("entity", .text, label: LocalizedText("相关对象", en: "Entity"), maxLength: 64),
            FieldDefinition("record_id", .integer, label: LocalizedText("相关记录", en: "Record")),
            FieldDefinition("key", .text, label: LocalizedText("去重键", en: "Dedupe key"), unique: true, maxLength: 200),
            FieldDefinition("read_at", .datetime, label: LocalizedText("已读时间", en: "Read at"), indexed: true),
        ])
    }

    /// One notification to send.
    public struct Message: Sendable, Hashable {
        /// The recipient's user id.
        public var user: Int64
        /// What kind of notification this is, e.g. `task.reminder`, `pool.warning`.
        public var kind: String
        /// The headline.
        public var title: String
        /// Longer text, optional.
        public var body: String?
        /// The record it is about, optional.
        public var entity: String?
        /// The id of the record it is about, optional.
        public var recordID: Int64?
        /// Dedupe key: a second message with the same key is not sent.
        public var key: String?

        /// Creates a message.
        public init(user: Int64, kind: String, title: String, body: String? = nil,
                    entity: String? = nil, recordID: Int64? = nil, key: String? = nil) {
            self.user = user
            self.kind = kind
            self.title = title
            self.body = body
            self.entity = entity
            self.recordID = recordID
            self.key = key
        }
    }

    /// Sends `message` in `tx`; returns the new notification, or nil when its key was used before.
    @discardableResult
    public static func send(_ message: Message, in tx: WriteContext) throws -> Record? {
        if let key = message.key, try !tx.reader.ids("notification", where: "key", equals: .text(key), limit: 1).isEmpty {
            return nil
        }
        var values: [String: Value] = ["user": .integer(message.user), "kind": .text(message.kind), "title": .text(message.title),
                                       "owner": .integer(message.user)]
        if let body = message.body { values["body"] = .text(body) }
        if let entity = message.entity { values["entity"] = .text(entity) }
        if let id = message.recordID { values["record_id"] = .integer(id) }
        if let key = message.key { values["key"] = .text(key) }
        return try tx.create("notification", values)
    }

    /// A user's notifications, newest first; only unread ones when `unreadOnly`.
    public static func list(for user: Int64, unreadOnly: Bool = false, limit: Int = 50, in reader: RecordReader) throws -> [Record] {
        var filter = Filter.eq("user", .integer(user))
        if unreadOnly { filter = .all([filter, .condition(field: "read_at", op: .isEmpty, value: .null)]) }
        return try reader.find(Query("notification", filter: filter, sort: [SortKey("id", descending: true)], limit: limit)).records
    }

    /// Marks notifications read (those of `user` only, when given); returns how many changed.
    @discardableResult
    public static func markRead(_ ids: [Int64], user: Int64? = nil, in tx: WriteContext) throws -> Int {
        var changed = 0
        for id in ids {
            guard let note = try tx.reader.get("notification", id) else {
                throw KernelError(.notFound, "notification \(id) does not exist")
            }
            if let user, note["user"] != .integer(user) {
                throw KernelError(.forbidden, "notification \(id) belongs to another user")
            }
            if note["read_at"] == .null {
                try tx.update("notification", id, ["read_at": .datetime(tx.now)])
                changed += 1
            }
        }
        return changed
    }
}
