/// What a module's entity needs in one stock role, declared in the module's folder
/// (`Plugin.grants`) and merged by the kernel into the role's definition.
///
/// Precedence: the kernel's base definition of the role, then every enabled module's grants (in
/// dependency order), then the company's script pack (`crm.role` replaces a role whole).
public struct RoleGrant: Sendable, Hashable {
    /// The stock role (`sales_rep`).
    public var role: String
    /// The entity the grant is about.
    public var entity: String
    /// Actions added to the role on `entity`.
    public var actions: Set<AccessAction>
    /// The record scope on `entity` when it differs from the role's own scope.
    public var scope: RecordScope?
    /// Fields of `entity` the role never sees.
    public var hidden: Set<String>
    /// Fields of `entity` the role sees but may not write.
    public var readOnly: Set<String>
    /// Whether the role sees records of `entity` without an owner whatever its scope (公海).
    public var unowned: Bool

    /// Creates a grant.
    public init(_ role: String, _ entity: String, _ actions: Set<AccessAction>, scope: RecordScope? = nil,
                hidden: Set<String> = [], readOnly: Set<String> = [], unowned: Bool = false) {
        self.role = role
        self.entity = entity
        self.actions = actions
        self.scope = scope
        self.hidden = hidden
        self.readOnly = readOnly
        self.unowned = unowned
    }

    /// Read, create and update: what a rep does with their own records.
    public static let work: Set<AccessAction> = [.read, .create, .update]
    /// Everything but administering the entity: what a manager does.
    public static let manage: Set<AccessAction> = [.read, .create, .update, .delete, .export]
}

extension RoleDefinition {
    /// This role with `grant` merged in: actions, hidden and read-only fields are added; the
    /// grant's scope (when it has one) replaces the role's scope on that entity.
    public func merging(_ grant: RoleGrant) -> RoleDefinition {
        var role = self
        role.grants[grant.entity, default: []].formUnion(grant.actions)
        if let scope = grant.scope { role.scopes[grant.entity] = scope }
        if !grant.hidden.isEmpty { role.hidden[grant.entity, default: []].formUnion(grant.hidden) }
        if !grant.readOnly.isEmpty { role.readOnly[grant.entity, default: []].formUnion(grant.readOnly) }
        if grant.unowned { role.unowned.insert(grant.entity) }
        return role
    }
}
