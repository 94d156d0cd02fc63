/// Kernel rules on the workspace's own entities that no grant can lift: who may shape users,
/// teams and webhooks. They run as the last before-save hooks of every write, whichever edge
/// made it (HTTP, console, `crm run`, a plugin function, a company hook), on the values the
/// other hooks leave, and judge the transaction's acting user (`WriteContext.user`).
///
/// - Creating or deleting a user, and changing a user's `role`, `team` or `active` flag, are
///   administrator actions, whatever the role's grants on `user` say. (Passwords are not a field:
///   `RecordStore.setPasswordHash` applies the same rule to setting another user's password.)
/// - Giving a team a `manager` or a `parent` widens record scopes: administrators only.
/// - Registering, changing or removing a webhook is an administrator action.
/// - The last active administrator cannot be demoted, deactivated or deleted, by anyone (the
///   system included): a workspace that has an administrator keeps one.
enum AdministratorRules {
    /// User fields only an administrator may change.
    static let protectedUserFields = ["role", "team", "active"]
    /// Team fields only an administrator may set.
    static let protectedTeamFields = ["manager", "parent"]

    /// The rules as before-save hooks that run after every other one.
    static var hooks: HookSet {
        var set = HookSet()
        set.onBeforeSaveLast("user", { try user(&$0) })
        set.onBeforeSaveLast("team", { try team(&$0) })
        set.onBeforeSaveLast("webhook", { try webhook(&$0) })
        return set
    }

    static func user(_ save: inout SaveContext) throws {
        let tx = save.tx
        switch save.operation {
        case .create:
            try tx.requireAdministrator(to: "create users", entity: "user", field: "role")
        case .update:
            for field in protectedUserFields where save.changed(field) {
                try tx.requireAdministrator(to: "change a user's \(field)", entity: "user", field: field)
            }
        case .delete:
            try tx.requireAdministrator(to: "delete users", entity: "user")
        }
        guard let id = save.id, let old = save.old, isActiveAdministrator(old.values, tx.schema) else { return }
        if save.operation != .delete, isActiveAdministrator(save.values, tx.schema) { return }
        guard try activeAdministrators(tx, excluding: id) == 0 else { return }
        let field = save.operation == .delete ? "id" : (save.changed("role") ? "role" : "active")
        throw KernelError(.conflict, "\(old["name"].description) is the last active administrator and cannot be demoted, deactivated or deleted; make another user an administrator first",
                          entity: "user", fieldErrors: [FieldError(field: field, message: "the last administrator")])
    }

    static func team(_ save: inout SaveContext) throws {
        guard save.operation != .delete else { return }
        for field in protectedTeamFields where save.changed(field) {
            try save.tx.requireAdministrator(to: "set a team's \(field)", entity: "team", field: field)
        }
    }

    static func webhook(_ save: inout SaveContext) throws {
        let verb = save.operation == .create ? "register" : save.operation == .update ? "change" : "remove"
        try save.tx.requireAdministrator(to: "\(verb) webhooks", entity: "webhook")
    }

    /// Whether a user with `values` is an active administrator.
    static func isActiveAdministrator(_ values: [String: Value], _ schema: Schema) -> Bool {
        schema.isAdministratorRole(values["role"]?.textValue) && values["active"] != .bool(false)
    }

    /// How many active administrators there are besides user `id`.
    static func activeAdministrators(_ tx: WriteContext, excluding id: Int64) throws -> Int {
        let roles = tx.schema.administratorRoleIDs
        var query = Query("user", filter: .condition(field: "role", op: .in, value: .list(roles)), limit: 1000)
        var count = 0
        while true {
            let page = try tx.reader.find(query)
            count += page.records.filter { $0.id != id && $0["active"] != .bool(false) }.count
            guard count == 0, let next = page.nextCursor else { return count }
            query.after = next
        }
    }
}

extension HookSet {
    /// The set followed by the kernel's `AdministratorRules`.
    func withKernelRules() -> HookSet {
        var set = self
        set.merge(AdministratorRules.hooks)
        return set
    }
}
