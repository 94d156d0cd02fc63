import Foundation

/// What a module page's template shows: a small tree of text, whole numbers, booleans, lists and
/// objects. Money goes in as fen and comes out as yuan text through `MoneyText` (`money`), so
/// every page writes amounts the same way. Literals build it: `["title": "公海", "rows": [...]]`.
public indirect enum PageData: Sendable, Hashable {
    /// Text (escaped when shown).
    case text(String)
    /// A whole number.
    case integer(Int64)
    /// True or false (a template's `{{#flag}}…{{/flag}}`).
    case bool(Bool)
    /// A list (a template's `{{#rows}}…{{/rows}}` repeats for each).
    case list([PageData])
    /// Named values.
    case object([String: PageData])

    /// An amount in fen as yuan text (`1234.50`).
    public static func money(_ fen: Int64) -> PageData { .text(MoneyText.yuan(fen)) }

    /// A record field's value as shown: text, numbers and dates as their text, a list joined
    /// with `、`; nil when empty (so `{{#field}}` hides it).
    public static func value(_ value: Value) -> PageData? {
        switch value {
        case .null: return nil
        case .text(let s): return s.isEmpty ? nil : .text(s)
        case .integer(let i): return .integer(i)
        case .bool(let b): return .bool(b)
        case .list(let l): return l.isEmpty ? nil : .text(l.joined(separator: "、"))
        default: return .text(value.description)
        }
    }

    /// The value under `key` of an object.
    public subscript(key: String) -> PageData? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// The text of a text value.
    public var text: String? { if case .text(let s) = self { return s } else { return nil } }
    /// The elements of a list.
    public var list: [PageData]? { if case .list(let l) = self { return l } else { return nil } }
}

extension PageData: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    /// Text.
    public init(stringLiteral value: String) { self = .text(value) }
    /// A whole number.
    public init(integerLiteral value: Int64) { self = .integer(value) }
    /// A boolean.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// A list.
    public init(arrayLiteral elements: PageData...) { self = .list(elements) }
    /// An object (a later duplicate key wins).
    public init(dictionaryLiteral elements: (String, PageData)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { $1 }))
    }
}
