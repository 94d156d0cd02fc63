/// A declared record type: its name, labels and fields.
///
/// Each entity is a real table (`e_<name>`) and each field a real column.
public struct EntityDefinition: Sendable, Hashable, Codable {
    /// The snake_case name used in scripts, the API and events.
    public var name: String
    /// Labels in zh-CN and English.
    public var label: LocalizedText
    /// The declared fields, in display order (system fields are added by the schema).
    public var fields: [FieldDefinition]
    /// The field that names a record in lists and references (e.g. `name`).
    public var titleField: String?
    /// Who declared the entity: a plugin id, `kernel`, or `script`.
    public var origin: String

    /// Creates an entity definition.
    public init(_ name: String, label: LocalizedText, titleField: String? = nil,
                origin: String = "kernel", fields: [FieldDefinition]) {
        self.name = name
        self.label = label
        self.fields = fields
        self.titleField = titleField
        self.origin = origin
    }

    /// The SQL table name.
    public var tableName: String { "e_" + name }

    /// The full-text table name.
    var searchTableName: String { "s_" + name }
}

/// A field added by someone other than the entity's declarer (another plugin or a script).
public struct FieldExtension: Sendable, Hashable {
    /// The entity extended.
    public var entity: String
    /// The field added.
    public var field: FieldDefinition

    /// Creates an extension.
    public init(entity: String, field: FieldDefinition) {
        self.entity = entity
        self.field = field
    }
}
