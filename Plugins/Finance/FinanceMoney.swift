import CRMKernel
import CRMOrders
import Foundation

/// Money in the finance module: integer fen in every computation. A `.money` field holds an
/// exact decimal of yuan; it is read as fen here and written back from fen, never through a
/// binary float.
enum FinanceMoney {
    /// The fen of a money value (a decimal, an integer of yuan, or decimal text); 0 when empty.
    static func fen(_ value: Value) -> Int64 {
        switch value {
        case .decimal(let d): return OrderMath.fen(d)
        case .integer(let i): return i * 100
        case .text(let t):
            guard let d = Decimal(string: t.trimmingCharacters(in: .whitespaces), locale: Locale(identifier: "en_US_POSIX")) else { return 0 }
            return OrderMath.fen(d)
        default: return 0
        }
    }

    /// The money value of `fen` (exact decimal yuan).
    static func value(_ fen: Int64) -> Value { .decimal(Decimal(fen) / 100) }

    /// A share of `part` in `whole` as a percentage text with two decimals (`"33.33"`), rounded
    /// half up in integer arithmetic; `"0.00"` when `whole` is not positive.
    static func percent(_ part: Int64, of whole: Int64) -> String {
        guard whole > 0 else { return "0.00" }
        let basis = (part * 20000 / whole + (part >= 0 ? 1 : -1)) / 2  // hundredths of a percent, half away from zero
        return MoneyText.yuan(basis)
    }
}

/// Dates as the kernel stores them (`YYYY-MM-DD`, compared as text) and their arithmetic.
enum FinanceDates {
    private static var calendar: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC") ?? .current
        return c
    }

    /// Parses `YYYY-MM-DD`; nil when malformed.
    static func parse(_ text: String) -> Date? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        let date = calendar.date(from: DateComponents(year: y, month: m, day: d))
        guard let date, format(date) == String(format: "%04d-%02d-%02d", y, m, d) else { return nil }
        return date
    }

    /// `YYYY-MM-DD` of a date.
    static func format(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    /// `day` moved by `months` months and `days` days (month ends clamp: 01-31 + 1 month → 02-28).
    static func adding(months: Int, days: Int, to day: String) -> String? {
        guard let date = parse(day),
              let moved = calendar.date(byAdding: DateComponents(month: months), to: date),
              let result = calendar.date(byAdding: .day, value: days, to: moved) else { return nil }
        return format(result)
    }

    /// Whole days from `from` to `to` (negative when `to` is earlier).
    static func days(from: String, to: String) -> Int? {
        guard let a = parse(from), let b = parse(to) else { return nil }
        return calendar.dateComponents([.day], from: a, to: b).day
    }

    /// A validated date argument, or a field error naming `field`.
    static func require(_ text: String?, field: String, entity: String) throws -> String {
        guard let text, parse(text) != nil else {
            throw KernelError.invalid(entity, field: field, "日期格式应为 YYYY-MM-DD (expects a date YYYY-MM-DD, got \(text ?? "nothing"))")
        }
        return text
    }
}
