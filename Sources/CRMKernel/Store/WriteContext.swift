import Foundation
import GRDB

/// A record's identity, for caches.
struct RecordKey: Hashable {
    var entity: String
    var id: Int64
}

/// A write transaction: creates, updates and deletes that commit together or not at all.
///
/// Obtained from `RecordStore.write`; valid only inside that closure. Before-save hooks receive
/// it, so what they read and write belongs to the same transaction.
///
/// A transaction acts for someone. For a non-administrator (`RecordStore.write(as: guard)`),
/// every create, update and delete needs the grant, may name no field hidden from or
/// read-only for the user, may not touch a record outside their scope (refused as missing)
/// nor leave one there, and may refer only to records they see (a reference they cannot see
/// is refused as missing); reads through `reader` are limited the same way and returned
/// records lose their hidden fields. Hooks run as the system (company rules act for the
/// company, not for the caller); a module doing its own bookkeeping says so with `asSystem`.
public final class WriteContext {
    let db: Database
    /// The schema in force.
    public let schema: Schema
    let hooks: HookSet
    /// The acting user, stamped on records and the audit log.
    public let user: ActingUser
    /// The non-administrator whose limits apply now; nil while the system acts for itself.
    private(set) var restriction: AccessGuard?
    /// Reads within this transaction, limited like its writes.
    public var reader: RecordReader { RecordReader(db: db, schema: schema, access: restriction) }
    /// Reads within this transaction as the system, whatever the caller.
    var systemReader: RecordReader { RecordReader(db: db, schema: schema) }
    /// Who the transaction acts for now: the caller's guard, or `AccessGuard.unrestricted`.
    public var access: AccessGuard { restriction ?? .unrestricted }
    /// Who started the transaction, even inside hooks and `asSystem`: for a module that tells
    /// the caller something (a duplicate's details only when she may see it).
    public let caller: AccessGuard
    let nowText: String
    /// The transaction's time (UTC, whole seconds): the `created_at`/`updated_at` it stamps.
    public let now: Date
    var events: [Event] = []
    /// Rows written so far (records, outbox, audit); lets the bulk path tell whether a refused
    /// record left anything behind that must be rolled back.
    private(set) var writes = 0
    /// Records this transaction has seen exist (reference checks of a bulk import hit the same
    /// owners again and again).
    var knownRecords = Set<RecordKey>()
    /// Referenced records the restricted caller has been seen to see.
    var knownVisible = Set<RecordKey>()
    /// True inside `RecordStore.bulkCreate` (imports), so hooks can apply import-specific rules
    /// (the customers module's duplicate rules have an `on.import` switch).
    public internal(set) var isBulk = false
    /// Rows written to each full-text index (by quoted table name), for the merge work that
    /// ends the transaction (`mergeSearchIndexes`).
    var searchWrites: [String: Int] = [:]
    private var hookDepth = 0
    /// How deeply hooks may nest writes that trigger hooks.
    static let maxHookDepth = 8

    func enterHook() -> Bool {
        guard hookDepth < Self.maxHookDepth else { return false }
        hookDepth += 1
        return true
    }

    func leaveHook() { hookDepth -= 1 }

    init(db: Database, schema: Schema, hooks: HookSet, user: ActingUser, access: AccessGuard? = nil, now: Date = Date()) {
        self.db = db
        self.schema = schema
        self.hooks = hooks
        self.user = user
        self.restriction = access?.limitsAnything == true ? access : nil
        self.caller = access ?? .unrestricted
        // Stored datetimes keep whole seconds; the returned record must equal what is stored.
        self.now = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        self.nowText = DateCoding.iso(self.now)
    }

    // MARK: Create

