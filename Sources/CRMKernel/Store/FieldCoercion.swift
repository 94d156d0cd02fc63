import Foundation

/// Checks and normalises an incoming value for a field: the type first, then the field's rules.
///
/// Text from CSV files and JSON numbers are converted where the meaning is unambiguous
/// (`"12.50"` for money, `"true"` for a boolean); anything else is a field error.
enum FieldCoercion {
    /// The normalised value, or the message of a field error.
    /// `stored` is false for filter operands: they may be any date (a lower bound of 0000-01-01
    /// is fine in a query), while stored values start at `DateCoding.minYear`.
    static func coerce(_ value: Value, _ field: FieldDefinition, stored: Bool = true) -> Result<Value, FieldError> {
        func fail(_ message: String) -> Result<Value, FieldError> { .failure(FieldError(field: field.name, message: message)) }
        if case .null = value { return .success(.null) }
        if case .text(let s) = value, s.isEmpty, field.type != .text, field.type != .longText { return .success(.null) }
        switch field.type {
        case .text, .longText, .phone, .email, .url, .choice:
            let text: String
            switch value {
            case .text(let s): text = s
            case .integer(let i): text = String(i)
            default: return fail("expected text, got \(value)")
            }
            return checkText(text, field).map { .text($0) }
        case .date:
            guard case .text(let s) = value else { return fail("expected a date YYYY-MM-DD") }
            let day = s.count > 10 && s.dropFirst(10).first == "T" ? String(s.prefix(10)) : s
            guard DateCoding.isValidDate(day) else { return fail("'\(s)' is not a date YYYY-MM-DD") }
            guard !stored || (Int(day.prefix(4)) ?? 0) >= DateCoding.minYear else { return fail("'\(s)' is before the year \(DateCoding.minYear)") }
            return .success(.text(day))
        case .datetime:
            switch value {
            case .datetime(let d): return .success(.datetime(wholeSeconds(d)))
            case .integer(let i): return .success(.datetime(Date(timeIntervalSince1970: TimeInterval(i))))
            case .text(let s):
                switch StrictInstant.parse(s, minYear: stored ? DateCoding.minYear : 0) {
                case .success(let d): return .success(.datetime(d))
                case .failure(let problem): return fail(problem.message)
                }
            default: return fail("expected a date-time")
            }
        case .integer, .reference, .user:
            let i: Int64
            switch value {
            case .integer(let v): i = v
            case .text(let s):
                let trimmed = s.trimmingCharacters(in: .whitespaces)
                guard let v = Int64(trimmed) else {
                    if !trimmed.isEmpty, trimmed.drop(while: { $0 == "-" || $0 == "+" }).allSatisfy(\.isASCIIDigit) { return fail(outOfRange(trimmed)) }
                    return fail("'\(s)' is not a whole number")
                }
                i = v
            case .decimal(let d):
                guard d == d.rounded(scale: 0) else { return fail("\(d.plainString) is not a whole number") }
                // Checked before converting: NSDecimalNumber.int64Value wraps numbers past 2^63.
                guard d >= Decimal(Int64.min), d <= Decimal(Int64.max), let v = Int64(d.plainString) else { return fail(outOfRange(d.plainString)) }
                i = v
            case .real(let r):
                guard r == r.rounded(), abs(r) < 9e15 else { return fail("\(r) is not a whole number") }
                i = Int64(r)
            default: return fail("expected a whole number, got \(value)")
            }
            if field.type == .integer { return checkRange(Decimal(i), field).map { _ in .integer(i) } }
            return .success(.integer(i))
        case .decimal, .money:
            let d: Decimal
            switch value {
            case .decimal(let v): d = v
            case .integer(let v): d = Decimal(v)
            case .text(let s):
                // Digit grouping ("1,000") is refused: the comma means a decimal point in many
                // locales, so the number would be a guess.
                let cleaned = s.trimmingCharacters(in: .whitespaces)
                guard cleaned.allSatisfy({ $0.isASCIIDigit || $0 == "." || $0 == "-" || $0 == "+" }),
                      let v = Decimal(string: cleaned, locale: Locale(identifier: "en_US_POSIX")) else {
                    return fail(cleaned.contains(",") ? "'\(s)' is not a number (write 1000.50, without digit grouping)" : "'\(s)' is not a number")
                }
                d = v
            case .real(let r):
                guard r.isFinite, let v = Decimal(string: String(r)) else { return fail("\(r) is not a number") }
                d = v
            default: return fail("expected a number, got \(value)")
            }
            guard d.rounded(scale: field.scale) == d else {
                return fail("\(d.plainString) has more than \(field.scale) digits after the decimal point")
            }
            guard abs(d) < Decimal(9e15) / pow(10, field.scale) else { return fail("\(d.plainString) is too large") }
            return checkRange(d, field).map { _ in .decimal(d) }
        case .boolean:
            switch value {
            case .bool: return .success(value)
            case .integer(let i) where i == 0 || i == 1: return .success(.bool(i == 1))
            case .text(let s):
                switch s.lowercased() {
                case "true", "1", "yes", "y", "是", "t": return .success(.bool(true))
                case "false", "0", "no", "n", "否", "f": return .success(.bool(false))
                default: return fail("'\(s)' is not true or false")
                }
            default: return fail("expected true or false, got \(value)")
            }
        case .multiChoice, .tags:
            var list: [String]
            switch value {
            case .list(let l): list = l
            case .text(let s): list = s.split(whereSeparator: { $0 == "," || $0 == "，" || $0 == ";" || $0 == "、" }).map { $0.trimmingCharacters(in: .whitespaces) }
            default: return fail("expected a list of values, got \(value)")
            }
            list = list.filter { !$0.isEmpty }
            var seen = Set<String>()
            list = list.filter { seen.insert($0).inserted }
            if field.type == .multiChoice, !field.options.isEmpty {
                let allowed = Set(field.options.map(\.value))
                if let bad = list.first(where: { !allowed.contains($0) }) {
                    return fail("'\(bad)' is not one of \(field.options.map(\.value).joined(separator: ", "))")
                }
            }
            return .success(list.isEmpty ? .null : .list(list))
        }
    }

