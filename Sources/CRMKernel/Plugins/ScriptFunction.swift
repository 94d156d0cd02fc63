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

    /// Creates a call (used by the scripting layer).
    public init(arguments: [ScriptValue], user: ActingUser, store: RecordStore, transaction: WriteContext?, directory: URL? = nil) {
        self.arguments = arguments
        self.user = user
        self.store = store
        self.transaction = transaction
        self.directory = directory
    }

    /// The argument at `index` (0-based), or null.
    public subscript(_ index: Int) -> ScriptValue { index < arguments.count ? arguments[index] : .null }

    /// Writes in the caller's transaction when there is one (a hook), else in a new one.
    public func write<T>(_ body: (WriteContext) throws -> T) throws -> T {
        if let transaction { return try body(transaction) }
        return try store.write(as: user, body)
    }

    /// Reads in the caller's transaction when there is one, else in a new read.
    public func read<T>(_ body: (RecordReader) throws -> T) throws -> T {
        if let transaction { return try body(transaction.reader) }
        return try store.read(body)
    }
}

/// A function a plugin adds to the Lua API as `crm.<plugin id>.<name>`.
public struct ScriptFunction: Sendable {
    /// The name under the plugin's table.
    public var name: String
    /// One line on what it does, shown by the console's help.
    public var summary: String
    /// The work; throw `KernelError` for bad arguments or refused actions.
    public var body: @Sendable (ScriptCall) throws -> ScriptValue

    /// Creates a function.
    public init(_ name: String, summary: String, body: @escaping @Sendable (ScriptCall) throws -> ScriptValue) {
        self.name = name
        self.summary = summary
        self.body = body
    }
}
