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
    public var plainString: String {
        var copy = self
        return NSDecimalString(&copy, Locale(identifier: "en_US_POSIX"))
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
    /// Worked out with integer arithmetic (days to a civil date, as in Howard Hinnant's
    /// `civil_from_days`): every create and update stamps and audits several instants, and the
    /// format style cost a writer about 2 % of a create. Instants before 1583 (Foundation's
    /// calendar turns Julian before the Gregorian reform) or after 9999 go to Foundation.
    public static func iso(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        guard seconds >= -12_212_553_600, seconds < 253_402_300_800 else {  // 1583-01-01 … 9999-12-31
            return date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false))
        }
        let total = Int64(seconds)
        var days = total / 86_400, second = total % 86_400
        if second < 0 { second += 86_400; days -= 1 }
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        func digits(_ value: Int64, _ count: Int) {
            var divisor: Int64 = 1
            for _ in 1..<count { divisor *= 10 }
            var v = value
            while divisor > 0 {
                bytes.append(UInt8(48 + v / divisor))
                v %= divisor
                divisor /= 10
            }
        }
        digits(year, 4); bytes.append(0x2D); digits(month, 2); bytes.append(0x2D); digits(day, 2)
        bytes.append(0x54)
        digits(second / 3_600, 2); bytes.append(0x3A); digits(second / 60 % 60, 2); bytes.append(0x3A); digits(second % 60, 2)
        bytes.append(0x5A)
        return String(decoding: bytes, as: UTF8.self)
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
