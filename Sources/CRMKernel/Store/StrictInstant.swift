import Foundation

/// Reads date-times strictly: `YYYY-MM-DDTHH:MM:SS` followed by `Z` or an offset `±HH:MM`, with
/// every part in range (no February 30th, no hour 24 or 25, no second 60): nothing rolls over
/// into the next day or minute. Fractional seconds are accepted only when they are zero
/// (`.000`), because date-times are stored to the second: a non-zero fraction is refused rather
/// than cut off silently. Years from `DateCoding.minYear` to 9999.
enum StrictInstant {
    /// Why a text is not a date-time.
    struct Problem: Error {
        /// The field error message.
        var message: String
    }

    /// The instant `text` names, or the problem.
    static func parse(_ text: String, minYear: Int = DateCoding.minYear) -> Result<Date, Problem> {
        let b = Array(text.utf8)
        func fail(_ why: String) -> Result<Date, Problem> {
            .failure(Problem(message: "'\(text)' is not a date-time: \(why) (ISO 8601, e.g. 2026-11-22T08:30:00Z)"))
        }
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var n = 0
            for i in from..<(from + count) {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                n = n * 10 + Int(b[i] - 0x30)
            }
            return n
        }
        func at(_ i: Int, _ c: Character) -> Bool { i < b.count && b[i] == c.asciiValue! }
        guard let year = number(0, 4), at(4, "-"), let month = number(5, 2), at(7, "-"), let day = number(8, 2),
              at(10, "T") || at(10, "t") || at(10, " "),
              let hour = number(11, 2), at(13, ":"), let minute = number(14, 2), at(16, ":"), let second = number(17, 2) else {
            return fail("expected YYYY-MM-DDTHH:MM:SS and a time zone")
        }
        guard year >= minYear else { return fail("the year is before \(minYear)") }
        guard DateCoding.isValidDate(String(decoding: b[0..<10], as: UTF8.self)) else { return fail("there is no such day") }
        guard hour < 24 else { return fail("the hour must be 00 to 23") }
        guard minute < 60 else { return fail("the minute must be 00 to 59") }
        guard second < 60 else { return fail("the second must be 00 to 59") }
        var i = 19
        if at(i, ".") || at(i, ",") {
            i += 1
            let start = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                if b[i] != 0x30 { return fail("fractional seconds are not kept (date-times are stored to the second); send whole seconds") }
                i += 1
            }
            guard i > start else { return fail("expected digits after the decimal point") }
        }
        var offset = 0
        if at(i, "Z") || at(i, "z") {
            i += 1
        } else if at(i, "+") || at(i, "-") {
            let sign = at(i, "-") ? -1 : 1
            guard let oh = number(i + 1, 2) else { return fail("expected a time zone offset ±HH:MM") }
            var om = 0
            if at(i + 3, ":") {
                guard let m = number(i + 4, 2) else { return fail("expected a time zone offset ±HH:MM") }
                om = m; i += 6
            } else if let m = number(i + 3, 2) {
                om = m; i += 5
            } else {
                i += 3
            }
            guard oh <= 14, om < 60 else { return fail("the time zone offset is out of range") }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return fail("a time zone (Z or ±HH:MM) is required")
        }
        guard i == b.count else { return fail("unexpected text after the time zone") }
        let days = daysFromCivil(year, month, day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
        return .success(Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

extension DateCoding {
    /// The earliest year a date or date-time field accepts (0000-01-01 and similar placeholders
    /// are refused).
    public static let minYear = 1900
}
