import Foundation

/// A declared field of an entity: its type, labels and rules.
///
/// Plugins declare fields in Swift; company scripts declare them in Lua with `crm.field`.
/// Every field, built-in or custom, is a real column of the entity's table.
public struct FieldDefinition: Sendable, Hashable, Codable {
    /// The snake_case name, also the column name.
    public var name: String
    /// The type.
    public var type: FieldType
    /// Labels in zh-CN and English.
    public var label: LocalizedText
    /// A value must be present on save.
    public var required: Bool = false
    /// No two records may share a non-empty value.
    public var unique: Bool = false
    /// Value used on create when none is given.
    public var defaultValue: Value? = nil
    /// Keep an index on the column.
    public var indexed: Bool = false
    /// Include the value in the entity's full-text index.
    public var searchable: Bool = false
    /// Smallest allowed number (integer, decimal, money).
    public var min: Decimal? = nil
    /// Largest allowed number (integer, decimal, money).
    public var max: Decimal? = nil
    /// Longest allowed text in characters.
    public var maxLength: Int? = nil
    /// A regular expression the whole text must match.
    public var pattern: String? = nil
    /// Allowed values for choice and multiple-choice fields.
    public var options: [ChoiceOption] = []
    /// Target entity for reference fields.
    public var target: String? = nil
    /// Fraction digits kept for decimal and money fields (money defaults to 2).
    public var scale: Int = 2
    /// Currency of money fields (ISO 4217), `CNY` by default.
    public var currency: String = "CNY"
    /// Help text shown beside the field.
    public var help: String? = nil
    /// Who declared the field: a plugin id, `kernel`, or `script`.
    public var origin: String = "kernel"
    /// Maintained by the kernel (id, timestamps); not writable by clients.
    public var system: Bool = false
    /// The fields this one is computed from (`phone` for a `phone_key`): `field` on the same
    /// entity or `entity.field` on another. A role that may not see a source does not see this
    /// field either (nor filter, sort, search or sum on it). Nil when the field is not derived.
    public var derivedFrom: [String]? = nil

    /// A write-only secret (a webhook's signing secret, an SMTP password): it may be written,
    /// but it is never read back by anyone but the system, never in an event, the audit log
    /// (which keeps a marker), an export or an API response. Optional so that stored
    /// definitions from before it existed still decode; read it with `isSecret`.
    public var secret: Bool? = nil

    /// Whether the field is a write-only secret.
    public var isSecret: Bool { secret == true }

    /// Creates a field definition.
    public init(_ name: String, _ type: FieldType, label: LocalizedText, required: Bool = false,
                unique: Bool = false, defaultValue: Value? = nil, indexed: Bool = false,
                searchable: Bool = false, min: Decimal? = nil, max: Decimal? = nil,
                maxLength: Int? = nil, pattern: String? = nil, options: [ChoiceOption] = [],
                target: String? = nil, scale: Int? = nil, help: String? = nil, secret: Bool = false) {
        self.name = name
        self.type = type
        self.label = label
        self.required = required
        self.unique = unique
        self.defaultValue = defaultValue
        self.indexed = indexed
        self.searchable = searchable
        self.min = min
        self.max = max
        self.maxLength = maxLength
        self.pattern = pattern
        self.options = options
        self.target = target ?? (type == .user ? "user" : nil)
        self.scale = scale ?? 2
        self.help = help
        self.secret = secret ? true : nil
    }

    /// This field, declared as computed from `sources` (`field` or `entity.field`).
    public func derived(from sources: [String]) -> FieldDefinition {
        var copy = self
        copy.derivedFrom = sources
        return copy
    }

    /// Convenience for choice fields from plain values.
    public static func choice(_ name: String, label: LocalizedText, _ values: [String],
                              required: Bool = false, multiple: Bool = false,
                              defaultValue: String? = nil, indexed: Bool = true) -> FieldDefinition {
        FieldDefinition(name, multiple ? .multiChoice : .choice, label: label, required: required,
                        defaultValue: defaultValue.map { .text($0) }, indexed: indexed,
                        options: values.map { ChoiceOption($0) })
    }
}

/// Names that user fields may not take: the kernel's own columns.
public enum ReservedFieldNames {
    /// Columns every entity table has. `version` counts the record's updates (1 when created):
    /// the `ETag` of the HTTP API and the `expectedVersion` of `WriteContext.update`.
    public static let system: Set<String> = ["id", "created_at", "updated_at", "created_by", "updated_by", "version"]

    /// Whether `name` is a valid field or entity identifier: lowercase snake_case, 1-63 characters.
    public static func isValidIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.count <= 63,
              ("a"..."z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}
