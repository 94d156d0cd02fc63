import CRMKernel
import Foundation

/// Money in whole fen (分) for the module: `.money` field values are yuan decimals, every sum and
/// rate here is an integer number of fen, and rounding is half away from zero as accountants do.
enum Fen {
    /// The fen of a money value (yuan decimal or integer), 0 when empty.
    static func of(_ value: Value?) -> Int64 {
        guard let d = value?.decimalValue else { return 0 }
        var scaled = d * 100, rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        return Int64(rounded.plainString) ?? 0
    }

    /// The value to store in a `.money` field for `fen`.
    static func value(_ fen: Int64) -> Value { .decimal(Decimal(fen) / 100) }

    /// `value × numerator / denominator` rounded half away from zero, in integers only.
    static func share(_ value: Int64, _ numerator: Int64, _ denominator: Int64) -> Int64 {
        guard denominator != 0 else { return 0 }
        let product = value.multipliedReportingOverflow(by: numerator)
        let p = product.overflow ? Int64.max : product.partialValue
        let q = p / denominator, r = p % denominator
        if abs(r) * 2 >= abs(denominator) { return q + ((p < 0) != (denominator < 0) ? -1 : 1) }
        return q
    }
}

/// Periods of the module: months `2026-11`, quarters `2026-Q4`, years `2026`, and days.
enum PayPeriod {
    /// Checks `text` is a month `YYYY-MM`; throws a validation error naming `field`.
    static func month(_ text: String?, field: String = "period") throws -> String {
        guard let text, text.count == 7, let y = Int(text.prefix(4)), y >= 2000, y <= 2200, text.dropFirst(4).first == "-",
              let m = Int(text.suffix(2)), (1...12).contains(m) else {
            throw KernelError.invalid("payroll_run", field: field, "expects a month YYYY-MM (2026-11), got '\(text ?? "")'")
        }
        return text
    }

    /// The month before `month`.
    static func previous(_ month: String) -> String {
        let y = Int(month.prefix(4)) ?? 2000, m = Int(month.suffix(2)) ?? 1
        return m == 1 ? String(format: "%04d-12", y - 1) : String(format: "%04d-%02d", y, m - 1)
    }

    /// The month after `month`.
    static func next(_ month: String) -> String {
        let y = Int(month.prefix(4)) ?? 2000, m = Int(month.suffix(2)) ?? 1
        return m == 12 ? String(format: "%04d-01", y + 1) : String(format: "%04d-%02d", y, m + 1)
    }

    /// The months a target period covers (`2026-Q4` → three months, `2026` → twelve).
    static func months(of period: String) -> [String] {
        if period.count == 4, let y = Int(period) { return (1...12).map { String(format: "%04d-%02d", y, $0) } }
        if period.contains("-Q"), let q = Int(period.suffix(1)), let y = Int(period.prefix(4)) {
            return (1...3).map { String(format: "%04d-%02d", y, q * 3 - 3 + $0) }
        }
        return [period]
    }

    /// The day (`YYYY-MM-DD`) of `date` in the workspace's time zone (Asia/Shanghai by default).
    static func day(_ date: Date, _ reader: RecordReader) throws -> String {
        let zone = TimeZone(identifier: try reader.setting("time_zone") ?? "Asia/Shanghai") ?? TimeZone(identifier: "Asia/Shanghai")!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    /// The first instant of `month` in China Standard Time (UTC+8).
    static func start(of month: String) -> Date {
        var c = DateComponents()
        c.year = Int(month.prefix(4)); c.month = Int(month.suffix(2)); c.day = 1
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
        return calendar.date(from: c) ?? Date(timeIntervalSince1970: 0)
    }

    /// Checks `text` is a day `YYYY-MM-DD`.
    static func isDay(_ text: String) -> Bool {
        let parts = text.split(separator: "-")
        return text.count == 10 && parts.count == 3 && parts.allSatisfy { $0.allSatisfy(\.isNumber) }
            && (1...12).contains(Int(parts[1]) ?? 0) && (1...31).contains(Int(parts[2]) ?? 0)
    }
}
