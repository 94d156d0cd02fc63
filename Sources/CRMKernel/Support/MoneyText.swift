import Foundation

/// Money as text, in one place: integer fen (分) to yuan with two decimals and back, exactly
/// (no binary float on the way). Pages, payslips, Lua's `crm.money` and the modules' reports
/// all write amounts through `yuan`, so 1234.50 reads the same everywhere.
public enum MoneyText {
    /// `"12.34"` from 1234 fen, `"-0.05"` from −5.
    public static func yuan(_ fen: Int64) -> String {
        let magnitude = fen.magnitude
        let cents = magnitude % 100
        let text = "\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents)"
        return fen < 0 ? "-" + text : text
    }

    /// `yuan(fen)`, or the empty string when there is no amount.
    public static func yuan(_ fen: Int64?) -> String { fen.map { yuan($0) } ?? "" }

    /// Integer fen from `"12"`, `"-12.3"`, `"12.34"`; nil for anything else or more than two decimals.
    public static func fen(_ text: String) -> Int64? {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        let negative = body.hasPrefix("-")
        if negative || body.hasPrefix("+") { body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let wholeText = parts.first, !wholeText.isEmpty, wholeText.allSatisfy(\.isASCIIDigit) else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.count <= 2, fraction.allSatisfy(\.isASCIIDigit), parts.count == 1 || !fraction.isEmpty else { return nil }
        guard let whole = Int64(wholeText) else { return nil }
        let cents = Int64(fraction.count == 2 ? String(fraction) : fraction.isEmpty ? "0" : String(fraction) + "0") ?? 0
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: 100)
        guard !overflow, scaled <= Int64.max - cents else { return nil }
        return negative ? -(scaled + cents) : scaled + cents
    }

    /// The fen of a money value (`Value.decimal` yuan, an integer of yuan, or decimal text),
    /// rounded half away from zero; nil when empty or not an amount.
    public static func fen(_ value: Value) -> Int64? {
        switch value {
        case .integer(let yuan):
            let (fen, overflow) = yuan.multipliedReportingOverflow(by: 100)
            return overflow ? nil : fen
        case .decimal(let d):
            if let (digits, exponent) = d.integerParts, let fen = fen(digits, exponent: exponent + 2) { return fen }
            var scaled = d * 100, rounded = Decimal()
            NSDecimalRound(&rounded, &scaled, 0, .plain)
            return Int64(rounded.plainString)
        case .text(let t): return fen(t)
        default: return nil
        }
    }

    /// `digits × 10^exponent` rounded to a whole number, half away from zero, without
    /// Foundation's decimal arithmetic (about 10 µs per amount); nil when it overflows.
    static func fen(_ digits: Int64, exponent: Int) -> Int64? {
        if exponent >= 0 {
            var value = digits
            for _ in 0..<exponent {
                let (next, overflow) = value.multipliedReportingOverflow(by: 10)
                if overflow { return nil }
                value = next
            }
            return value
        }
        guard exponent >= -18 else { return 0 }
        var divisor: Int64 = 1
        for _ in 0..<(-exponent) { divisor *= 10 }
        let (quotient, remainder) = digits.magnitude.quotientAndRemainder(dividingBy: divisor.magnitude)
        let rounded = Int64(quotient) + (remainder * 2 >= divisor.magnitude ? 1 : 0)
        return digits < 0 ? -rounded : rounded
    }
}