    /// Creates a record: checks types and rules, runs before-save hooks, stamps, inserts, indexes
    /// for search, audits and publishes `<entity>.after_create`. Returns the stored record.
    @discardableResult
    public func create(_ entityName: String, _ input: [String: Value]) throws -> Record {
        let entity = try schema.entity(entityName)
        let caller = restriction
        if let caller {
            try caller.require(.create, on: entityName)
            try caller.checkWrite(entityName, fields: input.keys)
        }
        var values = try coerceInput(entity, input)
        for f in entity.defaultedFields where values[f.name] == nil && input[f.name] == nil {
            if case .success(let v) = FieldCoercion.coerce(f.defaultValue!, f) { values[f.name] = v }
        }
        if input["owner"] == nil, entity.fieldRefs["owner"] != nil, let uid = user.id { values["owner"] = .integer(uid) }
        if let caller { try requireInScope(caller, entity, values) }
        values = try runHooks(.create, entity, id: nil, values: values, old: nil)
        try validate(entity, values, id: nil, changed: nil, callerReferences: caller.map { _ in Set(input.keys) })
        values["created_at"] = .datetime(now)
        values["updated_at"] = .datetime(now)
        values["version"] = .integer(1)
        if let uid = user.id { values["created_by"] = .integer(uid); values["updated_by"] = .integer(uid) }
        var args: [DatabaseValue] = []
        args.reserveCapacity(entity.insertColumns.count)
        for column in entity.insertColumnScales { args.append(values[column.name].map { ValueCodec.encode($0, scale: column.scale) } ?? .null) }
        try mapped(entity) { try db.cachedStatement(sql: entity.insertSQL).executeBound(args) }
        writes += 1
        let id = db.lastInsertedRowID
        try SearchIndex(entity: entity).insert(db, id: id, values: values)
        noteSearchWrite(entity, id: id)
        if !entity.indexedListFields.isEmpty { try ListIndex(entity: entity).insert(db, id: id, values: values) }
        // Each value is encoded once (`JSONBytes`), for both the audit entry and the outbox
        // payload: the pair `"key":value` written for the payload is copied into the audit.
        var audit: [UInt8] = [UInt8(ascii: "{")], payload = Array("{\"record\":{\"id\":\(id)".utf8)
        audit.reserveCapacity(1024)
        payload.reserveCapacity(1024)
        var stored = values  // a copy of the table, not a rebuild: empty values and the id fixed below
        stored["id"] = .integer(id)
        let secrets = entity.secretFieldNames
        for (key, value) in values.sorted(by: { $0.key < $1.key }) {
            if case .null = value {
                stored[key] = nil
                continue
            }
            payload.append(UInt8(ascii: ","))
            let keyStart = payload.count
            JSONBytes.appendString(key, to: &payload)
            payload.append(UInt8(ascii: ":"))
            let valueStart = payload.count
            JSONBytes.append(value, to: &payload)
            guard !ReservedFieldNames.system.contains(key) else { continue }
            if audit.count > 1 { audit.append(UInt8(ascii: ",")) }
            audit.append(contentsOf: payload[keyStart..<valueStart])
            audit.append(contentsOf: "[null,".utf8)
            if !secrets.isEmpty && secrets.contains(key) {
                JSONBytes.appendString(AuditLog.secretMarker, to: &audit)
            } else {
                audit.append(contentsOf: payload[valueStart...])
            }
            audit.append(UInt8(ascii: "]"))
        }
        audit.append(UInt8(ascii: "}"))
        payload.append(contentsOf: "}}".utf8)
        let auditJSON = String(decoding: audit, as: UTF8.self), payloadJSON = String(decoding: payload, as: UTF8.self)
        try AuditLog.insert(db, at: nowText, user: user, action: "create", entity: entity.name, recordID: id, json: auditJSON)
        try publish("\(entity.name).after_create", entity: entity.name, recordID: id, payload: stored, payloadJSON: payloadJSON)
        let record = Record(entity: entity.name, id: id, values: stored)
        try runAfterSave(.create, record, old: nil)
        return caller?.redact(record) ?? record
    }

    // MARK: Update

