import Foundation

/// A value crossing between company scripts and a plugin's script functions.
public indirect enum ScriptValue: Sendable, Hashable {
    /// A field value (text, number, list of strings ...).
    case value(Value)
    /// A record (a table keyed by field name, with `id`).
    case record(Record)
    /// An array.
    case list([ScriptValue])
    /// A table keyed by name.
    case table([String: ScriptValue])

    /// Nil in scripts.
    public static let null = ScriptValue.value(.null)

    /// The text, when this is a text value.
    public var text: String? { if case .value(.text(let s)) = self { return s } else { return nil } }
    /// The integer, when this is an integer value.
    public var integer: Int64? { if case .value(.integer(let i)) = self { return i } else { return nil } }
    /// The fields of a table, when this is one.
    public var fields: [String: ScriptValue]? { if case .table(let t) = self { return t } else { return nil } }
}

/// One call of a plugin's script function: its arguments and where it runs.
public struct ScriptCall {
    /// Arguments in order.
    public let arguments: [ScriptValue]
    /// The acting user.
    public let user: ActingUser
    /// The workspace's store.
    public let store: RecordStore
    /// The workspace folder, for functions that keep files there (attachments); nil when the
    /// caller has no workspace folder.
    public let directory: URL?
    let transaction: WriteContext?
    /// The caller's permissions when the call comes from the API or a non-administrator's
    /// console (nil: trusted, e.g. the console as an operator). `read` and `write` run under
    /// them, so the kernel limits what the function reads and writes for the caller; work the
    /// module does on its own account goes in `WriteContext.asSystem` / `RecordReader.system`.
    public let access: AccessGuard?
    /// The read function this call runs, when it runs one: `write` refuses.
    private(set) var readOnlyFunction: String?

    /// Creates a call (used by the scripting layer and the API).
    public init(arguments: [ScriptValue], user: ActingUser, store: RecordStore, transaction: WriteContext?,
                directory: URL? = nil, access: AccessGuard? = nil) {
        self.arguments = arguments
        self.user = user
        self.store = store
        self.transaction = transaction
        self.directory = directory
        self.access = access
    }

    /// `filter` narrowed to the records of `entity` the caller may see.
    public func scoped(_ filter: Filter?, on entity: String) throws -> Filter? {
        guard let access else { return filter }
        return access.scoped(filter, try store.schema.entity(entity))
    }

    /// Whether the caller may see `record`.
    public func canSee(_ record: Record) -> Bool {
        guard let access, let entity = store.schema.entities[record.entity] else { return true }
        return access.canSee(record, entity)
    }

    /// Fields of `entity` hidden from the caller.
    public func hidden(_ entity: String) -> Set<String> { access?.hiddenFields(entity) ?? [] }

    /// This call with writes refused, for the read function `name`.
    func refusingWrites(_ name: String) -> ScriptCall {
        var copy = self
        copy.readOnlyFunction = name
        return copy
    }

    /// The argument at `index` (0-based), or null.
    public subscript(_ index: Int) -> ScriptValue { index < arguments.count ? arguments[index] : .null }

    /// Writes in the caller's transaction when there is one (a hook), else in a new one for
    /// the caller (`access`). Refused (`invalidState`) in a function declared with the read effect.
    public func write<T>(_ body: (WriteContext) throws -> T) throws -> T {
        if let readOnlyFunction {
            throw KernelError(.invalidState, "\(readOnlyFunction) is declared read-only (effect: read) and may not write")
        }
        if let transaction { return try body(transaction) }
        return try store.write(as: user, access: access, body)
    }

    /// Reads in the caller's transaction when there is one, else in a new read for the caller.
    public func read<T>(_ body: (RecordReader) throws -> T) throws -> T {
        if let transaction { return try body(transaction.reader) }
        return try store.read(as: access, body)
    }
}

/// A function a plugin adds to the Lua API as `crm.<plugin id>.<name>` (and to the HTTP API as
/// `POST /api/v1/actions/<plugin id>/<name>`).
///
/// Every function declares its effect (does it write?) and the access it amounts to; there is no
/// default. A read function runs with writes refused; a function whose access names an entity
/// nobody declares is refused when the plugin registry is built.
public struct ScriptFunction: Sendable {
    /// The name under the plugin's table.
    public var name: String
    /// One line on what it does, shown by the console's help.
    public var summary: String
    /// Whether it only reads or may write.
    public let effect: FunctionEffect
    /// What a caller needs to call it (administrators may call everything).
    public let requirement: FunctionRequirement
    /// The work; throw `KernelError` for bad arguments or refused actions.
    public let body: @Sendable (ScriptCall) throws -> ScriptValue

