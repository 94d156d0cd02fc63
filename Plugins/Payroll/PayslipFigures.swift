import CRMKernel
import Foundation

/// One employee's figures for one month (or, in a correction run, the differences to what was
/// paid), in fen, with the commission lines and the withholding that produced them.
struct PayslipFigures: Sendable, Hashable {
    var user: Int64
    var team: Int64?
    var baseSalary: Int64 = 0
    var commission: Int64 = 0
    var allowance: Int64 = 0
    var bonus: Int64 = 0
    var deduction: Int64 = 0
    var insuranceEmployee: Int64 = 0
    var fundEmployee: Int64 = 0
    var insuranceEmployer: Int64 = 0
    var fundEmployer: Int64 = 0
    var specialDeduction: Int64 = 0
    var lines: [CommissionLine] = []
    var withholding: Withholding?

    /// 应发: base + commission + allowances + bonus − deductions.
    var gross: Int64 { baseSalary + commission + allowance + bonus - deduction }
    /// 个税 withheld this time.
    var tax: Int64 { withholding?.tax ?? 0 }
    /// 实发: gross − the employee's contributions − tax.
    var net: Int64 { gross - insuranceEmployee - fundEmployee - tax }
    /// What the company pays in all.
    var employerCost: Int64 { gross + insuranceEmployer + fundEmployer }

    /// The money columns as stored on the payslip.
    var moneyColumns: [String: Int64] {
        var out: [String: Int64] = [
            "base_salary": baseSalary, "commission": commission, "allowance": allowance, "bonus": bonus, "deduction": deduction,
            "gross": gross, "insurance_employee": insuranceEmployee, "fund_employee": fundEmployee, "special_deduction": specialDeduction,
            "tax": tax, "net": net, "insurance_employer": insuranceEmployer, "fund_employer": fundEmployer,
        ]
        if let w = withholding {
            out["ytd_income"] = w.income; out["ytd_deductions"] = w.deductions; out["ytd_taxable"] = w.taxable
            out["ytd_tax"] = w.taxDue; out["tax_withheld_before"] = w.withheldBefore
        }
        return out
    }

    /// Whether every figure is zero (a correction run leaves such employees out).
    var isZero: Bool { moneyColumns.filter { !$0.key.hasPrefix("ytd_") && $0.key != "tax_withheld_before" }.values.allSatisfy { $0 == 0 } }

    /// The figures less what an earlier payslip of the same month holds (for 补发/补扣).
    func minus(_ paid: Record) -> PayslipFigures {
        var d = self
        d.baseSalary -= Fen.of(paid["base_salary"]); d.commission -= Fen.of(paid["commission"]); d.allowance -= Fen.of(paid["allowance"])
        d.bonus -= Fen.of(paid["bonus"]); d.deduction -= Fen.of(paid["deduction"])
        d.insuranceEmployee -= Fen.of(paid["insurance_employee"]); d.fundEmployee -= Fen.of(paid["fund_employee"])
        d.insuranceEmployer -= Fen.of(paid["insurance_employer"]); d.fundEmployer -= Fen.of(paid["fund_employer"])
        d.specialDeduction -= Fen.of(paid["special_deduction"])
        return d
    }

    /// The commission lines as JSON text (kept on the payslip for `explain`).
    var linesJSON: String {
        let objects = lines.map { l -> [String: Any] in
            var o: [String: Any] = ["label": l.label, "amount": l.amount, "explain": l.explain]
            if let c = l.clawback { o["clawback"] = c }
            return o
        }
        let data = (try? JSONSerialization.data(withJSONObject: objects, options: [.sortedKeys])) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// The figures for Lua and the API (fen).
    var scriptValue: ScriptValue {
        var t = moneyColumns.mapValues { ScriptValue.value(.integer($0)) }
        t["user"] = .value(.integer(user))
        t["commission_lines"] = .list(lines.map(\.scriptValue))
        if let w = withholding { t["tax_months"] = .value(.integer(w.months)) }
        return .table(t)
    }

    /// The values of a payslip record for these figures.
    func payslipValues(run: Int64, period: String, kind: String) -> [String: Value] {
        var v: [String: Value] = ["run": .integer(run), "user": .integer(user), "owner": .integer(user), "period": .text(period),
                                  "kind": .text(kind), "team": team.map(Value.integer) ?? .null, "commission_lines": .text(linesJSON),
                                  "locked": .bool(false), "read": .bool(false)]
        for (k, fen) in moneyColumns { v[k] = Fen.value(fen) }
        if let w = withholding { v["tax_months"] = .integer(w.months) }
        return v
    }
}
