import Foundation

/// A stored record: its entity, id and field values (system fields included).
public struct Record: Sendable, Hashable {
    /// The entity name.
    public let entity: String
    /// The record id, unique within the entity.
    public let id: Int64
    /// Values by field name; absent and null mean the same.
    public var values: [String: Value]

    /// Creates a record value.
    public init(entity: String, id: Int64, values: [String: Value]) {
        self.entity = entity
        self.id = id
        self.values = values
    }

    /// The value of a field (null when absent).
    public subscript(_ field: String) -> Value {
        get { values[field] ?? .null }
        set { values[field] = newValue }
    }
}

/// Who is acting: recorded in the audit log and the `created_by`/`updated_by` stamps.
public struct ActingUser: Sendable, Hashable {
    /// The user's record id; nil for the system itself (scheduler, migrations).
    public var id: Int64?
    /// The login name.
    public var name: String
    /// The role id, when known.
    public var role: String?

    /// Creates an acting user.
    public init(id: Int64?, name: String, role: String? = nil) {
        self.id = id
        self.name = name
        self.role = role
    }

    /// The system itself.
    public static let system = ActingUser(id: nil, name: "system", role: "admin")
}