    /// Changes some fields of a record; only fields that really change are written and audited.
    /// Publishes `<entity>.after_update` with the new record and the previous values.
    ///
    /// With `expectedVersion`, the update is refused (`KernelError.Kind.staleVersion`) unless the
    /// record's `version` is still that number: nobody changed it since it was read.
    /// `listEdits` add items to and remove items from tags and multi-choice fields, applied to
    /// the value inside this transaction (no read needed first, no lost appends).
    /// A write that changes something raises `version` by one.
    @discardableResult
    public func update(_ entityName: String, _ id: Int64, _ input: [String: Value],
                       expectedVersion: Int64? = nil, listEdits: [String: ListEdit] = [:]) throws -> Record {
        let entity = try schema.entity(entityName)
        let caller = restriction
        if let caller { try caller.require(.update, on: entityName) }
        guard let old = try systemReader.get(entityName, id), caller?.canSee(old, entity) ?? true else {
            throw KernelError.recordNotFound(entityName, id)
        }
        if let expectedVersion { try Self.checkVersion(old, expected: expectedVersion) }
        var input = input
        if !listEdits.isEmpty { try applyListEdits(listEdits, entity, old: old, into: &input) }
        try caller?.checkWrite(entityName, fields: input.keys)
        let changes = try coerceInput(entity, input)
        var values = old.values
        for (k, v) in changes { values[k] = v }
        if let caller, changes["owner"] != nil { try requireInScope(caller, entity, values) }
        values = try runHooks(.update, entity, id: id, values: values, old: old)
        let changed = entity.writableFields.map(\.name).filter { (values[$0] ?? .null) != (old.values[$0] ?? .null) }
        guard !changed.isEmpty else { return caller?.redact(old) ?? old }
        try validate(entity, values, id: id, changed: Set(changed), callerReferences: caller.map { _ in Set(changes.keys) })
        values["updated_at"] = .datetime(now)
        values["updated_by"] = user.id.map(Value.integer) ?? .null
        values["version"] = .integer(Self.version(of: old) + 1)
        let columns = changed + ["updated_at", "updated_by", "version"]
        var args: [DatabaseValue] = columns.map { name in
            values[name].map { ValueCodec.encode($0, entity.fieldsByName[name]!) } ?? .null
        }
        args.append(id.databaseValue)
        let sql = "UPDATE \(SQL.quote(entity.tableName)) SET " + columns.map { SQL.quote($0) + " = ?" }.joined(separator: ", ") + " WHERE id = ?"
        try mapped(entity) { try db.cachedStatement(sql: sql).executeBound(args) }
        writes += 1
        if !entity.indexedListFields.isEmpty { try ListIndex(entity: entity).update(db, id: id, values: values, changed: changed) }
        if changed.contains(where: entity.searchableFields.contains) {
            let index = SearchIndex(entity: entity)
            try index.delete(db, id: id)
            try index.insert(db, id: id, values: values)
            noteSearchWrite(entity, id: id)
        }
        try AuditLog.record(db, at: nowText, user: user, action: "update", entity: entity.name, recordID: id,
                            changes: changed.map { ($0, old.values[$0] ?? .null, values[$0] ?? .null) }, secrets: entity.secretFieldNames)
        var stored = values.filter { if case .null = $0.value { return false } else { return true } }
        stored["id"] = .integer(id)
        var previous: [String: Value] = [:]
        for name in changed { previous[name] = old.values[name] ?? .null }
        try publish("\(entity.name).after_update", entity: entity.name, recordID: id, payload: stored, previous: previous)
        let record = Record(entity: entity.name, id: id, values: stored)
        try runAfterSave(.update, record, old: old)
        return caller?.redact(record) ?? record
    }

    /// Runs the entity's after-save hooks (nested writes count against the hook depth).
    private func runAfterSave(_ op: SaveOperation, _ record: Record, old: Record?) throws {
        guard let list = hooks.afterSave[record.entity], !list.isEmpty else { return }
        guard enterHook() else {
            throw KernelError(.scriptFailed, "hooks nested too deeply while saving \(record.entity) (a hook keeps writing records that trigger hooks)", entity: record.entity)
        }
        defer { leaveHook() }
        let context = AfterSaveContext(operation: op, record: record, old: old, tx: self)
        try asSystem { for hook in list { try hook(context) } }
    }

    // MARK: Delete

    /// Deletes a record; refused while other records refer to it (the error names them).
    /// Publishes `<entity>.after_delete` with the old record.
    /// With `expectedVersion`, refused (`staleVersion`) unless the record is still at that version.
    public func delete(_ entityName: String, _ id: Int64, expectedVersion: Int64? = nil) throws {
        let entity = try schema.entity(entityName)
        if let caller = restriction { try caller.require(.delete, on: entityName) }
        guard let old = try systemReader.get(entityName, id), restriction?.canSee(old, entity) ?? true else {
            throw KernelError.recordNotFound(entityName, id)
        }
        if let expectedVersion { try Self.checkVersion(old, expected: expectedVersion) }
        _ = try runHooks(.delete, entity, id: id, values: old.values, old: old)
        for other in schema.entityNames.compactMap({ schema.entities[$0] }) {
            for f in other.referenceFields where f.target == entityName {
                let n = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM \(SQL.quote(other.tableName)) WHERE \(SQL.quote(f.name)) = ?"), arguments: [id]) ?? 0
                if n > 0 {
                    throw KernelError(.conflict, "\(entityName) \(id) is still referenced by \(n) \(other.name) record(s) (field \(f.name))", entity: entityName)
                }
            }
        }
        try db.cachedStatement(sql: "DELETE FROM \(SQL.quote(entity.tableName)) WHERE id = ?").execute(arguments: [id])
        writes += 1
        knownRecords.remove(RecordKey(entity: entity.name, id: id))
        try SearchIndex(entity: entity).delete(db, id: id)
        noteSearchWrite(entity, id: id)
        if !entity.indexedListFields.isEmpty { try ListIndex(entity: entity).delete(db, id: id) }
        try AuditLog.record(db, at: nowText, user: user, action: "delete", entity: entity.name, recordID: id,
                            changes: old.values.keys.sorted().filter { !ReservedFieldNames.system.contains($0) }.map { ($0, old.values[$0]!, .null) },
                            secrets: entity.secretFieldNames)
        try publish("\(entity.name).after_delete", entity: entity.name, recordID: id, payload: old.values)
    }

