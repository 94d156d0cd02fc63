import Foundation
import GRDB
import Synchronization

/// The record store of one workspace: a SQLite database in WAL mode behind one `DatabasePool`.
///
/// Holds the schema and hooks in force and swaps them whole when modules or scripts change.
/// Every write is a transaction: it commits whole or not at all, and its after-events are
/// delivered once it has committed, in commit order.
public final class RecordStore: Sendable {
    /// The schema and hooks in force, replaced together.
    struct Configuration: Sendable {
        var schema: Schema
        var hooks: HookSet
        /// Set by `close()`: writes are refused.
        var closed = false
    }

    let pool: DatabasePool
    /// Read-only connections for single reads (`hotRead`), beside the pool.
    private let readers: ReadConnections
    private let configuration: Mutex<Configuration>
    /// Rows written to each full-text index since its last merge (`WriteContext.mergeSearchIndexes`).
    let searchMergeDebt = Mutex<[String: Int]>([:])
    /// The writer's automatic checkpoint interval and the bulk writes that raise it
    /// (`bulkWriting`).
    let checkpointPages = Mutex(CheckpointPages())
    /// Nanoseconds spent merging full-text indexes since the store was opened.
    private let searchMergeClock = Atomic<UInt64>(0)
    let dispatcher = EventDispatcher()
    /// Raised whenever a token is revoked, a password set or a user record written, so caches of
    /// signed-in principals (the server's token cache) drop what they hold at once.
    private let credentialGeneration = Atomic<UInt64>(0)
    /// Set by the environment variable `CRM_FAULT_EXIT_AFTER_COMMIT=1` (crash tests only): the
    /// process exits with `faultExitStatus` right after committing a write whose events a
    /// durable consumer waits for, before any consumer runs.
    let faultExitAfterCommit = ProcessInfo.processInfo.environment["CRM_FAULT_EXIT_AFTER_COMMIT"] == "1"
    /// The exit status of the fault above.
    public static let faultExitStatus: Int32 = 86
    /// How long a connection waits for a lock another connection holds before giving up.
    static let busyTimeoutMilliseconds = 10_000

