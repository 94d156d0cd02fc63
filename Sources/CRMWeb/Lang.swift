import CRMKernel

/// The language of the pages: zh-CN by default, English when the user switches.
public enum Lang: String, Sendable {
    /// Simplified Chinese.
    case zh
    /// English.
    case en

    /// The text in this language.
    public func t(_ zh: String, _ en: String) -> String { self == .en ? en : zh }

    /// A declared label in this language.
    public func label(_ text: LocalizedText) -> String { self == .en ? text.en : text.zh }

    /// The `lang` attribute of the document.
    public var htmlCode: String { self == .en ? "en" : "zh-CN" }

    /// The other language (the switch offers it).
    public var other: Lang { self == .en ? .zh : .en }
}
