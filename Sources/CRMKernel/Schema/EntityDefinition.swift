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
    /// Indexes over several fields, each a list of field names in order (for reports that group
    /// or range-scan on several columns; single fields use `FieldDefinition.indexed`). A name
    /// written `-name` is a descending column, for a sort such as `-helpful` then `id`.
    public var indexes: [[String]]

    /// Creates an entity definition.
    public init(_ name: String, label: LocalizedText, titleField: String? = nil,
                origin: String = "kernel", fields: [FieldDefinition], indexes: [[String]] = []) {
        self.name = name
        self.label = label
        self.fields = fields
        self.titleField = titleField
        self.origin = origin
        self.indexes = indexes
    }

    private enum CodingKeys: String, CodingKey { case name, label, fields, titleField, origin, indexes }

    /// Decodes a definition; `indexes` may be missing (definitions stored before it existed).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        label = try c.decode(LocalizedText.self, forKey: .label)
        fields = try c.decode([FieldDefinition].self, forKey: .fields)
        titleField = try c.decodeIfPresent(String.self, forKey: .titleField)
        origin = try c.decode(String.self, forKey: .origin)
        indexes = try c.decodeIfPresent([[String]].self, forKey: .indexes) ?? []
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