    /// Opens (creating if needed) the database at `path` and runs the kernel's migrations.
    public init(path: String) throws {
        var config = GRDB.Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA busy_timeout = \(RecordStore.busyTimeoutMilliseconds); PRAGMA journal_size_limit = \(128 << 20)")
            db.add(function: SearchIndex.visibleMatchFunction())
        }
        config.busyMode = .timeout(Double(RecordStore.busyTimeoutMilliseconds) / 1000)
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try KernelMigrations.migrator().migrate(pool)
            readers = ReadConnections(path: path, configuration: config)
        } catch {
            throw KernelError(.storage, "cannot open workspace database \(path): \(error)")
        }
        configuration = Mutex(Configuration(schema: Schema([]), hooks: HookSet()))
    }

    /// Drops every hook and the approval flows' conditions and refuses writes from now on; reads
    /// go on. What `Workspace.close()` does, so those closures (and the script engine they hold)
    /// are freed.
    func close() {
        configuration.withLock {
            $0.hooks = HookSet()
            $0.schema.approvals = ApprovalSetup()
            $0.closed = true
        }
    }

    /// The schema in force.
    public var schema: Schema { configuration.withLock { $0.schema } }

    /// The hooks in force.
    var hooks: HookSet { configuration.withLock { $0.hooks } }

    /// Migrates the database to `schema` (additively) and puts it and `hooks` in force.
    /// On error nothing changes: neither the database nor the configuration.
    /// The kernel's `AdministratorRules` are added to `hooks`, after every other hook.
    public func configure(schema: Schema, hooks: HookSet) throws {
        try migrate(to: schema, keep: true)
        let hooks = hooks.withKernelRules()
        configuration.withLock { $0 = Configuration(schema: schema, hooks: hooks, closed: $0.closed) }
    }

    /// Checks that `schema` could be applied, without applying it.
    public func checkMigration(_ schema: Schema) throws {
        try migrate(to: schema, keep: false)
    }

    /// Applies `schema` in one transaction, committed with `keep` and rolled back otherwise (or
    /// when the migration fails).
    private func migrate(to schema: Schema, keep: Bool) throws {
        try translate {
            try pool.writeWithoutTransaction { db in
                // GRDB keeps what it learnt of the schema inside a transaction that rolls back
                // (tables the rollback removes): forget it, or the next migration skips creating them.
                defer { db.clearSchemaCache() }
                try db.inSavepoint {
                    try SchemaMigrator(db: db).apply(schema)
                    return keep ? .commit : .rollback
                }
            }
        }
    }

    /// Replaces only the hooks in force (the schema stays).
    public func setHooks(_ hooks: HookSet) {
        let hooks = hooks.withKernelRules()
        configuration.withLock { $0.hooks = hooks }
    }

    /// Runs `body` in one write transaction for `access`: the kernel applies the user's grants,
    /// scope, hidden and read-only fields to every create, update, delete and read of `body`
    /// (see `WriteContext`). Events are delivered after commit.
    public func write<T>(as access: AccessGuard, _ body: (WriteContext) throws -> T) throws -> T {
        try write(as: access.user, access: access, body)
    }

    /// Runs `body` in one write transaction as the system acting on `user`'s behalf (stamped
    /// and audited as `user`, with no access limits): for trusted callers (an operator's
    /// console, `crm run`, jobs). Events are delivered after commit.
    public func write<T>(as user: ActingUser, _ body: (WriteContext) throws -> T) throws -> T {
        try write(as: user, access: nil, body)
    }

    /// Runs `body` in one write transaction as `user`, limited by `access` when one is given
    /// (nil: the system acting for itself). Events are delivered after commit, and the durable
    /// consumers waiting for one of them run right after (see `drainConsumers`).
    public func write<T>(as user: ActingUser, access: AccessGuard?, _ body: (WriteContext) throws -> T) throws -> T {
        let config = configuration.withLock { $0 }
        let (result, published) = try transaction(config, as: user, access: access, immediate: false, body)
        let awaited = config.hooks.awaitsAny(published)
        if faultExitAfterCommit, awaited {
            // Fault injection for crash tests: die between the commit and the reactions.
            exit(Self.faultExitStatus)
        }
        dispatcher.drain()
        if awaited { drainConsumers(config) }
        return result
    }

    /// One write transaction of `body` as `user` (IMMEDIATE with `immediate`, so what it reads is
    /// not changed by another process before it writes). In-memory handlers of its events are
    /// queued for after the commit; returns `body`'s value and the events it published.
    func transaction<T>(_ config: Configuration, as user: ActingUser, access: AccessGuard? = nil, immediate: Bool,
                        _ body: (WriteContext) throws -> T) throws -> (T, [Event]) {
        if config.closed { throw KernelError(.storage, "the workspace \(pool.path) is closed") }
        return try translate {
            guard immediate else { return try pool.write { db in try run(db, config, as: user, access: access, body) } }
            var outcome: (T, [Event])?
            try pool.writeInTransaction(.immediate) { db in
                outcome = try run(db, config, as: user, access: access, body)
                return .commit
            }
            return outcome!
        }
    }

    private func run<T>(_ db: Database, _ config: Configuration, as user: ActingUser, access: AccessGuard?,
                        _ body: (WriteContext) throws -> T) throws -> (T, [Event]) {
        let tx = WriteContext(db: db, schema: config.schema, hooks: config.hooks, user: user, access: access)
        let value = try body(tx)
        let merging = try tx.mergeSearchIndexes(owing: searchMergeDebt)
        if merging > 0 { searchMergeClock.add(merging, ordering: .relaxed) }
        if tx.events.contains(where: { $0.entity == "user" }) {
            db.afterNextTransaction { _ in self.credentialsChanged() }
        }
        let events = tx.events.map { ($0, config.hooks.handlers(for: $0.name)) }.filter { !$0.1.isEmpty }
        if !events.isEmpty {
            db.afterNextTransaction { _ in self.dispatcher.enqueue(events) }
        }
        return (value, tx.events)
    }

    /// Runs `body`, whose writes (on this thread) leave the full-text merge work they owe for
    /// `mergeOwedSearchIndexes()` instead of doing it before their commit: for a writer that
    /// answers its callers first and merges after, like the API's group commit. An index owed
    /// many times the usual amount is still merged inline, so segments never pile up.
    public static func deferringSearchMerges<T>(_ deferred: Bool = true, _ body: () throws -> T) rethrows -> T {
        try SearchIndex.$mergesDeferred.withValue(deferred) { try body() }
    }

    /// Merges each full-text index owed `SearchIndex.mergeEveryRows` rows or more (see
    /// `deferringSearchMerges`), in a write transaction of its own. Returns the nanoseconds the
    /// merges took, 0 when none was due. On an error the work stays owed.
    public func mergeOwedSearchIndexes() throws -> UInt64 {
        if configuration.withLock({ $0.closed }) { return 0 }
        let due: [(table: String, rows: Int)] = searchMergeDebt.withLock { owed in
            let due = owed.filter { $0.value >= SearchIndex.mergeEveryRows }.map { (table: $0.key, rows: $0.value) }
            for entry in due { owed[entry.table] = 0 }
            return due.sorted { $0.table < $1.table }
        }
        guard !due.isEmpty else { return 0 }
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            try translate { try pool.write { db in for (table, rows) in due { try SearchIndex.merge(db, table: table, rows: rows) } } }
        } catch {
            searchMergeDebt.withLock { owed in for (table, rows) in due { owed[table, default: 0] += rows } }
            throw error
        }
        let spent = DispatchTime.now().uptimeNanoseconds - start
        searchMergeClock.add(spent, ordering: .relaxed)
        return spent
    }

    /// Nanoseconds the store's writes have spent merging full-text indexes since it was opened
    /// (part of their transactions: see `WriteContext.mergeSearchIndexes`). For write profiles.
    public var searchMergeNanoseconds: UInt64 { searchMergeClock.load(ordering: .relaxed) }

    /// Changes whenever credentials or users change (see `credentialsChanged`): a cached
    /// principal is good only while this is the number it was cached under.
    public var credentialsVersion: UInt64 { credentialGeneration.load(ordering: .acquiring) }

    /// Marks every cached principal stale.
    func credentialsChanged() { credentialGeneration.add(1, ordering: .releasing) }

    /// The configuration in force (schema, hooks and consumers together).
    var currentConfiguration: Configuration { configuration.withLock { $0 } }

    /// Runs `body` with a consistent read-only view, as the system (no access limits).
    public func read<T>(_ body: (RecordReader) throws -> T) throws -> T {
        try read(as: nil, body)
    }

    /// Runs `body` with a consistent read-only view for `access` (nil: the system): the reader
    /// applies the user's scope and hidden fields (see `RecordReader`).
    public func read<T>(as access: AccessGuard?, _ body: (RecordReader) throws -> T) throws -> T {
        let schema = self.schema
        return try hotRead(isolated: true) { db in try body(RecordReader(db: db, schema: schema, access: access)) }
    }

    /// Runs `body` on one of the read-only connections beside the pool (`ReadConnections`), or
    /// on a pool reader when all of those are busy; in a read transaction when `isolated` (a
    /// consistent view over several statements), without one for a single statement.
    func hotRead<T>(isolated: Bool, _ body: (Database) throws -> T) throws -> T {
        try translate {
            if let value = try readers.read(isolated: isolated, body) { return value }
            return isolated ? try pool.read(body) : try pool.unsafeRead(body)
        }
    }

    /// Maps storage errors to `KernelError`, leaving kernel and other typed errors as they are.
    func translate<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as DatabaseError {
            throw KernelError(.storage, "database error: \(error.message ?? error.description)")
        }
    }
}

