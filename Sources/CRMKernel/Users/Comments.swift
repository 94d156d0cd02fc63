import Foundation

/// Comments on any record, with `@mentions` (internal messages between team members about a
/// customer, a deal, an order ...): the kernel's `comment` entity and the calls the web
/// interface, the HTTP API and Lua (`crm.comment`, `crm.comments`) share.
///
/// Whoever may read a record may comment on it and read its comments; a comment is written as
/// the system on the author's behalf (stock roles have no grant on `comment` itself). Each
/// `@name` is matched against users' display names (`张伟`) and logins (`zhangwei`), longest
/// match first so `@张伟请看` finds 张伟; each mentioned user (not the author) gets a
/// `comment.mention` notification. A name that matches no user, or several, is reported back
/// in `Posted.unknown` / `Posted.ambiguous` and nobody is notified for it; so is a user who may
/// not see the record (their role cannot read the entity, or the record is out of their scope),
/// in `Posted.cannotSee`: the notification would leak the record's title to them.
public enum Comments {
    /// The longest comment accepted, in characters.
    public static let maxLength = 5000

    /// The `comment` entity.
    static var entity: EntityDefinition {
        EntityDefinition("comment", label: LocalizedText("评论", en: "Comment"), titleField: "body", fields: [
            FieldDefinition("entity", .text, label: LocalizedText("对象", en: "Entity"), required: true, indexed: true, maxLength: 64),
            FieldDefinition("record_id", .integer, label: LocalizedText("记录", en: "Record"), required: true, indexed: true),
            FieldDefinition("body", .longText, label: LocalizedText("内容", en: "Text"), required: true, maxLength: maxLength),
            FieldDefinition("author", .user, label: LocalizedText("作者", en: "Author"), indexed: true),
            FieldDefinition("mentions", .text, label: LocalizedText("提到的用户", en: "Mentioned users"), maxLength: 1000),
        ])
    }

    /// A comment as written, with what became of its mentions.
    public struct Posted: Sendable {
        /// The stored `comment` record.
        public var comment: Record
        /// The users notified, by id.
        public var mentioned: [Int64]
        /// `@names` that match no user.
        public var unknown: [String]
        /// `@names` that match more than one user.
        public var ambiguous: [String]
        /// `@names` of users who may not see the record, so were not notified.
        public var cannotSee: [String]
    }

