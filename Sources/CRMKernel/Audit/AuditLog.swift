import Foundation
import GRDB

/// One audited write: who, when, what, and each field's old and new value.
public struct AuditEntry: Sendable, Hashable {
    /// One field's change.
    public struct Change: Sendable, Hashable {
        /// The field.
        public var field: String
        /// The value before (null on create).
        public var old: Value
        /// The value after (null on delete).
        public var new: Value
    }

    /// Position in the log.
    public var id: Int64
    /// When (UTC).
    public var at: Date
    /// The acting user's id (nil for the system).
    public var userID: Int64?
    /// The acting user's name.
    public var userName: String
    /// create, update or delete (or a domain action such as `merge`).
    public var action: String
    /// The entity.
    public var entity: String
    /// The record.
    public var recordID: Int64
    /// The fields changed, by name.
    public var changes: [Change]
}

/// Writes and reads the audit log (`_audit`).
///
/// Secret fields (`FieldDefinition.isSecret`) are never stored: a change to one is recorded as
/// `secretMarker` (and a previous value as `previousSecretMarker`), so the history shows that
/// the secret changed, and when, but not what it is.
public enum AuditLog {
    /// Stands for a secret's new value in the audit log.
    public static let secretMarker = "(secret changed)"
    /// Stands for a secret's previous value in the audit log.
    public static let previousSecretMarker = "(secret)"

    /// `changes` with the values of `secrets` replaced by markers.
    static func masked(_ changes: [(String, Value, Value)], secrets: Set<String>) -> [(String, Value, Value)] {
        guard !secrets.isEmpty else { return changes }
        return changes.map { c in
            guard secrets.contains(c.0) else { return c }
            return (c.0, c.1.isEmpty ? .null : .text(previousSecretMarker), c.2.isEmpty ? .null : .text(secretMarker))
        }
    }

    /// Records one write; `changes` maps field → (old, new); the values of `secrets` are masked.
    static func record(_ db: Database, at: String, user: ActingUser, action: String, entity: String,
                       recordID: Int64, changes: [(String, Value, Value)], secrets: Set<String> = []) throws {
        var json = "{"
        for (i, c) in masked(changes, secrets: secrets).enumerated() {
            if i > 0 { json += "," }
            json += JSONText.quote(c.0) + ":[" + JSONText.value(c.1) + "," + JSONText.value(c.2) + "]"
        }
        json += "}"
        try insert(db, at: at, user: user, action: action, entity: entity, recordID: recordID, json: json)
    }

    /// Records one write whose changes are already encoded as JSON.
    static func insert(_ db: Database, at: String, user: ActingUser, action: String, entity: String,
                       recordID: Int64, json: String) throws {
        try db.cachedStatement(sql: "INSERT INTO _audit (at, user_id, user_name, action, entity, record_id, changes) VALUES (?,?,?,?,?,?,?)")
            .executeBound([at.databaseValue, user.id.databaseValue, user.name.databaseValue, action.databaseValue,
                           entity.databaseValue, recordID.databaseValue, json.databaseValue])
    }

    /// The history of one record, oldest first.
    static func history(_ db: Database, entity: EntitySchema?, entityName: String, recordID: Int64) throws -> [AuditEntry] {
        let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM _audit WHERE entity = ? AND record_id = ? ORDER BY id"),
                                    arguments: [entityName, recordID])
        return rows.map { row in
            var changes: [AuditEntry.Change] = []
            let text: String = row["changes"]
            if let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: [Any]] {
                for key in object.keys.sorted() {
                    let pair = object[key]!
                    let field = entity?.fieldsByName[key]
                    changes.append(.init(field: key, old: jsonValue(pair.first, field), new: jsonValue(pair.count > 1 ? pair[1] : nil, field)))
                }
            }
            return AuditEntry(id: row["id"], at: DateCoding.parseInstant(row["at"]) ?? Date(timeIntervalSince1970: 0),
                              userID: row["user_id"], userName: row["user_name"], action: row["action"],
                              entity: row["entity"], recordID: row["record_id"], changes: changes)
        }
    }

    /// Converts a decoded JSON item back into a value, using the field type where known.
    static func jsonValue(_ item: Any?, _ field: FieldDefinition?) -> Value {
        switch item {
        case nil, is NSNull: return .null
        case let s as String:
            if let field {
                if field.type.isDecimal, let d = Decimal(string: s) { return .decimal(d) }
                if field.type == .datetime, let d = DateCoding.parseInstant(s) { return .datetime(d) }
            }
            return .text(s)
        case let list as [Any]: return .list(list.compactMap { $0 as? String })
        case let n as NSNumber:
            if field?.type == .boolean || String(describing: type(of: n)).contains("Bool") { return .bool(n.boolValue) }
            let text = n.stringValue
            if text.contains(".") || text.contains("e") { return .real(n.doubleValue) }
            return .integer(n.int64Value)
        default: return .null
        }
    }
}
