/// What one user may do, resolved once per request (or console session) from their role and
/// team: which actions on which entities, which records by owner, which fields.
///
/// The system user and administrators (`Schema.isAdministrator`) may do everything. A role id
/// without a declaration grants nothing. The kernel applies a guard to every read
/// (`RecordStore.read(as:)`) and write (`RecordStore.write(as:)`) it is given;
/// `AccessGuard.unrestricted` (or no guard) is the system acting for itself.
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
    /// Hidden fields by entity: the role's, plus the fields derived from them.
    private let hidden: [String: Set<String>]

    /// The system acting for itself (scheduled jobs, migrations, reclaim, hooks): no limits.
    public static let unrestricted = AccessGuard(systemFor: .system)

    /// A guard with no limits acting as `user`: for work the system does on a user's behalf
    /// after it has decided that the user may have it done (a claim sets a read-only owner).
    public init(systemFor user: ActingUser) {
        self.user = user
        role = nil
        isAdministrator = true
        teamOwners = []
        treeOwners = []
        hidden = [:]
        secretFields = [:]
    }
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
            hidden = [:]
            return
        }
        hidden = Self.expand(role?.hidden ?? [:], schema)
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
        canSee(owner: record["owner"], entity)
    }

    /// Whether the user sees a record of `entity` whose `owner` field holds `owner`.
    public func canSee(owner: Value, _ entity: EntitySchema) -> Bool {
        guard let owners = visibleOwners(entity) else { return true }
        guard case .integer(let owner) = owner else { return role?.unowned.contains(entity.name) == true }
        return owners.contains(owner)
    }

    /// Fields hidden from the user on `entity`: those their role hides (with the fields derived
    /// from them), and secret fields (for everyone but the system).
    public func hiddenFields(_ entity: String) -> Set<String> {
        let secrets = secretFields[entity] ?? []
        if isAdministrator { return secrets }
        guard let own = hidden[entity] else { return secrets }
        return secrets.isEmpty ? own : own.union(secrets)
    }

    /// Whether the kernel must apply this guard at all: false only for an unrestricted guard
    /// (the system, or an administrator while no entity has secret fields).
    public var limitsAnything: Bool { !isAdministrator || !secretFields.isEmpty }

    /// Secret fields of `entity` the user may write but never read back (empty for the system).
    public func writeOnlyFields(_ entity: String) -> Set<String> {
        let secrets = secretFields[entity] ?? []
        guard !secrets.isEmpty, !isAdministrator, let hidden = hidden[entity] else { return secrets }
        return secrets.subtracting(hidden)
    }

    /// `hidden` with every field derived from a hidden field, on any entity, at any depth.
    static func expand(_ hidden: [String: Set<String>], _ schema: Schema) -> [String: Set<String>] {
        guard !schema.derivedFields.isEmpty else { return hidden }
        var result = hidden
        var frontier = hidden.flatMap { entity, fields in fields.map { "\(entity).\($0)" } }
        while let source = frontier.popLast() {
            for (entity, fields) in schema.derivedFields[source] ?? [:] {
                for field in fields where result[entity, default: []].insert(field).inserted {
                    frontier.append("\(entity).\(field)")
                }
            }
        }
        return result
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
        try checkVisible(query.entity, fields: (query.filter?.fieldNames ?? []) + query.sort.map(\.field))
    }

    /// Refuses `fields` of `entity` (grouped on, summed, filtered) when one is hidden from the
    /// user, as an unknown field.
    public func checkVisible(_ entity: String, fields: [String]) throws(KernelError) {
        let hidden = hiddenFields(entity)
        guard !hidden.isEmpty else { return }
        if let bad = fields.first(where: hidden.contains) {
            throw KernelError.invalid(entity, field: bad, "unknown field '\(bad)' of \(entity)")
        }
    }

    /// Refuses a write that names a field hidden from the user or read-only for them.
    public func checkWrite(_ entity: String, fields: some Sequence<String>) throws(KernelError) {
        guard !isAdministrator, let role else { return }
        // Secrets are write-only: writable unless the role hides them itself.
        let hidden = self.hidden[entity] ?? [], readOnly = role.readOnly[entity] ?? []
        let refused = fields.filter { hidden.contains($0) || readOnly.contains($0) }.sorted()
        guard !refused.isEmpty else { return }
        throw KernelError(.forbidden, "\(user.name) may not write \(refused.map { "\(entity).\($0)" }.joined(separator: ", "))", entity: entity,
                          fieldErrors: refused.map { FieldError(field: $0, message: hidden.contains($0) ? "hidden from your role" : "read-only for your role") })
    }
}
