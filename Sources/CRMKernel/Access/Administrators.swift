/// The one place that decides whether someone administers the workspace.
///
/// An administrator is the system itself (no user id: scheduler, migrations, the CLI's own
/// work) or a user whose role's definition has `admin` on `*` (`RoleDefinition.isAdministrator`).
/// The role id does not matter: a company's own `crm.role("boss", {grants = {["*"] = {"admin"}}})`
/// is an administrator everywhere, and an `admin` role that a pack redeclares without that grant
/// is not. The kernel's `admin` definition is in force until a pack replaces it.
extension Schema {
    /// The definition of role `id` in force: the declared one, or the kernel's `admin` role.
    public func role(_ id: String?) -> RoleDefinition? {
        guard let id else { return nil }
        return roles[id] ?? (id == RoleDefinition.administratorID ? .kernelAdministrator : nil)
    }

    /// Whether `user` administers the workspace.
    public func isAdministrator(_ user: ActingUser) -> Bool {
        user.id == nil || role(user.role)?.isAdministrator == true
    }

    /// Whether role `id` is an administrator role.
    public func isAdministratorRole(_ id: String?) -> Bool {
        role(id)?.isAdministrator == true
    }

    /// The ids of the administrator roles in force.
    public var administratorRoleIDs: [String] {
        var ids = roles.values.filter(\.isAdministrator).map(\.id)
        if roles[RoleDefinition.administratorID] == nil { ids.append(RoleDefinition.administratorID) }
        return ids.sorted()
    }
}

extension WriteContext {
    /// Whether the transaction's acting user administers the workspace.
    public var actsAsAdministrator: Bool { schema.isAdministrator(user) }

    /// Throws `forbidden` unless the acting user administers the workspace; `what` names the
    /// action in the message ("change a user's role").
    public func requireAdministrator(to what: String, entity: String? = nil, field: String? = nil) throws(KernelError) {
        guard !actsAsAdministrator else { return }
        throw KernelError(.forbidden, "only an administrator may \(what) (\(user.name) is \(user.role ?? "without a role"))", entity: entity,
                          fieldErrors: field.map { [FieldError(field: $0, message: "administrators only")] } ?? [])
    }
}

extension ScriptCall {
    /// Whether the caller administers the workspace.
    public var actsAsAdministrator: Bool { store.schema.isAdministrator(user) }
}
