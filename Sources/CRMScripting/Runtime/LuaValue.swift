/// A Lua value copied out of (or to be pushed into) a `LuaState`.
///
/// Values are plain Swift data: reading a Lua table produces a `LuaTable`
/// snapshot, and pushing one creates a fresh Lua table.  Functions are the
/// exception: they stay inside the state and are represented by a
/// `LuaFunctionRef` handle.
public enum LuaValue: Sendable, Hashable {
    /// Lua `nil`.
    case `nil`
    /// A Lua boolean.
    case boolean(Bool)
    /// A Lua integer (Lua 5.4 subtype of number).
    case integer(Int64)
    /// A Lua float (Lua 5.4 subtype of number).
    case number(Double)
    /// A Lua string decoded as UTF-8 (invalid sequences become U+FFFD).
    case string(String)
    /// A snapshot of a Lua table.
    case table(LuaTable)
    /// A handle to a Lua function living in a specific `LuaState`.
    case function(LuaFunctionRef)

    /// The value's Lua type name (`"nil"`, `"boolean"`, `"number"`, `"string"`, `"table"`, `"function"`).
    public var typeName: String {
        switch self {
        case .nil: "nil"
        case .boolean: "boolean"
        case .integer, .number: "number"
        case .string: "string"
        case .table: "table"
        case .function: "function"
        }
    }

    /// The string payload, if this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The integer payload; floats with an exact integer value are converted too.
    public var integerValue: Int64? {
        switch self {
        case .integer(let i): return i
        case .number(let d): return Int64(exactly: d)
        default: return nil
        }
    }

    /// The numeric payload as a `Double`, if this is a number.
    public var numberValue: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .number(let d): return d
        default: return nil
        }
    }

    /// The table payload, if this is a table.
    public var tableValue: LuaTable? {
        if case .table(let t) = self { return t }
        return nil
    }

    /// The function handle, if this is a function.
    public var functionValue: LuaFunctionRef? {
        if case .function(let f) = self { return f }
        return nil
    }

    /// Lua truthiness: everything except `nil` and `false` is true.
    public var isTruthy: Bool {
        switch self {
        case .nil: false
        case .boolean(let b): b
        default: true
        }
    }
}

/// A snapshot of a Lua table.
///
/// Keys `1...array.count` live in `array` (holes read back as `.nil`), string
/// keys in `fields`, and every other key (floats, integers outside the
/// sequence, booleans, ...) in `otherEntries`.  Pushing the table back into Lua
/// recreates the same key/value pairs.
public struct LuaTable: Sendable, Hashable {
    /// The sequence part: element `i` is the Lua key `i + 1`.
    public var array: [LuaValue]
    /// Entries whose key is a string.
    public var fields: [String: LuaValue]
    /// Entries whose key is neither a string nor inside the sequence part.
    public var otherEntries: [LuaValue: LuaValue]

    /// Creates a table from its three parts.
    public init(array: [LuaValue] = [], fields: [String: LuaValue] = [:], otherEntries: [LuaValue: LuaValue] = [:]) {
        self.array = array
        self.fields = fields
        self.otherEntries = otherEntries
    }

    /// Reads or writes a string-keyed field.
    public subscript(_ key: String) -> LuaValue {
        get { fields[key] ?? .nil }
        set { fields[key] = newValue == .nil ? nil : newValue }
    }

    /// True when the table has no entries at all.
    public var isEmpty: Bool { array.isEmpty && fields.isEmpty && otherEntries.isEmpty }
}

/// A handle to a Lua function kept alive in the registry of one `LuaState`.
///
/// The handle is only meaningful for the state that created it (calling it on
/// another state throws).  Handles for the same function are deduplicated, so
/// reading the same function twice yields equal handles.  The function stays
/// alive until `LuaState.release(_:)` is called or the state is closed.
public struct LuaFunctionRef: Sendable, Hashable, CustomStringConvertible {
    /// Identifier of the owning state.
    public let stateID: UInt64
    /// Registry reference inside the owning state.
    public let reference: Int32

    /// Creates a handle (used by `LuaState`).
    init(stateID: UInt64, reference: Int32) {
        self.stateID = stateID
        self.reference = reference
    }

    /// A debugging description such as `function<state 3 ref 12>`.
    public var description: String { "function<state \(stateID) ref \(reference)>" }
}

/// Convenience literals so tests and callers can write `["a": 1, "b": "x"]`.
extension LuaValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByNilLiteral
{
    /// Creates a `.string`.
    public init(stringLiteral value: String) { self = .string(value) }
    /// Creates an `.integer`.
    public init(integerLiteral value: Int64) { self = .integer(value) }
    /// Creates a `.number`.
    public init(floatLiteral value: Double) { self = .number(value) }
    /// Creates a `.boolean`.
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    /// Creates `.nil`.
    public init(nilLiteral: ()) { self = .nil }
}

extension LuaTable: ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral {
    /// Creates a table with string keys.
    public init(dictionaryLiteral elements: (String, LuaValue)...) {
        self.init(fields: Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    /// Creates a sequence.
    public init(arrayLiteral elements: LuaValue...) {
        self.init(array: elements)
    }
}
