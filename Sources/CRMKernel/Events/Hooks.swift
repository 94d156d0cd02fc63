import Foundation

/// What a write does to a record.
public enum SaveOperation: String, Sendable {
    case create, update, delete
}

/// What a before-save hook sees and may change: the proposed values of the record.
///
/// Hooks run inside the write transaction. They may change `values` or add rejections with
/// `reject(_:_:)`; any rejection rolls back the whole write. Reads and writes through `tx`
/// take part in the same transaction.
public struct SaveContext {
    /// create, update or delete.
    public let operation: SaveOperation
    /// The entity written.
    public let entity: String
    /// The record id (nil on create).
    public let id: Int64?
    /// The proposed full set of values (for delete: the current values).
    public var values: [String: Value]
    /// The stored record before the write (nil on create).
    public let old: Record?
    /// The transaction the write belongs to.
    public let tx: WriteContext
    /// Field errors raised so far.
    public private(set) var rejections: [FieldError] = []

    init(operation: SaveOperation, entity: String, id: Int64?, values: [String: Value], old: Record?, tx: WriteContext) {
        self.operation = operation
        self.entity = entity
        self.id = id
        self.values = values
        self.old = old
        self.tx = tx
    }

    /// Refuses the write with an error on `field`.
    public mutating func reject(_ field: String, _ message: String) {
        rejections.append(FieldError(field: field, message: message))
    }

    /// Whether `field` differs from the stored value (always true on create when set).
    public func changed(_ field: String) -> Bool {
        (values[field] ?? .null) != (old?.values[field] ?? .null)
    }

    /// The acting user.
    public var user: ActingUser { tx.user }
}

/// A before-save hook: runs in the transaction, may change the values or reject them.
public typealias BeforeSaveHook = @Sendable (inout SaveContext) throws -> Void

/// What an after-save hook sees: the record as stored (with its id) and, for updates, as it was.
public struct AfterSaveContext {
    /// create or update.
    public let operation: SaveOperation
    /// The record as stored.
    public let record: Record
    /// The stored record before the write (nil on create).
    public let old: Record?
    /// The transaction the write belongs to; writes through it commit or roll back with the record.
    public let tx: WriteContext

    /// Whether `field` differs from the stored value before the write (always true on create when set).
    public func changed(_ field: String) -> Bool {
        record[field] != (old?[field] ?? .null)
    }
}

/// An after-save hook: runs in the transaction right after a record was inserted or changed, to
/// keep derived records (a stage history, totals) in step; throwing rolls the write back.
public typealias AfterSaveHook = @Sendable (AfterSaveContext) throws -> Void

/// An event delivered after its transaction committed, in commit order.
public struct Event: Sendable, Hashable {
    /// Position in the outbox; increases in commit order.
    public let seq: Int64
    /// `<entity>.<when>`, e.g. `customer.after_create` or `opportunity.stage_changed`.
    public let name: String
    /// The entity concerned.
    public let entity: String
    /// The record concerned.
    public let recordID: Int64?
    /// The user who made the change.
    public let userID: Int64?
    /// When it was committed (UTC).
    public let at: Date
    /// Event data: the record after the change (for delete: the record as it was).
    public let payload: [String: Value]
    /// For updates: the previous values of the fields that changed.
    public let previous: [String: Value]
}

/// A handler for events delivered after commit.
public typealias EventHandler = @Sendable (Event) -> Void

/// The hooks and handlers in force, gathered from enabled plugins and the company's scripts.
public struct HookSet: Sendable {
    /// Before-save hooks by entity, in the order they run: registration order, then the hooks
    /// added with `onBeforeSaveLast`.
    public private(set) var beforeSave: [String: [BeforeSaveHook]] = [:]
    /// Hooks that run after every other before-save hook, by entity.
    private var lastBeforeSave: [String: [BeforeSaveHook]] = [:]
    /// Hooks in registration order (without the last ones).
    private var ordinaryBeforeSave: [String: [BeforeSaveHook]] = [:]
    /// In-transaction after-save hooks by entity, in registration order.
    public private(set) var afterSave: [String: [AfterSaveHook]] = [:]
    /// After-commit handlers by event name; `*` receives every event.
    public private(set) var handlers: [String: [EventHandler]] = [:]
    /// Durable consumers of the enabled modules, in module order.
    public private(set) var consumers: [ActiveConsumer] = []
    /// Lua implementations of module policies by qualified name (`products.price`); a later
    /// implementation replaces an earlier one.
    public private(set) var policies: [String: PolicyImplementation] = [:]

