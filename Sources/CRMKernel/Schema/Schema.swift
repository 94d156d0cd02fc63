import Foundation

/// The merged, immutable schema in force: every active entity with its fields.
///
/// Built by `SchemaBuilder` from plugin and company declarations; replaced whole on reload.
public struct Schema: Sendable {
    /// Active entities by name.
    public let entities: [String: EntitySchema]
    /// Entity names in declaration order.
    public let entityNames: [String]
    /// Pipelines by entity.
    public let pipelines: [String: [Pipeline]]
    /// Form layouts by entity.
    public let forms: [String: FormLayout]
    /// Parsed plugin settings of the enabled modules, keyed `<plugin>.<setting>`.
    let settings: [String: any Sendable]
    /// Roles by id, as the script pack declares them (with the kernel's `admin` unless replaced).
    public let roles: [String: RoleDefinition]
    /// Fields computed from others (`FieldDefinition.derivedFrom`), by source `entity.field`:
    /// the derived field names by entity.
    public let derivedFields: [String: [String: Set<String>]]
    /// Secret fields by entity, for entities that have any.
    public let secretFields: [String: Set<String>]
    /// Business calendars by name, as the script pack declares them (`crm.calendar`).
    public let calendars: [String: BusinessCalendar]
    /// Numbering patterns in force by sequence name (modules' defaults, or the company's).
    public internal(set) var sequences: [String: SequencePattern] = [:]
    /// Approval flows (company scripts) and document types (enabled modules), by entity.
    public internal(set) var approvals = ApprovalSetup()

    /// Creates a schema from entity schemas (in order).
    init(_ list: [EntitySchema], pipelines: [String: [Pipeline]] = [:], forms: [String: FormLayout] = [:],
         settings: [String: any Sendable] = [:], roles: [String: RoleDefinition] = [:],
         calendars: [String: BusinessCalendar] = [:]) {
        self.settings = settings
        self.calendars = calendars
        self.roles = roles
        var map: [String: EntitySchema] = [:]
        for e in list { map[e.name] = e }
        entities = map
        secretFields = map.filter { !$0.value.secretFieldNames.isEmpty }.mapValues(\.secretFieldNames)
        entityNames = list.map(\.name)
        var derived: [String: [String: Set<String>]] = [:]
        for e in list {
            for f in e.fields {
                for source in f.derivedFrom ?? [] {
                    let key = source.contains(".") ? source : "\(e.name).\(source)"
                    derived[key, default: [:]][e.name, default: []].insert(f.name)
                }
            }
        }
        derivedFields = derived
        self.pipelines = pipelines
        self.forms = forms
    }

    /// A schema with no entities.
    public static let empty = Schema([])

    /// Before-save hooks that enforce the pipelines.
    var pipelineHooks: HookSet {
        var set = HookSet()
        for (entity, list) in pipelines.sorted(by: { $0.key < $1.key }) {
            for field in Set(list.map(\.field)).sorted() {
                set.onBeforeSave(entity, StageGate.hook(list.filter { $0.field == field }))
            }
        }
        return set
    }

    /// The parsed value of a plugin setting (`customers.duplicate_rules`), or nil when its module
    /// is disabled or the type does not match.
    public func setting<T>(_ key: String, as type: T.Type) -> T? {
        settings[key] as? T
    }

    /// The business calendar `name`: as declared, or the standard one for an undeclared
    /// `default` (Monday to Friday, 09:00–12:00 and 13:00–18:00); another unknown name is a
    /// not-found error.
    public func businessCalendar(_ name: String = "default") throws(KernelError) -> BusinessCalendar {
        if let c = calendars[name] { return c }
        guard name == "default" else {
            throw KernelError(.notFound, "no business calendar '\(name)' (declared: \((["default"] + calendars.keys.sorted()).joined(separator: ", ")))")
        }
        return .standard()
    }

    /// The entity named `name`, or a not-found error.
    public func entity(_ name: String) throws(KernelError) -> EntitySchema {
        guard let e = entities[name] else { throw .unknownEntity(name) }
        return e
    }
}