extension RecordStore {
    /// Creates one record in its own transaction.
    @discardableResult
    public func create(_ entity: String, _ values: [String: Value], as user: ActingUser = .system) throws -> Record {
        try write(as: user) { try $0.create(entity, values) }
    }

    /// Updates one record in its own transaction.
    @discardableResult
    public func update(_ entity: String, _ id: Int64, _ changes: [String: Value], as user: ActingUser = .system) throws -> Record {
        try write(as: user) { try $0.update(entity, id, changes) }
    }

    /// Deletes one record in its own transaction.
    public func delete(_ entity: String, _ id: Int64, as user: ActingUser = .system) throws {
        try write(as: user) { try $0.delete(entity, id) }
    }

    /// The record, or nil. One SELECT is consistent on its own, so it runs without the
    /// BEGIN/COMMIT a `read` wraps around its body (the hot path of API reads).
    /// With `access`, nil also when the record is outside the user's scope, and without the
    /// fields hidden from them.
    public func get(_ entity: String, _ id: Int64, as access: AccessGuard? = nil) throws -> Record? {
        let schema = self.schema
        return try hotRead(isolated: false) { db in try RecordReader(db: db, schema: schema, access: access).get(entity, id) }
    }

    /// One page of a query (with `access`: within the user's scope and visible fields).
    public func find(_ query: Query, as access: AccessGuard? = nil) throws -> Page {
        try read(as: access) { try $0.find(query) }
    }

