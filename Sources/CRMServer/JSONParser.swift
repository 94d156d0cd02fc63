import Foundation

/// A strict JSON reader (RFC 8259) for request bodies and `filter=` parameters.
///
/// Unlike Foundation's decoders it keeps every number's digits (integers outside Int64 become
/// `.number` so the field check can name them, never a wrapped or rounded value), refuses
/// duplicate keys in an object, limits nesting, and says what is wrong in plain words with the
/// line and column (`line 3, column 14: expected ',' or '}' after an object member`).
struct JSONParser {
    /// Deepest nesting of arrays and objects accepted.
    static let maxDepth = 64

    /// Why the text is not acceptable JSON, with the place.
    struct Failure: Error {
        var message: String
        var line: Int
        var column: Int
        var description: String { "line \(line), column \(column): \(message)" }
    }

    private let bytes: [UInt8]
    private var i = 0

    private init(_ data: Data) { bytes = [UInt8](data) }

    /// The value `data` holds, or where and why it is not JSON.
    static func parse(_ data: Data) throws(Failure) -> JSONValue {
        var p = JSONParser(data)
        p.skipSpace()
        guard p.i < p.bytes.count else { throw p.fail("the JSON text is empty") }
        let value = try p.value(depth: 0)
        p.skipSpace()
        guard p.i == p.bytes.count else { throw p.fail("unexpected text after the JSON value") }
        return value
    }

    private func fail(_ message: String, at position: Int? = nil) -> Failure {
        let end = min(position ?? i, bytes.count)
        var line = 1, column = 1
        var k = 0
        while k < end {
            if bytes[k] == 0x0A { line += 1; column = 1 } else if bytes[k] & 0xC0 != 0x80 { column += 1 }
            k += 1
        }
        return Failure(message: message, line: line, column: column)
    }

    private mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    private mutating func value(depth: Int) throws(Failure) -> JSONValue {
        guard i < bytes.count else { throw fail("the JSON text ends too early") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        case UInt8(ascii: "'"): throw fail("strings must be in double quotes")
        default: throw fail("expected a value (an object, array, string, number, true, false or null)")
        }
    }

    private mutating func literal(_ word: String) throws(Failure) {
        let w = Array(word.utf8), n = w.count
        let matches = i + n <= bytes.count && (0..<n).allSatisfy { bytes[i + $0] == w[$0] }
        guard matches else { throw fail("expected a value (an object, array, string, number, true, false or null)") }
        i += n
    }

    private mutating func object(depth: Int) throws(Failure) -> JSONValue {
        guard depth <= Self.maxDepth else { throw fail("the JSON is nested more than \(Self.maxDepth) levels deep") }
        i += 1
        var members: [String: JSONValue] = [:]
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a member name in double quotes") }
            let keyStart = i
            let key = try string()
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':' after the member name \"\(key)\"") }
            i += 1
            skipSpace()
            let v = try value(depth: depth)
            guard members.updateValue(v, forKey: key) == nil else { throw fail("the member \"\(key)\" appears twice", at: keyStart) }
            skipSpace()
            guard i < bytes.count else { throw fail("the JSON text ends inside an object") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            throw fail("expected ',' or '}' after an object member")
        }
    }

    private mutating func array(depth: Int) throws(Failure) -> JSONValue {
        guard depth <= Self.maxDepth else { throw fail("the JSON is nested more than \(Self.maxDepth) levels deep") }
        i += 1
        var items: [JSONValue] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
        while true {
            skipSpace()
            items.append(try value(depth: depth))
            skipSpace()
            guard i < bytes.count else { throw fail("the JSON text ends inside an array") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            throw fail("expected ',' or ']' after an array item")
        }
    }

    private mutating func string() throws(Failure) -> String {
        i += 1
        let start = i
        // Fast path: no escapes.
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: bytes[start..<i], as: UTF8.self)
                try checkUTF8(start, i)
                i += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw fail("a control character must be escaped inside a string") }
            i += 1
        }
        var out = [UInt8](bytes[start..<i])
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                guard let s = String(validating: out, as: UTF8.self) else { throw fail("the string is not valid UTF-8") }
                return s
            }
            if b < 0x20 { throw fail("a control character must be escaped inside a string") }
            if b != UInt8(ascii: "\\") { out.append(b); i += 1; continue }
            i += 1
            guard i < bytes.count else { break }
            switch bytes[i] {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    guard i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "\\"), bytes[i + 2] == UInt8(ascii: "u") else {
                        throw fail("a \\u escape of a high surrogate must be followed by a low one")
                    }
                    i += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw fail("a \\u escape of a high surrogate must be followed by a low one") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw fail("a lone low surrogate in a \\u escape")
                }
                guard let u = Unicode.Scalar(scalar) else { throw fail("an invalid \\u escape") }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default: throw fail("an unknown escape sequence in a string")
            }
            i += 1
        }
        throw fail("the JSON text ends inside a string", at: start - 1)
    }

    /// Reads the four hex digits after `\u`, leaving `i` on the last.
    private mutating func hex4() throws(Failure) -> UInt32 {
        guard i + 4 < bytes.count else { throw fail("a \\u escape needs four hex digits") }
        var v: UInt32 = 0
        for k in 1...4 {
            let c = bytes[i + k]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - 0x30)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - 0x61 + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - 0x41 + 10)
            default: throw fail("a \\u escape needs four hex digits")
            }
            v = v * 16 + d
        }
        i += 4
        return v
    }

    private func checkUTF8(_ from: Int, _ to: Int) throws(Failure) {
        // ASCII needs no check; anything else is validated once.
        var k = from
        while k < to, bytes[k] < 0x80 { k += 1 }
        guard k < to else { return }
        guard String(validating: bytes[from..<to], as: UTF8.self) != nil else { throw fail("the string is not valid UTF-8", at: from) }
    }

    private mutating func number() throws(Failure) -> JSONValue {
        let start = i
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        func digits() -> Int {
            let s = i
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            return i - s
        }
        let intStart = i
        let intDigits = digits()
        guard intDigits > 0 else { throw fail("a number needs digits") }
        guard !(intDigits > 1 && bytes[intStart] == 0x30) else { throw fail("a number may not start with 0", at: intStart) }
        var integral = true
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { throw fail("expected digits after the decimal point") }
            integral = false
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { throw fail("expected digits in the exponent") }
            integral = false
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        if integral, let n = Int64(text) { return .integer(n) }
        guard let d = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), !d.isNaN else {
            throw fail("the number \(text) is out of range", at: start)
        }
        return .number(d)
    }
}
