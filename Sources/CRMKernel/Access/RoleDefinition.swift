/// Something a role may do with an entity's records.
public enum AccessAction: String, Sendable, Hashable, CaseIterable, Codable {
    case read, create, update, delete, export
    /// Manage the entity itself (and, on `*`, the workspace: users, tokens, webhooks, modules).
    case admin
}

/// Which records a role sees among those it may read: by their `owner`.
public enum RecordScope: String, Sendable, Hashable, CaseIterable, Codable {
    /// Records the user owns.
    case own
    /// Records owned by anyone in the user's team.
    case team
    /// Records owned by anyone in the user's team or its sub-teams.
    case teamTree = "team_tree"
    /// Every record.
    case all
}

/// A role: what its users may do with each entity, which records they see, and which fields
/// are hidden from them or read-only.
///
/// Declared in the script pack with `crm.role(id, spec)`; a later declaration of the same id
/// replaces the earlier one, so a company's pack can change a stock role.
public struct RoleDefinition: Sendable, Hashable, Codable {
    /// The role id stored in `user.role` (`sales_rep`).
    public var id: String
    /// Display name.
    public var label: LocalizedText
    /// Actions by entity name; `*` grants to every entity not listed by name.
    public var grants: [String: Set<AccessAction>]
    /// The record scope for entities that have an owner.
    public var scope: RecordScope
    /// Per-entity scopes that differ from `scope`.
    public var scopes: [String: RecordScope]
    /// Fields never shown to this role, by entity (`product: [cost_price]`).
    public var hidden: [String: Set<String>]
    /// Fields this role sees but may not write, by entity.
    public var readOnly: [String: Set<String>]
    /// Entities whose records without an owner the role sees whatever its scope (公海 customers).
    public var unowned: Set<String>

    /// Creates a role.
    public init(id: String, label: LocalizedText, grants: [String: Set<AccessAction>], scope: RecordScope = .own,
                scopes: [String: RecordScope] = [:], hidden: [String: Set<String>] = [:], readOnly: [String: Set<String>] = [:],
                unowned: Set<String> = []) {
        self.unowned = unowned
        self.id = id
        self.label = label
        self.grants = grants
        self.scope = scope
        self.scopes = scopes
        self.hidden = hidden
        self.readOnly = readOnly
    }

    /// Whether the role may do `action` on `entity`.
    public func allows(_ action: AccessAction, on entity: String) -> Bool {
        if grants["*"]?.contains(.admin) == true { return true }
        if let own = grants[entity] { return own.contains(action) || own.contains(.admin) }
        return grants["*"]?.contains(action) ?? false
    }

    /// Whether the role administers the whole workspace: it has the `admin` action on `*`.
    /// This is the one test of "administrator"; ask it through `Schema.isAdministrator(_:)`.
    public var isAdministrator: Bool { grants["*"]?.contains(.admin) == true }

    /// The id of the kernel's administrator role (`admin`).
    public static let administratorID = "admin"

    /// The kernel's `admin` role: `admin` on `*`, every record. It is in force in every
    /// workspace (so a workspace without a script pack still has an administrator); a pack may
    /// replace it with `crm.role("admin", ...)` like any other role, and then the pack's
    /// definition decides whether `admin` users administer the workspace.
    public static let kernelAdministrator = RoleDefinition(
        id: administratorID, label: LocalizedText("超级管理员", en: "Administrator"), grants: ["*": [.admin]], scope: .all)

    /// The scope on `entity`.
    public func scope(on entity: String) -> RecordScope {
        isAdministrator ? .all : (scopes[entity] ?? scope)
    }
}
