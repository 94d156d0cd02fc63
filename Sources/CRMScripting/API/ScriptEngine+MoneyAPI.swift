import CRMKernel
import Foundation

extension ScriptEngine {
    /// `crm.money.fen(amount)` and `crm.money.yuan(fen)`: money arithmetic in integer fen.
    ///
    /// Money fields reach Lua as integers (whole yuan) or exact decimal strings (`"12.34"`), so a
    /// script converts them to integer fen, computes with integers, and hands back either fen
    /// through `crm.money.yuan` or the decimal string directly. A Lua float is refused by `fen`:
    /// it may already have lost a fen.
    func registerMoneyFunctions() throws(LuaError) {
        try state.register("crm.money.fen") { args in
            let value = try args.value(0)
            switch value {
            case .integer(let yuan):
                let (fen, overflow) = yuan.multipliedReportingOverflow(by: 100)
                guard !overflow else { throw LuaError.script("crm.money.fen: \(yuan) is too large") }
                return [.integer(fen)]
            case .string(let text):
                guard let fen = MoneyText.fen(text) else {
                    throw LuaError.script("crm.money.fen: '\(text)' is not an amount with at most two decimals")
                }
                return [.integer(fen)]
            case .nil: return [.nil]
            default:
                throw LuaError.script("crm.money.fen: expected an integer or a decimal string, got \(value.typeName) (floats are refused: they lose fen)")
            }
        }
        try state.register("crm.money.yuan") { args in
            let value = try args.value(0)
            guard case .integer(let fen) = value else {
                throw LuaError.script("crm.money.yuan: expected integer fen, got \(value.typeName)")
            }
            return [.string(MoneyText.yuan(fen))]
        }
    }
}

/// Exact conversions between decimal amount text and integer fen.
enum MoneyText {
    /// Integer fen from `"12"`, `"-12.3"`, `"12.34"`; nil for anything else or more than two decimals.
    static func fen(_ text: String) -> Int64? {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        let negative = body.hasPrefix("-")
        if negative || body.hasPrefix("+") { body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let wholeText = parts.first, !wholeText.isEmpty, wholeText.allSatisfy(\.isASCIIDigit) else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.count <= 2, fraction.allSatisfy(\.isASCIIDigit), parts.count == 1 || !fraction.isEmpty else { return nil }
        guard let whole = Int64(wholeText) else { return nil }
        let cents = Int64(fraction.padding(toLength: 2, withPad: "0", startingAt: 0)) ?? 0
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: 100)
        guard !overflow, scaled <= Int64.max - cents else { return nil }
        return negative ? -(scaled + cents) : scaled + cents
    }

    /// `"12.34"` from 1234 fen, `"-0.05"` from −5.
    static func yuan(_ fen: Int64) -> String {
        let magnitude = fen.magnitude
        let text = "\(magnitude / 100).\(String(magnitude % 100).leftPadded(to: 2))"
        return fen < 0 ? "-" + text : text
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