/// One active entity with its fields and the SQL the store needs, computed once per schema.
public final class EntitySchema: Sendable {
    /// The definition as declared (system fields included, in display order).
    public let definition: EntityDefinition
    /// Fields by name.
    public let fieldsByName: [String: FieldDefinition]
    /// Fields by name, shared by reference with the SQL that looks records up by them: a
    /// per-record lookup (`RecordReader.ids`) copies no `FieldDefinition` (a struct of some
    /// twenty members, each copy retaining its strings).
    let fieldRefs: [String: FieldRef]
    /// Fields in display order, system fields included.
    public var fields: [FieldDefinition] { definition.fields }
    /// The entity name.
    public var name: String { definition.name }
    /// Fields a client may write (everything but system fields).
    let writableFields: [FieldDefinition]
    /// Fields included in the full-text index.
    let searchableFields: [String]
    /// Compiled patterns by field name.
    let patterns: [String: RegexBox]
    /// Columns of the insert statement, in order (all writable fields + owner/system columns).
    let insertColumns: [FieldDefinition]
    /// `INSERT INTO ... VALUES (...)` for `insertColumns`.
    let insertSQL: String
    /// Each insert column's name and decimal scale, in `insertColumns` order: all that
    /// `ValueCodec.encode` needs, so the per-record insert loop copies no `FieldDefinition`.
    let insertColumnScales: [(name: String, scale: Int)]
    /// What the JSON writer (`RecordReader.json`, `findJSON`) needs of each field, in `fields`
    /// order, so writing a row copies no `FieldDefinition` per column.
    let jsonColumns: [JSONColumn]
    /// The full-text index's table name, quoted (`SearchIndex`).
    let searchTable: String
    /// The full-text index's insert (`SearchIndex`), its SQL built once.
    let searchInsertSQL: String
    /// Each indexed list field's item insert (`ListIndex`), by field name.
    let listInsertSQL: [String: String]
    /// Fields with required values.
    let requiredFields: [FieldDefinition]
    /// Fields with defaults.
    let defaultedFields: [FieldDefinition]
    /// `SELECT id, <every field> FROM <table>` (append WHERE / ORDER BY).
    let selectSQL: String
    /// Unique fields.
    let uniqueFields: [FieldDefinition]
    /// Reference and user fields.
    let referenceFields: [FieldDefinition]
    /// List fields kept in an item index (`ListIndex`).
    let indexedListFields: [FieldDefinition]
    /// Write-only secret fields (`FieldDefinition.isSecret`): never in events, audit or reads.
    public let secretFieldNames: Set<String>

    init(_ definition: EntityDefinition) {
        self.definition = definition
        var byName: [String: FieldDefinition] = [:]
        for f in definition.fields { byName[f.name] = f }
        fieldsByName = byName
        fieldRefs = byName.mapValues { FieldRef($0, table: definition.tableName) }
        writableFields = definition.fields.filter { !$0.system }
        searchableFields = definition.fields.filter(\.searchable).map(\.name)
        var pats: [String: RegexBox] = [:]
        for f in definition.fields { if let p = f.pattern, let box = RegexBox(p) { pats[f.name] = box } }
        patterns = pats
        insertColumns = definition.fields.filter { $0.name != "id" }
        let cols = insertColumns.map { SQL.quote($0.name) }.joined(separator: ",")
        let marks = Array(repeating: "?", count: insertColumns.count).joined(separator: ",")
        insertSQL = "INSERT INTO \(SQL.quote(definition.tableName)) (\(cols)) VALUES (\(marks))"
        insertColumnScales = insertColumns.map { ($0.name, $0.scale) }
        jsonColumns = definition.fields.map(JSONColumn.init)
        requiredFields = definition.fields.filter { $0.required && !$0.system }
        defaultedFields = definition.fields.filter { $0.defaultValue != nil }
        selectSQL = "SELECT " + definition.fields.map { SQL.quote($0.name) }.joined(separator: ",") + " FROM " + SQL.quote(definition.tableName)
        uniqueFields = definition.fields.filter(\.unique)
        referenceFields = definition.fields.filter { ($0.type == .reference || $0.type == .user) && !$0.system }
        indexedListFields = definition.fields.filter(ListIndex.isIndexed)
        searchTable = SQL.quote(definition.searchTableName)
        searchInsertSQL = "INSERT INTO \(searchTable)(rowid, body) VALUES (?, ?)"
        listInsertSQL = Dictionary(uniqueKeysWithValues: indexedListFields.map { ($0.name, ListIndex.insertSQL(definition.name, $0.name)) })
        secretFieldNames = Set(definition.fields.filter(\.isSecret).map(\.name))
    }

