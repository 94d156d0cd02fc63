/// HTML built by appending: markup comes only from string literals (`StaticString`), and every
/// runtime string goes through `text` or an attribute writer, which escape it. So a value from a
/// record, a Lua label or a query string can never open a tag or an attribute.
public struct HTML: Sendable {
    /// The document so far.
    public private(set) var output = ""

    /// An empty document.
    public init() { output.reserveCapacity(16_384) }

    /// Appends trusted markup written in the source code.
    public mutating func raw(_ markup: StaticString) {
        markup.withUTF8Buffer { output += String(decoding: $0, as: UTF8.self) }
    }

    /// Appends text, escaped.
    public mutating func text(_ value: String) { output += Self.escape(value) }

    /// Appends a whole number.
    public mutating func number(_ value: some BinaryInteger) { output += String(value) }

    /// Appends ` name="value"` with the value escaped.
    public mutating func attr(_ name: StaticString, _ value: String) {
        output += " "
        raw(name)
        output += "=\""
        output += Self.escape(value)
        output += "\""
    }

    /// Appends ` name` when `on` (boolean attributes: `required`, `checked` ...).
    public mutating func flag(_ name: StaticString, _ on: Bool) {
        guard on else { return }
        output += " "
        raw(name)
    }

    /// Appends the output of a module template (`ModuleViews`), in which every value was
    /// escaped by the renderer and unescaped tags were refused when the template was compiled.
    mutating func appendRenderedTemplate(_ rendered: RenderedTemplate) { output += rendered.text }

    /// Appends another fragment built the same way.
    public mutating func append(_ other: HTML) { output += other.output }

    /// `<tag attrs>text</tag>` with the text escaped.
    public mutating func element(_ open: StaticString, _ text: String, _ close: StaticString) {
        raw(open)
        self.text(text)
        raw(close)
    }

    /// `value` with `& < > " '` replaced by entities.
    public static func escape(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 38 || $0 == 60 || $0 == 62 || $0 == 34 || $0 == 39 }) else { return value }
        var out = ""
        out.reserveCapacity(value.utf8.count + 16)
        for ch in value.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
