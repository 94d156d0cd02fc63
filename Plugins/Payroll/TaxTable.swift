import CRMKernel
import Foundation

/// 个税 by the cumulative withholding method (累计预扣法), with the table from the pack
/// (`crm.payroll.tax{...}`): for month m of a year,
/// 累计应纳税所得额 = 累计收入 − 5,000 × 累计月数 − 累计专项扣除(社保公积金) − 累计专项附加扣除,
/// 累计应纳税额 = 累计应纳税所得额 × 预扣率 − 速算扣除数 (rounded to the fen, half up),
/// 本月预扣 = 累计应纳税额 − 已预扣税额 (never below 0). All amounts in fen.
struct TaxTable: Sendable, Hashable {
    /// One bracket of the annual table: cumulative taxable income above `over` up to `upto`
    /// (nil: no limit) at `rate` percent, less `quick` (速算扣除数).
    struct Bracket: Sendable, Hashable {
        var over: Int64
        var upto: Int64?
        var rate: Int64
        var quick: Int64
    }

    /// 基本减除费用 per month (5,000 yuan).
    var monthlyThreshold: Int64
    /// The brackets, lowest first.
    var brackets: [Bracket]

    /// The setting key.
    static let settingKey = "payroll.tax"

    /// The law since 2019 (3 % … 45 %); the stock pack declares the same table.
    static let standard = TaxTable(monthlyThreshold: 500_000, brackets: [
        Bracket(over: 0, upto: 3_600_000, rate: 3, quick: 0),
        Bracket(over: 3_600_000, upto: 14_400_000, rate: 10, quick: 252_000),
        Bracket(over: 14_400_000, upto: 30_000_000, rate: 20, quick: 1_692_000),
        Bracket(over: 30_000_000, upto: 42_000_000, rate: 25, quick: 3_192_000),
        Bracket(over: 42_000_000, upto: 66_000_000, rate: 30, quick: 5_292_000),
        Bracket(over: 66_000_000, upto: 96_000_000, rate: 35, quick: 8_592_000),
        Bracket(over: 96_000_000, upto: nil, rate: 45, quick: 18_192_000),
    ])

    /// The table in force.
    static func current(_ schema: Schema) -> TaxTable { schema.setting(settingKey, as: TaxTable.self) ?? .standard }

    /// The 累计应纳税额 for a cumulative taxable income (fen).
    func cumulativeTax(_ taxable: Int64) -> Int64 {
        guard taxable > 0, let bracket = brackets.last(where: { taxable > $0.over }) ?? brackets.first else { return 0 }
        return max(0, Fen.share(taxable, bracket.rate, 100) - bracket.quick)
    }

    /// The bracket a cumulative taxable income falls in.
    func bracket(for taxable: Int64) -> Bracket? { brackets.last(where: { taxable > $0.over }) ?? brackets.first }

    /// Parses `{monthly_threshold = 500000, brackets = {{over = 0, upto = 3600000, rate = 3, quick = 0}, ...}}`
    /// (fen; rates in whole percent). Brackets must follow each other without overlap or gap from
    /// 0, the last without `upto`, and each quick deduction must be the one the rates imply.
    static func parse(_ value: ScriptValue) throws -> TaxTable {
        guard let fields = value.fields else { throw bad("expects a table {monthly_threshold = ..., brackets = {...}}") }
        guard let threshold = fields["monthly_threshold"]?.integer, threshold >= 0 else {
            throw bad("monthly_threshold: expects the monthly basic deduction in fen (500000)")
        }
        guard case .list(let items)? = fields["brackets"], !items.isEmpty else { throw bad("brackets: expects a list of brackets") }
        var brackets: [Bracket] = []
        for (i, item) in items.enumerated() {
            let n = i + 1
            guard let b = item.fields, let over = b["over"]?.integer ?? (i == 0 ? 0 : nil), let rate = b["rate"]?.integer,
                  let quick = b["quick"]?.integer else {
                throw bad("brackets[\(n)]: expects {over = fen, upto = fen, rate = percent, quick = fen}")
            }
            let upto = b["upto"]?.integer
            guard (0...100).contains(rate), quick >= 0 else { throw bad("brackets[\(n)]: rate must be 0…100 and quick 0 or more") }
            if let upto, upto <= over { throw bad("brackets[\(n)]: upto \(upto) is not above over \(over)") }
            if let previous = brackets.last {
                guard let end = previous.upto else { throw bad("brackets[\(n)]: follows a bracket without upto (brackets overlap)") }
                if over < end { throw bad("brackets[\(n)]: starts at \(over), inside brackets[\(i)] which ends at \(end) (brackets overlap)") }
                if over > end { throw bad("brackets[\(n)]: starts at \(over) but brackets[\(i)] ends at \(end) (a gap)") }
                guard rate >= previous.rate else { throw bad("brackets[\(n)]: rate \(rate)% is below the previous bracket's \(previous.rate)%") }
                let implied = previous.quick + Fen.share(over, rate - previous.rate, 100)
                guard quick == implied else { throw bad("brackets[\(n)]: quick deduction \(quick) does not match the rates (expected \(implied))") }
            } else if over != 0 || quick != 0 {
                throw bad("brackets[1]: must start at 0 with quick 0")
            }
            brackets.append(Bracket(over: over, upto: upto, rate: rate, quick: quick))
        }
        guard brackets.last?.upto == nil else { throw bad("brackets[\(brackets.count)]: the last bracket has no upto") }
        return TaxTable(monthlyThreshold: threshold, brackets: brackets)
    }

    /// The setting's script value for `table` (the form `parse` reads).
    var scriptValue: ScriptValue {
        .table(["monthly_threshold": .value(.integer(monthlyThreshold)), "brackets": .list(brackets.map { b in
            var t: [String: ScriptValue] = ["over": .value(.integer(b.over)), "rate": .value(.integer(b.rate)), "quick": .value(.integer(b.quick))]
            if let upto = b.upto { t["upto"] = .value(.integer(upto)) }
            return .table(t)
        })])
    }

    private static func bad(_ message: String) -> KernelError { KernelError(.validation, "crm.payroll.tax: \(message)") }
}

/// The cumulative figures of one employee for one month's withholding.
struct Withholding: Sendable, Hashable {
    var months: Int64
    var income: Int64
    var deductions: Int64
    var taxable: Int64
    var taxDue: Int64
    var withheldBefore: Int64
    var tax: Int64

    /// Computes the month's withholding from the year's totals including this month.
    init(table: TaxTable, months: Int64, income: Int64, insurance: Int64, special: Int64, withheldBefore: Int64) {
        self.months = months
        self.income = income
        deductions = table.monthlyThreshold * months + insurance + special
        taxable = max(0, income - deductions)
        taxDue = table.cumulativeTax(taxable)
        self.withheldBefore = withheldBefore
        tax = max(0, taxDue - withheldBefore)
    }
}
