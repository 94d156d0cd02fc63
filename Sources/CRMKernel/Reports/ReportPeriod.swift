import Foundation

/// Day ranges of the periods reports take: `2026-11`, `2026-Q4`, `2026`, `2026-11-05`,
/// `2026-01-01..2026-03-31`, and the relative `this_month`, `last_month`, `this_quarter`,
/// `last_quarter`, `this_year`, `last_year` (from today in the workspace time zone).
public enum ReportPeriod {
    /// First and last day (inclusive, `YYYY-MM-DD`) of `text`, or nil when it is not a period.
    public static func range(_ text: String, today: String) -> (from: String, to: String)? {
        if let split = text.range(of: "..") {
            guard let a = range(String(text[..<split.lowerBound]), today: today),
                  let b = range(String(text[split.upperBound...]), today: today), a.from <= b.to else { return nil }
            return (a.from, b.to)
        }
        let now = today.split(separator: "-").compactMap { Int($0) }
        if now.count == 3, let relative = relative(text, year: now[0], month: now[1]) { return relative }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard let year = Int(parts[0]), parts[0].count == 4, (1900...9999).contains(year) else { return nil }
        switch parts.count {
        case 1: return (day(year, 1, 1), day(year, 12, 31))
        case 2 where parts[1].hasPrefix("Q"):
            guard let q = Int(parts[1].dropFirst()), (1...4).contains(q) else { return nil }
            return quarter(year, q)
        case 2:
            guard let m = Int(parts[1]), (1...12).contains(m) else { return nil }
            return (day(year, m, 1), day(year, m, lastDay(year, m)))
        case 3:
            guard let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m), d >= 1, d <= lastDay(year, m) else { return nil }
            return (day(year, m, d), day(year, m, d))
        default: return nil
        }
    }

    private static func relative(_ text: String, year: Int, month: Int) -> (from: String, to: String)? {
        switch text {
        case "this_month": return (day(year, month, 1), day(year, month, lastDay(year, month)))
        case "last_month":
            let (y, m) = month == 1 ? (year - 1, 12) : (year, month - 1)
            return (day(y, m, 1), day(y, m, lastDay(y, m)))
        case "this_quarter": return quarter(year, (month + 2) / 3)
        case "last_quarter":
            let q = (month + 2) / 3
            return q == 1 ? quarter(year - 1, 4) : quarter(year, q - 1)
        case "this_year": return (day(year, 1, 1), day(year, 12, 31))
        case "last_year": return (day(year - 1, 1, 1), day(year - 1, 12, 31))
        default: return nil
        }
    }

    private static func quarter(_ year: Int, _ q: Int) -> (from: String, to: String) {
        (day(year, q * 3 - 2, 1), day(year, q * 3, lastDay(year, q * 3)))
    }

    private static func day(_ y: Int, _ m: Int, _ d: Int) -> String { String(format: "%04d-%02d-%02d", y, m, d) }

    /// The number of days of month `m` of `year`.
    static func lastDay(_ year: Int, _ m: Int) -> Int {
        switch m {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
