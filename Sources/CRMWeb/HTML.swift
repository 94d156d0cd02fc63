/// HTML built by appending: markup comes only from string literals (`StaticString`), and every
/// runtime string goes through `text` or an attribute writer, which escape it. So a value from a
/// record, a Lua label or a query string can never open a tag or an attribute.
///
/// The document is kept as UTF-8 bytes: a literal is copied in as it is and a value is escaped
/// straight into the buffer, so building a page makes no string per piece (a 200-card board
/// appended some 10,000 pieces), and the response sends the bytes without another copy.
public struct HTML: Sendable {
    /// The document so far, UTF-8.
    public private(set) var bytes: [UInt8] = []

    /// The document so far, as text.
    public var output: String { String(decoding: bytes, as: UTF8.self) }

    /// An empty document with room for `capacity` bytes (a fragment grows as it needs).
    public init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    /// Appends trusted markup written in the source code.
    public mutating func raw(_ markup: StaticString) {
        markup.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends text, escaped.
    public mutating func text(_ value: String) { Self.appendEscaped(value, to: &bytes) }

    /// Appends a whole number.
    public mutating func number(_ value: some BinaryInteger) { bytes.append(contentsOf: String(value).utf8) }

    /// Appends ` name="value"` with the value escaped.
    public mutating func attr(_ name: StaticString, _ value: String) {
        bytes.append(32)  // space
        raw(name)
        bytes.append(61)  // =
        bytes.append(34)  // "
        Self.appendEscaped(value, to: &bytes)
        bytes.append(34)
    }

    /// Appends ` name` when `on` (boolean attributes: `required`, `checked` ...).
    public mutating func flag(_ name: StaticString, _ on: Bool) {
        guard on else { return }
        bytes.append(32)
        raw(name)
    }

    /// Appends the output of a module template (`ModuleViews`), in which every value was
    /// escaped by the renderer and unescaped tags were refused when the template was compiled.
    mutating func appendRenderedTemplate(_ rendered: RenderedTemplate) { bytes.append(contentsOf: rendered.text.utf8) }

    /// Appends another fragment built the same way.
    public mutating func append(_ other: HTML) { bytes.append(contentsOf: other.bytes) }

    /// `<tag attrs>text</tag>` with the text escaped.
    public mutating func element(_ open: StaticString, _ text: String, _ close: StaticString) {
        raw(open)
        self.text(text)
        raw(close)
    }

    /// A link: `open` is the `<a` tag's start with its fixed attributes, written in the source
    /// (`"<a"`, `"<a class=\"button\""`), then ` href="…">text</a>` with both values escaped.
    public mutating func link(_ open: StaticString, href: String, _ text: String) {
        raw(open)
        attr("href", href)
        bytes.append(62)  // >
        self.text(text)
        raw("</a>")
    }

    /// `value` with `& < > " '` replaced by entities.
    public static func escape(_ value: String) -> String {
        guard value.utf8.contains(where: needsEntity) else { return value }
        var out: [UInt8] = []
        out.reserveCapacity(value.utf8.count + 16)
        appendEscaped(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `value`'s UTF-8 to `out` with `& < > " '` as entities. The five are ASCII, so
    /// no multi-byte character is split.
    static func appendEscaped(_ value: String, to out: inout [UInt8]) {
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for i in 0..<utf8.count where needsEntity(utf8[i]) {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i]))
                switch utf8[i] {
                case 38: out.append(contentsOf: "&amp;".utf8)
                case 60: out.append(contentsOf: "&lt;".utf8)
                case 62: out.append(contentsOf: "&gt;".utf8)
                case 34: out.append(contentsOf: "&quot;".utf8)
                default: out.append(contentsOf: "&#39;".utf8)
                }
                start = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<utf8.count]))
        }
    }

    /// Whether a UTF-8 byte is one of `& < > " '`.
    @inline(__always) static func needsEntity(_ byte: UInt8) -> Bool {
        byte == 38 || byte == 60 || byte == 62 || byte == 34 || byte == 39
    }
}
