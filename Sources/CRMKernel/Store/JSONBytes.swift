import Foundation

/// JSON written by hand into UTF-8 bytes: the one encoding of field values that API responses
/// use, whether they start from a `Value` (`append(_:to:)`) or straight from a stored row
/// (`RecordReader.json`).
///
/// Money (decimals) is written as a string so no client reads it into a float; datetimes as
/// ISO 8601 UTC strings; lists of strings as arrays.
public enum JSONBytes {
    /// Appends `s` as a JSON string literal (`"`, `\`, and control characters escaped).
    public static func appendString(_ s: String, to bytes: inout [UInt8]) {
        bytes.append(0x22)
        var text = s
        // Over the string's UTF-8 buffer: runs without anything to escape are copied whole (a
        // loop over `String.UTF8View` cost some 400 instructions a value on the write path).
        text.withUTF8 { utf8 in
            var start = 0
            for i in 0..<utf8.count {
                let u = utf8[i]
                guard u < 0x20 || u == 0x22 || u == 0x5C else { continue }
                if start < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i])) }
                appendEscaped(u, to: &bytes)
                start = i + 1
            }
            if start < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...])) }
        }
        bytes.append(0x22)
    }

    /// Appends the JSON escape of `u` (a quote, a backslash or a control character).
    private static func appendEscaped(_ u: UInt8, to bytes: inout [UInt8]) {
        switch u {
        case 0x22: bytes.append(contentsOf: "\\\"".utf8)
        case 0x5C: bytes.append(contentsOf: "\\\\".utf8)
        case 0x0A: bytes.append(contentsOf: "\\n".utf8)
        case 0x0D: bytes.append(contentsOf: "\\r".utf8)
        case 0x09: bytes.append(contentsOf: "\\t".utf8)
        default:
            bytes.append(contentsOf: "\\u00".utf8)
            bytes.append(hexDigit(u >> 4))
            bytes.append(hexDigit(u & 0x0F))
        }
    }

    /// Appends an integer's digits.
    public static func appendInteger(_ value: Int64, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(0x2D) }
        appendDigits(value.magnitude, to: &bytes)
    }

    /// Appends a field value.
    public static func append(_ v: Value, to bytes: inout [UInt8]) {
        switch v {
        case .null: bytes.append(contentsOf: "null".utf8)
        case .text(let s): appendString(s, to: &bytes)
        case .integer(let i): appendInteger(i, to: &bytes)
        case .decimal(let d): appendString(d.plainString, to: &bytes)
        case .bool(let b): bytes.append(contentsOf: (b ? "true" : "false").utf8)
        case .datetime(let d): appendString(DateCoding.iso(d), to: &bytes)
        case .real(let r): bytes.append(contentsOf: (r.isFinite ? String(r) : "null").utf8)
        case .list(let l):
            bytes.append(0x5B)
            for (i, s) in l.enumerated() {
                if i > 0 { bytes.append(0x2C) }
                appendString(s, to: &bytes)
            }
            bytes.append(0x5D)
        }
    }

    /// Appends the decimal `unscaled` × 10^-`scale` as a JSON string, exactly as
    /// `Decimal.plainString` writes it (no exponent, no trailing fraction zeros: `"1.2"`, `"0.05"`,
    /// `"-3"`), without building a `Decimal`.
    public static func appendScaledDecimal(_ unscaled: Int64, scale: Int, to bytes: inout [UInt8]) {
        guard scale >= 0, scale <= 30 else {
            appendString(ValueCodec.unscaled(unscaled, scale).plainString, to: &bytes)
            return
        }
        var magnitude = unscaled.magnitude
        var fraction = scale
        while fraction > 0, magnitude % 10 == 0, magnitude != 0 {
            magnitude /= 10
            fraction -= 1
        }
        bytes.append(0x22)
        if magnitude == 0 {
            bytes.append(0x30)
            bytes.append(0x22)
            return
        }
        if unscaled < 0 { bytes.append(0x2D) }
        let start = bytes.count
        appendDigits(magnitude, to: &bytes)
        let digits = bytes.count - start
        if fraction > 0 {
            if digits <= fraction {
                // 0.0…0digits: the leading zeros go in front of the digits written.
                let zeros = [UInt8](repeating: 0x30, count: fraction - digits + 2)
                bytes.insert(contentsOf: zeros, at: start)
                bytes[start + 1] = 0x2E
            } else {
                bytes.insert(0x2E, at: bytes.count - fraction)
            }
        }
        bytes.append(0x22)
    }

    /// Whether `text` is a date-time exactly as the store writes it and `DateCoding.iso` would
    /// write it back: `YYYY-MM-DDTHH:MM:SSZ` with a year from 1900 to 9999 and every part in
    /// range. Such a value is its own JSON (quoted), so a row can be written without parsing it.
    public static func isCanonicalInstant(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard text.count == 20, text[4] == 0x2D, text[7] == 0x2D, text[10] == 0x54, text[13] == 0x3A,
              text[16] == 0x3A, text[19] == 0x5A else { return false }
        func number(_ from: Int, _ count: Int) -> Int? {
            var n = 0
            for i in from..<(from + count) {
                let b = text[i]
                guard b >= 0x30, b <= 0x39 else { return nil }
                n = n * 10 + Int(b - 0x30)
            }
            return n
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              year >= 1900, (1...12).contains(month), day >= 1, hour < 24, minute < 60, second < 60 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = month == 2 ? (leap ? 29 : 28) : ([4, 6, 9, 11].contains(month) ? 30 : 31)
        return day <= days
    }

    /// The instant a canonical date-time (`isCanonicalInstant`) names, computed from its digits:
    /// the same `Date` as `DateCoding.parseInstant` gives for it, without a format style. Nil
    /// for any other text.
    public static func canonicalInstant(_ text: UnsafeBufferPointer<UInt8>) -> Date? {
        guard isCanonicalInstant(text) else { return nil }
        func number(_ from: Int, _ count: Int) -> Int64 {
            var n: Int64 = 0
            for i in from..<(from + count) { n = n * 10 + Int64(text[i] - 0x30) }
            return n
        }
        // Days from 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's days_from_civil).
        let m = number(5, 2), d = number(8, 2)
        let y = number(0, 4) - (m <= 2 ? 1 : 0)
        let era = y / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        let seconds = days * 86_400 + number(11, 2) * 3600 + number(14, 2) * 60 + number(17, 2)
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// Whether `text` is a list exactly as `JSONList.encode` writes it and the read path would
    /// write it back: `[]` or `["a","b"]`, with no spaces, no escapes and no control characters
    /// in the strings. Such a value is its own JSON, so a row can be written without decoding it.
    public static func isCanonicalList(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard text.count >= 2, text[0] == 0x5B, text[text.count - 1] == 0x5D else { return false }
        if text.count == 2 { return true }
        var i = 1
        let end = text.count - 1
        while true {
            guard i < end, text[i] == 0x22 else { return false }
            i += 1
            while i < end, text[i] != 0x22 {
                guard text[i] >= 0x20, text[i] != 0x5C else { return false }
                i += 1
            }
            guard i < end else { return false }
            i += 1  // the closing quote
            if i == end { return true }
            guard text[i] == 0x2C else { return false }
            i += 1
        }
    }

    private static func appendDigits(_ value: UInt64, to bytes: inout [UInt8]) {
        var magnitude = value
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buf in
            repeat {
                buf[19 - count] = UInt8(truncatingIfNeeded: magnitude % 10) + 0x30
                magnitude /= 10
                count += 1
            } while magnitude > 0
            bytes.append(contentsOf: buf[(20 - count)...])
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x57 + nibble }
}