    /// The field named `name`, or a validation error naming entity and field.
    public func field(_ name: String) throws(KernelError) -> FieldDefinition {
        try fieldRef(name).field
    }

    /// The field named `name` by reference, or the same error as `field(_:)`.
    func fieldRef(_ name: String) throws(KernelError) -> FieldRef {
        guard let ref = fieldRefs[name] else {
            throw KernelError.invalid(self.name, field: name, "unknown field '\(name)' of \(self.name)")
        }
        return ref
    }

    /// The table name.
    public var tableName: String { definition.tableName }
}

/// One field as the JSON writer needs it: its name, its key written once (`,"name":`), its type
/// and decimal scale.
struct JSONColumn: Sendable {
    let name: String
    /// `,"name":` (field names are identifiers: nothing to escape).
    let key: [UInt8]
    let type: FieldType
    let scale: Int
    let isID: Bool
    let isVersion: Bool

    init(_ field: FieldDefinition) {
        name = field.name
        key = Array(",\"\(field.name)\":".utf8)
        type = field.type
        scale = field.scale
        isID = field.name == "id"
        isVersion = field.name == "version"
    }
}

/// One field definition shared by reference (`EntitySchema.fieldRefs`), with the SQL of an
/// id lookup by it, built once.
final class FieldRef: Sendable {
    /// The definition.
    let field: FieldDefinition
    /// `SELECT id FROM <table> WHERE <field> = ? LIMIT ?` (`RecordReader.ids`).
    let idLookupSQL: String
    /// For a unique field, the same with the unique index's term, used for a non-empty value.
    let uniqueIdLookupSQL: String?

    init(_ field: FieldDefinition, table: String) {
        self.field = field
        let table = SQL.quote(table), column = SQL.quote(field.name)
        idLookupSQL = "SELECT id FROM \(table) WHERE \(column) = ? LIMIT ?"
        uniqueIdLookupSQL = field.unique ? "SELECT id FROM \(table) WHERE \(column) = ? AND \(SQL.uniqueIndexTerm(column)) LIMIT ?" : nil
    }
}

/// A compiled regular expression, immutable and safe to share.
final class RegexBox: @unchecked Sendable {
    let regex: NSRegularExpression

    init?(_ pattern: String) {
        guard let r = try? NSRegularExpression(pattern: "^(?:" + pattern + ")$") else { return nil }
        regex = r
    }

    func matches(_ text: String) -> Bool {
        let range = NSRange(text.startIndex..., in: text)
        return regex.firstMatch(in: text, options: [], range: range) != nil
    }
}

/// SQL helpers that keep identifiers quoted.
enum SQL {
    /// Quotes an identifier (names are validated snake_case; quotes are doubled anyway).
    static func quote(_ identifier: String) -> String {
        // Names are snake_case, so the common case has no quote to double (and skips
        // Foundation's search, which cost 4 % of a bulk import when every lookup quoted).
        guard identifier.utf8.contains(0x22) else { return "\"" + identifier + "\"" }
        return "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The term that lets SQLite use a unique field's index for `column = ?`: the index is partial
    /// (`WHERE column IS NOT NULL AND column <> ''`, so empty values never collide), and SQLite
    /// uses a partial index only when the query's WHERE implies the index's. Without it every
    /// probe of a unique value scanned the whole table. Only for a non-empty value, where it
    /// changes nothing in the result.
    static func uniqueIndexTerm(_ quotedColumn: String) -> String {
        "\(quotedColumn) <> ''"
    }
}