    /// How many records match (with `access`: within the user's scope and visible fields),
    /// at most `limit` when one is given.
    public func count(_ entity: String, filter: Filter? = nil, search: String? = nil, upTo limit: Int? = nil,
                      as access: AccessGuard? = nil) throws -> Int {
        try read(as: access) { try $0.count(entity, filter: filter, search: search, upTo: limit) }
    }

    /// The audit history of a record, oldest first. With `access`: `notFound` unless the user
    /// sees the record, and without the changes of fields hidden from them.
    public func history(_ entity: String, _ id: Int64, as access: AccessGuard? = nil) throws -> [AuditEntry] {
        let schema = self.schema
        return try translate {
            try pool.read { db in
                let reader = RecordReader(db: db, schema: schema, access: access)
                guard let restriction = reader.restriction else {
                    return try AuditLog.history(db, entity: schema.entities[entity], entityName: entity, recordID: id)
                }
                guard try reader.exists(entity, id) else { throw KernelError.recordNotFound(entity, id) }
                let hidden = restriction.hiddenFields(entity)
                return try AuditLog.history(db, entity: schema.entities[entity], entityName: entity, recordID: id).map { entry in
                    var copy = entry
                    copy.changes = entry.changes.filter { !hidden.contains($0.field) }
                    return copy
                }
            }
        }
    }

    /// Outbox entries after `seq`, oldest first, for integrations catching up.
    public func outbox(after seq: Int64, limit: Int = 100) throws -> [OutboxEntry] {
        try translate {
            try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM _outbox WHERE seq > ? ORDER BY seq LIMIT ?", arguments: [seq, limit]).map {
                    OutboxEntry(seq: $0["seq"], event: $0["event"], entity: $0["entity"], recordID: $0["record_id"],
                                userID: $0["user_id"], at: $0["at"], payload: $0["payload"])
                }
            }
        }
    }

    /// The last sequence a named consumer acknowledged (0 when none).
    public func outboxCursor(_ consumer: String) throws -> Int64 {
        try translate { try pool.read { db in try Int64.fetchOne(db, sql: "SELECT seq FROM _outbox_cursor WHERE consumer = ?", arguments: [consumer]) ?? 0 } }
    }

    /// Records that a consumer has handled every entry up to `seq` (clearing its failures).
    public func acknowledgeOutbox(_ consumer: String, upTo seq: Int64) throws {
        try translate {
            try pool.write { db in
                try db.execute(sql: """
                    INSERT INTO _outbox_cursor (consumer, seq) VALUES (?, ?) ON CONFLICT(consumer) DO UPDATE
                    SET seq = max(seq, excluded.seq), attempts = 0, last_error = NULL, retry_at = NULL
                    """, arguments: [consumer, seq])
            }
        }
    }

    /// Records that a consumer (a webhook) failed at its next entry, so `crm events` shows it.
    public func recordOutboxFailure(_ consumer: String, _ message: String, attempts: Int, retryAt: Date) throws {
        try translate {
            try pool.write { db in
                try db.execute(sql: """
                    INSERT INTO _outbox_cursor (consumer, seq, attempts, last_error, retry_at) VALUES (?, 0, ?, ?, ?)
                    ON CONFLICT(consumer) DO UPDATE SET attempts = excluded.attempts, last_error = excluded.last_error, retry_at = excluded.retry_at
                    """, arguments: [consumer, attempts, message, DateCoding.iso(retryAt)])
            }
        }
    }

    /// A workspace setting, or nil.
    public func setting(_ key: String) throws -> String? {
        // One statement: a read connection beside the pool, no transaction (pages read several).
        try hotRead(isolated: false) { db in try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM _setting WHERE key = ?"), arguments: [key]) }
    }

    /// Stores a workspace setting.
    public func setSetting(_ key: String, _ value: String) throws {
        try translate {
            try pool.write { db in
                try db.execute(sql: "INSERT INTO _setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", arguments: [key, value])
            }
        }
    }
}
