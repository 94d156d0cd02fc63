import Foundation

/// A field value as the kernel sees it, independent of storage.
///
/// Money and decimals are `Decimal` (never `Double`); dates are `YYYY-MM-DD` strings in the
/// workspace calendar; datetimes are UTC instants; choices and tags are strings.
public enum Value: Sendable, Hashable, CustomStringConvertible {
    /// No value.
    case null
    /// Text of any kind: text, long text, phone, email, url, single choice, date (`YYYY-MM-DD`).
    case text(String)
    /// An integer, a reference id or a user id.
    case integer(Int64)
    /// A decimal or money amount.
    case decimal(Decimal)
    /// A boolean.
    case bool(Bool)
    /// A UTC instant.
    case datetime(Date)
    /// A list of strings: multiple choice or tags.
    case list([String])
    /// A floating-point number; appears only in computed results (averages), never stored.
    case real(Double)

    /// Whether the value is null, an empty string or an empty list.
    public var isEmpty: Bool {
        switch self {
        case .null: return true
        case .text(let s): return s.isEmpty
        case .list(let l): return l.isEmpty
        default: return false
        }
    }

    /// The text, when the value is text.
    public var textValue: String? { if case .text(let s) = self { return s } else { return nil } }
    /// The integer, when the value is an integer.
    public var integerValue: Int64? { if case .integer(let i) = self { return i } else { return nil } }
    /// The decimal, when the value is a decimal (or an integer).
    public var decimalValue: Decimal? {
        switch self {
        case .decimal(let d): return d
        case .integer(let i): return Decimal(i)
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .null: return "null"
        case .text(let s): return s
        case .integer(let i): return String(i)
        case .decimal(let d): return d.plainString
        case .bool(let b): return b ? "true" : "false"
        case .datetime(let d): return DateCoding.iso(d)
        case .list(let l): return l.joined(separator: ",")
        case .real(let r): return String(r)
        }
    }
}

extension Decimal {
    /// The decimal written plainly, without exponent or grouping: `1234.5`.
    ///
    /// A significand under 10¹⁸ with an exponent within ±18 (every amount a workspace stores)
    /// is written from its integer digits; Foundation's `NSDecimalString` took about 10 µs per
    /// value and is kept for the rest. The two agree (`DecimalTextTests`).
    public var plainString: String {
        if let (digits, exponent) = integerParts { return Self.plain(digits, exponent) }
        var copy = self
        return NSDecimalString(&copy, Self.posix)
    }

    /// The locale `NSDecimalString` writes with.
    static let posix = Locale(identifier: "en_US_POSIX")

    /// `self` as `significand × 10^exponent` with a signed 64-bit significand under 10¹⁸ and
    /// an exponent within ±18; nil for NaN and anything larger.
    public var integerParts: (significand: Int64, exponent: Int)? {
        guard !isNaN, (-18...18).contains(exponent) else { return nil }
        let magnitude = significand
        guard magnitude < Self.significandBound else { return nil }
        let value = NSDecimalNumber(decimal: magnitude).int64Value
        return (sign == .minus ? -value : value, exponent)
    }

    /// Significands at or above it go the slow way.
    private static let significandBound = Decimal(999_999_999_999_999_999) + 1

    /// `digits × 10^exponent` written plainly.
    private static func plain(_ digits: Int64, _ exponent: Int) -> String {
        if digits == 0 { return "0" }
        var text = String(digits.magnitude)
        if exponent > 0 {
            text += String(repeating: "0", count: exponent)
        } else if exponent < 0 {
            let point = text.count + exponent
            text = point > 0 ? String(text.prefix(point)) + "." + String(text.dropFirst(point))
                : "0." + String(repeating: "0", count: -point) + text
        }
        return digits < 0 ? "-" + text : text
    }

    /// Rounds to `scale` fraction digits, half away from zero, as accountants do.
    public func rounded(scale: Int) -> Decimal {
        var source = self
        var result = Decimal()
        NSDecimalRound(&result, &source, scale, .plain)
        return result
    }
}

/// Encoding of dates and datetimes as stored: UTC ISO-8601 with a `Z`.
public enum DateCoding {
    /// Formats a UTC instant as `2026-11-22T08:30:00Z` (whole seconds, as stored).
    ///
    /// Written from the date's seconds with integer arithmetic (`CivilDate(ordinal:)`) instead
    /// of Foundation's format style: every create and update stamps, audits and publishes several
    /// instants, and the style cost the API's writer thread about 2 % of a create. Instants
    /// outside 1600...9999 (and NaN) go to Foundation, whose calendar is Julian before the
    /// Gregorian reform of 1582.
    public static func iso(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        guard interval >= -11_676_096_000, interval < 253_402_300_800 else {  // 1600-01-01 ..< 10000-01-01
            return date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false))
        }
        let seconds = Int(interval.rounded(.down))
        let (days, second) = seconds.quotientAndRemainder(dividingBy: 86_400)
        let (day, inDay) = second < 0 ? (days - 1, second + 86_400) : (days, second)
        let date = CivilDate(ordinal: day)
        // Each part with its width and the character after it: 2026-11-22T08:30:00Z.
        let parts = [(date.year, 4, "-"), (date.month, 2, "-"), (date.day, 2, "T"),
                     (inDay / 3600, 2, ":"), (inDay / 60 % 60, 2, ":"), (inDay % 60, 2, "Z")] as [(Int, Int, Unicode.Scalar)]
        return String(unsafeUninitializedCapacity: 20) { buffer in
            var offset = 0
            for (value, width, after) in parts {
                var value = value
                for i in stride(from: offset + width - 1, through: offset, by: -1) {
                    buffer[i] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
                buffer[offset + width] = UInt8(ascii: after)
                offset += width + 1
            }
            return offset
        }
    }

    /// Parses an ISO-8601 instant (with `Z` or an offset, optional fraction), or nil.
    public static func parseInstant(_ text: String) -> Date? {
        if let d = try? Date.ISO8601FormatStyle().parse(text) { return d }
        if let d = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return d }
        return nil
    }

    /// Whether `text` is a valid calendar date `YYYY-MM-DD`.
    public static func isValidDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), d >= 1 else { return false }
        let days = [31, (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return d <= days[m - 1]
    }
}
