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