    // MARK: Events

    /// Publishes a domain event (e.g. `opportunity.stage_changed`): written to the outbox now,
    /// delivered to handlers after commit.
    public func publish(_ name: String, entity: String, recordID: Int64?, payload: [String: Value],
                        previous: [String: Value] = [:]) throws {
        var json = "{\"record\":" + JSONText.object(payload)
        if !previous.isEmpty { json += ",\"previous\":" + JSONText.object(previous) }
        try publish(name, entity: entity, recordID: recordID, payload: payload, previous: previous, payloadJSON: json + "}")
    }

    /// Publishes an event whose payload is already encoded. Secret fields of `entity` never
    /// reach an event: when it has any, they are taken out and the payload encoded again.
    func publish(_ name: String, entity: String, recordID: Int64?, payload: [String: Value],
                 previous: [String: Value] = [:], payloadJSON json: String) throws {
        if let secrets = schema.secretFields[entity] {
            let payload = payload.filter { !secrets.contains($0.key) }, previous = previous.filter { !secrets.contains($0.key) }
            var json = "{\"record\":" + JSONText.object(payload)
            if !previous.isEmpty { json += ",\"previous\":" + JSONText.object(previous) }
            return try append(name, entity: entity, recordID: recordID, payload: payload, previous: previous, payloadJSON: json + "}")
        }
        try append(name, entity: entity, recordID: recordID, payload: payload, previous: previous, payloadJSON: json)
    }

    private func append(_ name: String, entity: String, recordID: Int64?, payload: [String: Value],
                        previous: [String: Value], payloadJSON json: String) throws {
        writes += 1
        let seq = try Outbox.append(db, name: name, entity: entity, recordID: recordID, userID: user.id, at: nowText, payload: json)
        events.append(Event(seq: seq, name: name, entity: entity, recordID: recordID, userID: user.id, at: now,
                            payload: payload, previous: previous))
    }

    /// Appends an audit entry for a domain action (merge, claim ...) that is not a plain write.
    public func audit(_ action: String, entity: String, recordID: Int64, changes: [(String, Value, Value)]) throws {
        writes += 1
        try AuditLog.record(db, at: nowText, user: user, action: action, entity: entity, recordID: recordID, changes: changes,
                            secrets: schema.secretFields[entity] ?? [])
    }
}

extension WriteContext {
    /// Runs `body` as the system acting for itself: no grant, scope or field limits, and reads
    /// see everything. What a module does on its own account inside a caller's transaction
    /// (a claim setting the read-only owner after checking the pool's rules, a stage history
    /// row, a merge moving contacts) says so with this; stamps and audit keep the user's name.
    public func asSystem<T>(_ body: () throws -> T) rethrows -> T {
        let saved = restriction
        restriction = nil
        defer { restriction = saved }
        return try body()
    }

    /// Throws `forbidden` when `values` would put a record outside the caller's own scope
    /// (an owner she may not see): a non-administrator cannot hand records to others.
    func requireInScope(_ caller: AccessGuard, _ entity: EntitySchema, _ values: [String: Value]) throws {
        guard entity.fieldsByName["owner"] != nil, caller.visibleOwners(entity) != nil else { return }
        guard !caller.canSee(Record(entity: entity.name, id: 0, values: values), entity) else { return }
        throw KernelError(.forbidden, "\(caller.user.name) may not give \(entity.name) records to an owner outside their own scope",
                          entity: entity.name, fieldErrors: [FieldError(field: "owner", message: "outside your scope")])
    }

    /// Runs `body` in a savepoint: if it throws, what it wrote (and the events it published) is
    /// undone and the transaction goes on. Lets several independent writes share one
    /// transaction (the API's group commit) without one refusal undoing the others.
    public func isolated<T>(_ body: () throws -> T) throws -> T {
        let eventsBefore = events.count
        var result: T?
        do {
            try db.inSavepoint {
                result = try body()
                return .commit
            }
        } catch {
            events.removeSubrange(eventsBefore...)
            throw error
        }
        return result!
    }
}