    /// Posts `body` on `entity` record `id` as the transaction's user, notifying the users it
    /// mentions. Throws `notFound` when the user cannot see the record, `validation` naming
    /// `body` when the text is empty or too long.
    public static func post(on entity: String, _ id: Int64, body: String, in tx: WriteContext) throws -> Posted {
        let record = try visibleRecord(entity, id, tx.reader)
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            throw KernelError(.validation, "a comment needs some text", entity: "comment", fieldErrors: [FieldError(field: "body", message: "required")])
        }
        guard text.count <= maxLength else {
            throw KernelError(.validation, "a comment is at most \(maxLength) characters", entity: "comment",
                              fieldErrors: [FieldError(field: "body", message: "at most \(maxLength) characters")])
        }
        let author = tx.access.user
        return try tx.asSystem {
            let resolved = try resolveMentions(in: text, tx.reader)
            let (visible, cannotSee) = try seeing(resolved.users, entity, id, tx.reader.system)
            let notified = visible.filter { $0 != author.id }
            var values: [String: Value] = ["entity": .text(entity), "record_id": .integer(id), "body": .text(text),
                                           "mentions": .text(visible.map(String.init).joined(separator: ","))]
            if let uid = author.id {
                values["author"] = .integer(uid)
                values["owner"] = .integer(uid)
            }
            let comment = try tx.create("comment", values)
            let who = try author.id.flatMap { try tx.reader.get("user", $0)?["display_name"].textValue } ?? author.name
            let schema = try tx.schema.entity(entity)
            let title = schema.definition.titleField.flatMap { record[$0].textValue } ?? "\(entity) \(id)"
            for uid in notified {
                try Notifications.send(Notifications.Message(user: uid, kind: "comment.mention", title: "\(who) 在「\(title)」中提到了您",
                                                             body: text, entity: entity, recordID: id, key: "comment.\(comment.id).\(uid)"), in: tx)
            }
            return Posted(comment: comment, mentioned: notified, unknown: resolved.unknown, ambiguous: resolved.ambiguous, cannotSee: cannotSee)
        }
    }

    /// Splits mentioned users into those who may see `entity` record `id` (by id) and those who
    /// may not (by the name they were mentioned with), each judged by their own role and team.
    static func seeing(_ users: [Mention], _ entity: String, _ id: Int64, _ system: RecordReader) throws -> (ids: [Int64], names: [String]) {
        guard !users.isEmpty else { return ([], []) }
        let schema = try system.schema.entity(entity)
        guard let record = try system.get(entity, id) else { return ([], users.map(\.name)) }
        var ids: [Int64] = [], names: [String] = []
        for mention in users {
            guard let user = try system.get("user", mention.id) else { continue }
            let acting = ActingUser(id: user.id, name: user["name"].textValue ?? "", role: user["role"].textValue)
            let access = try AccessGuard(user: acting, schema: system.schema, reader: system)
            if access.allows(.read, on: entity), access.canSee(record, schema) {
                ids.append(mention.id)
            } else {
                names.append(mention.name)
            }
        }
        return (ids, names)
    }

    /// The comments on `entity` record `id`, oldest first (at most `limit`, the newest ones),
    /// for a reader who can see the record; `notFound` otherwise.
    public static func list(on entity: String, _ id: Int64, in reader: RecordReader, limit: Int = 200) throws -> [Record] {
        _ = try visibleRecord(entity, id, reader)
        let filter = Filter.all([.eq("entity", .text(entity)), .eq("record_id", .integer(id))])
        return try reader.system.find(Query("comment", filter: filter, sort: [SortKey("id", descending: true)], limit: limit)).records.reversed().map { $0 }
    }

    /// The record, when the reader's user may read the entity and sees the record.
    static func visibleRecord(_ entity: String, _ id: Int64, _ reader: RecordReader) throws -> Record {
        _ = try reader.schema.entity(entity)
        guard entity != "comment", reader.access.allows(.read, on: entity), let record = try reader.get(entity, id) else {
            throw KernelError(.notFound, "\(entity) \(id) does not exist", entity: entity)
        }
        return record
    }

    /// A mentioned user: their id and the name they were mentioned by.
    struct Mention: Equatable {
        var id: Int64
        var name: String
    }

    /// What the `@names` of a text resolve to.
    struct Resolution {
        var users: [Mention] = []
        var unknown: [String] = []
        var ambiguous: [String] = []
    }

    /// Resolves every `@name` in `text` against active users' display names and logins.
    static func resolveMentions(in text: String, _ reader: RecordReader) throws -> Resolution {
        let words = mentionWords(in: text)
        guard !words.isEmpty else { return Resolution() }
        var byName: [String: Set<Int64>] = [:]
        let users = try reader.system.find(Query("user", filter: .eq("active", .bool(true)), limit: 10_000)).records
        for user in users {
            for key in ["display_name", "name"] {
                if let name = user[key].textValue, !name.isEmpty { byName[name, default: []].insert(user.id) }
            }
        }
        var out = Resolution()
        for word in words {
            // The longest prefix of the word that names someone: `@张伟请看` → 张伟.
            let match = (1...word.count).reversed().lazy.map { String(word.prefix($0)) }.first { byName[$0] != nil }
            guard let name = match, let ids = byName[name] else {
                if !out.unknown.contains(word) { out.unknown.append(word) }
                continue
            }
            if ids.count > 1 {
                if !out.ambiguous.contains(name) { out.ambiguous.append(name) }
            } else if let uid = ids.first, !out.users.contains(where: { $0.id == uid }) {
                out.users.append(Mention(id: uid, name: name))
            }
        }
        return out
    }

    /// The runs of name characters (letters, digits, `_ . -`) after each `@` that starts a
    /// mention (not one inside an e-mail address).
    public static func mentionWords(in text: String) -> [String] {
        var words: [String] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            defer { i += 1 }
            guard chars[i] == "@", i == 0 || !isNameCharacter(chars[i - 1]) else { continue }
            var j = i + 1
            while j < chars.count, isNameCharacter(chars[j]) { j += 1 }
            if j > i + 1 { words.append(String(chars[(i + 1)..<j])) }
        }
        return words
    }

    static func isNameCharacter(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c == "_" || c == "." || c == "-"
    }
}
