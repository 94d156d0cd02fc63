/// The type of a field. Raw values are the names scripts and the API use.
public enum FieldType: String, Sendable, Hashable, Codable, CaseIterable {
    case text
    case longText = "long_text"
    case integer
    case decimal
    case money
    case boolean
    case date
    case datetime
    case choice
    case multiChoice = "multi_choice"
    case reference
    case user
    case phone
    case email
    case url
    case tags

    /// How values of this type are kept in SQLite.
    public enum Storage: String, Sendable {
        /// TEXT column.
        case text
        /// INTEGER column (integers, ids, booleans, scaled decimals).
        case integer
        /// TEXT column holding a JSON array of strings.
        case list
    }

    /// How values of this type are kept.
    public var storage: Storage {
        switch self {
        case .text, .longText, .phone, .email, .url, .choice, .date, .datetime: return .text
        case .integer, .reference, .user, .boolean, .decimal, .money: return .integer
        case .multiChoice, .tags: return .list
        }
    }

    /// The SQL column type.
    var sqlType: String { storage == .integer ? "INTEGER" : "TEXT" }

    /// Whether values are decimals kept as scaled integers.
    public var isDecimal: Bool { self == .decimal || self == .money }

    /// Whether values are lists of strings.
    public var isList: Bool { storage == .list }

    /// Whether the type takes `options`.
    public var hasOptions: Bool { self == .choice || self == .multiChoice }

    /// Whether a change from `self` to `other` keeps every stored value meaningful without
    /// converting it.
    func isStorageCompatible(with other: FieldType) -> Bool {
        if self == other { return true }
        let textual: Set<FieldType> = [.text, .longText, .phone, .email, .url, .choice]
        if textual.contains(self) && textual.contains(other) { return true }
        if (self == .multiChoice || self == .tags) && (other == .multiChoice || other == .tags) { return true }
        if (self == .decimal || self == .money) && (other == .decimal || other == .money) { return true }
        return false
    }
}

/// A label in Simplified Chinese and English.
public struct LocalizedText: Sendable, Hashable, Codable {
    /// The zh-CN text (the default language).
    public var zh: String
    /// The English text.
    public var en: String

    /// Creates a label; English defaults to the Chinese text.
    public init(_ zh: String, en: String? = nil) {
        self.zh = zh
        self.en = en ?? zh
    }

    /// The text for a language code (`zh`, `zh-CN`, `en` ...), Chinese by default.
    public func text(for language: String) -> String {
        language.lowercased().hasPrefix("en") ? en : zh
    }
}

/// One allowed value of a choice field.
public struct ChoiceOption: Sendable, Hashable, Codable {
    /// The stored value.
    public var value: String
    /// The label shown to people.
    public var label: LocalizedText

    /// Creates an option; the label defaults to the value.
    public init(_ value: String, label: LocalizedText? = nil) {
        self.value = value
        self.label = label ?? LocalizedText(value)
    }
}