    /// The message for a whole number outside Int64.
    static func outOfRange(_ text: String) -> String {
        "\(text) is out of range (whole numbers go from \(Int64.min) to \(Int64.max))"
    }

    /// Datetimes are kept to the second.
    static func wholeSeconds(_ d: Date) -> Date {
        Date(timeIntervalSince1970: d.timeIntervalSince1970.rounded(.down))
    }

    /// The signs a phone number may hold besides digits: `+`, `-`, space, `(`, `)` and `#`.
    private static let phoneSigns: Set<UInt8> = Set("+- ()#".utf8)

    private static func checkText(_ text: String, _ field: FieldDefinition) -> Result<String, FieldError> {
        func fail(_ m: String) -> Result<String, FieldError> { .failure(FieldError(field: field.name, message: m)) }
        if let problem = TextRules.problem(text) { return fail(problem) }
        // A string has no more characters than UTF-8 bytes: only long ones need counting.
        if let max = field.maxLength, text.utf8.count > max, text.count > max { return fail("longer than \(max) characters (\(text.count))") }
        if field.type == .text || field.type == .phone, text.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) {
            return fail("must be a single line")
        }
        switch field.type {
        case .choice where !field.options.isEmpty:
            if !field.options.contains(where: { $0.value == text }) {
                return fail("'\(text)' is not one of \(field.options.map(\.value).joined(separator: ", "))")
            }
        case .email:
            let parts = text.split(separator: "@", omittingEmptySubsequences: false)
            if parts.count != 2 || parts[0].isEmpty || !parts[1].contains(".") || text.contains(" ") {
                return fail("'\(text)' is not an email address")
            }
        case .url:
            let lower = text.lowercased()
            if !(lower.hasPrefix("http://") || lower.hasPrefix("https://")) || text.contains(" ") {
                return fail("'\(text)' is not a web address (http:// or https://)")
            }
        case .phone:
            // ASCII digits and `+- ()#` only, at least one digit: one pass over the bytes.
            if !text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || Self.phoneSigns.contains($0) }) || !text.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) {
                return fail("'\(text)' is not a phone number")
            }
        default: break
        }
        return .success(text)
    }

    private static func checkRange(_ d: Decimal, _ field: FieldDefinition) -> Result<Void, FieldError> {
        if let lo = field.min, d < lo { return .failure(FieldError(field: field.name, message: "must be at least \(lo.plainString)")) }
        if let hi = field.max, d > hi { return .failure(FieldError(field: field.name, message: "must be at most \(hi.plainString)")) }
        return .success(())
    }
}