    /// Creates a function with its effect and the access it needs.
    public init(_ name: String, summary: String, effect: FunctionEffect, access: FunctionRequirement,
                body: @escaping @Sendable (ScriptCall) throws -> ScriptValue) {
        self.name = name
        self.summary = summary
        self.effect = effect
        self.requirement = access
        if effect == .read {
            self.body = { call in try body(call.refusingWrites(name)) }
        } else {
            self.body = body
        }
    }

    /// The action on an entity a caller needs; nil when the function is for administrators only.
    public var access: FunctionAccess? {
        if case .access(let access) = requirement { return access }
        return nil
    }
}

/// What a plugin function does to the data.
public enum FunctionEffect: String, Sendable, Hashable, CaseIterable {
    /// It only reads: `ScriptCall.write` refuses, in a hook's transaction too.
    case read
    /// It may write.
    case write
}

/// What a caller needs to call a plugin function: an action on an entity (and to see the records
/// some arguments name), or being an administrator.
public enum FunctionRequirement: Sendable, Hashable {
    /// An action on an entity, with the arguments holding ids of records the caller must see.
    case access(FunctionAccess)
    /// Administrators only.
    case administrator

    /// `read` on `entity`.
    public static func read(_ entity: String, recordArguments: [Int] = []) -> FunctionRequirement {
        .access(FunctionAccess(entity: entity, action: .read, recordArguments: recordArguments))
    }
    /// `create` on `entity`.
    public static func create(_ entity: String, recordArguments: [Int] = []) -> FunctionRequirement {
        .access(FunctionAccess(entity: entity, action: .create, recordArguments: recordArguments))
    }
    /// `update` on `entity`.
    public static func update(_ entity: String, recordArguments: [Int] = []) -> FunctionRequirement {
        .access(FunctionAccess(entity: entity, action: .update, recordArguments: recordArguments))
    }
    /// `delete` on `entity`.
    public static func delete(_ entity: String, recordArguments: [Int] = []) -> FunctionRequirement {
        .access(FunctionAccess(entity: entity, action: .delete, recordArguments: recordArguments))
    }
    /// `export` on `entity`.
    public static func export(_ entity: String, recordArguments: [Int] = []) -> FunctionRequirement {
        .access(FunctionAccess(entity: entity, action: .export, recordArguments: recordArguments))
    }
    /// `admin` on `entity` (managing the entity, which a role may have without administering
    /// the workspace).
    public static func admin(_ entity: String, recordArguments: [Int] = []) -> FunctionRequirement {
        .access(FunctionAccess(entity: entity, action: .admin, recordArguments: recordArguments))
    }
}

/// The permission a plugin function needs: an action on an entity and, when one argument is a
/// record id, that the caller can see that record.
public struct FunctionAccess: Sendable, Hashable {
    /// The entity the function acts on.
    public var entity: String
    /// The action it amounts to.
    public var action: AccessAction
    /// The indexes of the arguments holding ids of records of `entity` the caller must see.
    public var recordArguments: [Int]

    /// Creates a requirement.
    public init(entity: String, action: AccessAction, recordArguments: [Int] = []) {
        self.entity = entity
        self.action = action
        self.recordArguments = recordArguments
    }
}

extension AccessGuard {
    /// Throws unless the user may call `function` with `arguments` (`forbidden`, or `notFound`
    /// for a record outside their scope, so its existence is not revealed).
    public func authorize(_ function: ScriptFunction, qualifiedName: String, arguments: [ScriptValue], reader: RecordReader) throws {
        if isAdministrator { return }
        guard case .access(let access) = function.requirement else {
            throw KernelError(.forbidden, "\(qualifiedName) is for administrators only")
        }
        try require(access.action, on: access.entity)
        for index in access.recordArguments where index < arguments.count {
            guard let id = arguments[index].integer else { continue }
            let entity = try reader.schema.entity(access.entity)
            guard let record = try reader.get(access.entity, id), canSee(record, entity) else {
                throw KernelError(.notFound, "\(access.entity) \(id) does not exist", entity: access.entity)
            }
        }
    }
}
