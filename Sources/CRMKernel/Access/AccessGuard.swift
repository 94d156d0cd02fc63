/// What one user may do, resolved once per request (or console session) from their role and
/// team: which actions on which entities, which records by owner, which fields.
///
/// The system user and administrators (`Schema.isAdministrator`) may do everything. A role id
/// without a declaration grants nothing.
///
/// Secret fields (`FieldDefinition.secret`, e.g. `webhook.secret`) are write-only: hidden from
/// every reader but the system, administrators included, yet writable by whoever may write the
/// record.
public struct AccessGuard: Sendable {
    /// The user the guard speaks for.
    public let user: ActingUser
    /// The user's role as declared; nil for the system user or an undeclared role.
    public let role: RoleDefinition?
    /// True for the system user and administrators.
    public let isAdministrator: Bool
    private let teamOwners: [Int64]
    private let treeOwners: [Int64]
    /// Secret fields by entity, hidden from everyone but the system.
    private let secretFields: [String: Set<String>]

    /// Resolves `user`'s role and team membership in `reader`.
    public init(user: ActingUser, schema: Schema, reader: RecordReader) throws {
        self.user = user
        let role = schema.role(user.role)
        self.role = role
        isAdministrator = schema.isAdministrator(user)
        secretFields = user.id == nil ? [:] : schema.secretFields
        guard let uid = user.id, !isAdministrator else {
            teamOwners = []
            treeOwners = []
            return
        }
        let me = try reader.get("user", uid)
        var direct = Set<Int64>()
        if case .integer(let team)? = me?["team"] { direct.insert(team) }
        direct.formUnion(try reader.ids("team", where: "manager", equals: .integer(uid), limit: 1000))
        func members(_ teams: [Int64]) throws -> [Int64] {
            Set(try reader.teamMembers(teams)).union([uid]).sorted()
        }
        teamOwners = try members(Array(direct))
        treeOwners = try members(try reader.teamSubtree(Array(direct)))
    }

    /// Whether the user may do `action` on `entity`.
    public func allows(_ action: AccessAction, on entity: String) -> Bool {
        isAdministrator || (role?.allows(action, on: entity) ?? false)
    }

    /// Throws `forbidden` unless the user may do `action` on `entity`.
    public func require(_ action: AccessAction, on entity: String) throws(KernelError) {
        guard allows(action, on: entity) else {
            throw KernelError(.forbidden, "\(user.name) (\(user.role ?? "no role")) may not \(action.rawValue) \(entity) records", entity: entity)
        }
    }

    /// Throws `forbidden` unless the user administers the workspace.
    public func requireAdministrator() throws(KernelError) {
        guard isAdministrator else { throw KernelError(.forbidden, "\(user.name) is not an administrator") }
    }

    /// The owners whose records the user sees on `entity`; nil means every record.
    public func visibleOwners(_ entity: EntitySchema) -> [Int64]? {
        guard !isAdministrator, entity.fieldsByName["owner"] != nil, let role else { return nil }
        switch role.scope(on: entity.name) {
        case .all: return nil
        case .own: return user.id.map { [$0] } ?? []
        case .team: return teamOwners
        case .teamTree: return treeOwners
        }
    }

    /// The filter that limits `entity` to the records the user sees (nil: no limit).
    public func scopeFilter(_ entity: EntitySchema) -> Filter? {
        guard let owners = visibleOwners(entity) else { return nil }
        let mine = Filter.condition(field: "owner", op: .in, value: .list(owners.map(String.init)))
        guard role?.unowned.contains(entity.name) == true else { return mine }
        return .any([mine, .condition(field: "owner", op: .isEmpty, value: .null)])
    }

    /// `filter` narrowed to the user's scope.
    public func scoped(_ filter: Filter?, _ entity: EntitySchema) -> Filter? {
        guard let scope = scopeFilter(entity) else { return filter }
        guard let filter else { return scope }
        return .all([scope, filter])
    }

    /// Whether the user sees `record`.
    public func canSee(_ record: Record, _ entity: EntitySchema) -> Bool {
        guard let owners = visibleOwners(entity) else { return true }
        guard case .integer(let owner) = record["owner"] else { return role?.unowned.contains(entity.name) == true }
        return owners.contains(owner)
    }

    /// Fields hidden from the user on `entity`: those their role hides, and secret fields
    /// (for everyone but the system).
    public func hiddenFields(_ entity: String) -> Set<String> {
        let secrets = secretFields[entity] ?? []
        return isAdministrator ? secrets : (role?.hidden[entity] ?? []).union(secrets)
    }

    /// Secret fields of `entity` the user may write but never read back (empty for the system).
    public func writeOnlyFields(_ entity: String) -> Set<String> {
        let secrets = secretFields[entity] ?? []
        guard !secrets.isEmpty, !isAdministrator, let hidden = role?.hidden[entity] else { return secrets }
        return secrets.subtracting(hidden)
    }

    /// `record` without the fields hidden from the user.
    public func redact(_ record: Record) -> Record {
        let hidden = hiddenFields(record.entity)
        guard !hidden.isEmpty else { return record }
        var copy = record
        for f in hidden { copy.values[f] = nil }
        return copy
    }

    /// Refuses a query that filters or sorts on a field hidden from the user, as an unknown
    /// field, so hidden values cannot be probed.
    public func checkQueryable(_ query: Query) throws(KernelError) {
        let hidden = hiddenFields(query.entity)
        guard !hidden.isEmpty else { return }
        if let bad = ((query.filter?.fieldNames ?? []) + query.sort.map(\.field)).first(where: hidden.contains) {
            throw KernelError.invalid(query.entity, field: bad, "unknown field '\(bad)' of \(query.entity)")
        }
    }

    /// Refuses a write that names a field hidden from the user or read-only for them.
    public func checkWrite(_ entity: String, fields: some Sequence<String>) throws(KernelError) {
        guard !isAdministrator, let role else { return }
        let hidden = role.hidden[entity] ?? [], readOnly = role.readOnly[entity] ?? []
        let refused = fields.filter { hidden.contains($0) || readOnly.contains($0) }.sorted()
        guard !refused.isEmpty else { return }
        throw KernelError(.forbidden, "\(user.name) may not write \(refused.map { "\(entity).\($0)" }.joined(separator: ", "))", entity: entity,
                          fieldErrors: refused.map { FieldError(field: $0, message: hidden.contains($0) ? "hidden from your role" : "read-only for your role") })
    }
}
