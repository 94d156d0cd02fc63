/// A rule set a plugin lets companies change from their script pack, such as the customers
/// module's duplicate rules or pool rules.
///
/// Scripts set it with `crm.<plugin>.<name>(table)`; the value is parsed once each time the
/// schema is built (at start-up, on reload, when modules change), so hooks read the parsed form
/// from `Schema.setting(_:as:)` without re-parsing. Without a script value, `defaultValue` applies.
public struct PluginSetting: Sendable {
    /// The name under the plugin's Lua table (`duplicate_rules`).
    public var name: String
    /// One line on what it configures, shown by the console's help.
    public var summary: String
    /// The value in force when no script sets it.
    public var defaultValue: ScriptValue
    /// Checks and converts a script value; throws a `KernelError` naming what is wrong.
    public var parse: @Sendable (ScriptValue) throws -> any Sendable

    /// Creates a setting whose parsed form is `T`.
    public init<T: Sendable>(_ name: String, summary: String, default defaultValue: ScriptValue,
                             parse: @escaping @Sendable (ScriptValue) throws -> T) {
        self.name = name
        self.summary = summary
        self.defaultValue = defaultValue
        self.parse = { try parse($0) }
    }
}