    /// An empty set.
    public init() {}

    /// Adds a before-save hook for `entity`.
    public mutating func onBeforeSave(_ entity: String, _ hook: @escaping BeforeSaveHook) {
        ordinaryBeforeSave[entity, default: []].append(hook)
        combine(entity)
    }

    /// Adds a before-save hook for `entity` that runs after every other one (plugins', company
    /// scripts' and stage gates', whenever they were added), on the values they leave: for checks
    /// such as duplicate rules that must see normalized values and come after field validation.
    public mutating func onBeforeSaveLast(_ entity: String, _ hook: @escaping BeforeSaveHook) {
        lastBeforeSave[entity, default: []].append(hook)
        combine(entity)
    }

    private mutating func combine(_ entity: String) {
        beforeSave[entity] = (ordinaryBeforeSave[entity] ?? []) + (lastBeforeSave[entity] ?? [])
    }

    /// Adds a hook that runs inside the transaction after a record of `entity` was created or
    /// updated (not when an update changed nothing), with the stored record and its id.
    public mutating func onAfterSave(_ entity: String, _ hook: @escaping AfterSaveHook) {
        afterSave[entity, default: []].append(hook)
    }

    /// Adds a handler for an event name (`customer.after_create`) or `*` for all.
    public mutating func on(_ event: String, _ handler: @escaping EventHandler) {
        handlers[event, default: []].append(handler)
    }

    /// Adds the durable consumers a module declares.
    public mutating func consume(module: String, _ list: [EventConsumer]) {
        consumers += list.map { ActiveConsumer(module: module, consumer: $0) }
    }

    /// Sets the implementation of the policy `qualifiedName` (`products.price`).
    public mutating func implement(_ qualifiedName: String, _ implementation: @escaping PolicyImplementation) {
        policies[qualifiedName] = implementation
    }

    /// Adds everything from another set after this one's (its policies replace these).
    public mutating func merge(_ other: HookSet) {
        for (k, v) in other.ordinaryBeforeSave { ordinaryBeforeSave[k, default: []] += v }
        for (k, v) in other.lastBeforeSave { lastBeforeSave[k, default: []] += v }
        for k in Set(other.ordinaryBeforeSave.keys).union(other.lastBeforeSave.keys) { combine(k) }
        for (k, v) in other.afterSave { afterSave[k, default: []] += v }
        for (k, v) in other.handlers { handlers[k, default: []] += v }
        consumers += other.consumers
        policies.merge(other.policies) { _, later in later }
    }

    /// The set without hooks and handlers of the given entities.
    public func withoutEntities(_ entities: Set<String>) -> HookSet {
        guard !entities.isEmpty else { return self }
        var copy = self
        copy.beforeSave = beforeSave.filter { !entities.contains($0.key) }
        copy.ordinaryBeforeSave = ordinaryBeforeSave.filter { !entities.contains($0.key) }
        copy.lastBeforeSave = lastBeforeSave.filter { !entities.contains($0.key) }
        copy.afterSave = afterSave.filter { !entities.contains($0.key) }
        copy.handlers = handlers.filter { !entities.contains(String($0.key.split(separator: ".").first ?? "")) }
        return copy
    }

    /// Whether a durable consumer reads one of `events`.
    func awaitsAny(_ events: [Event]) -> Bool {
        guard !consumers.isEmpty, !events.isEmpty else { return false }
        return events.contains { e in consumers.contains { $0.consumer.events.contains(e.name) } }
    }

    func handlers(for name: String) -> [EventHandler] {
        (handlers[name] ?? []) + (handlers["*"] ?? [])
    }
}
