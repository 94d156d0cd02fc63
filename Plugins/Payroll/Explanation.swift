import CRMKernel
import Foundation

/// Line-by-line explanations of a payslip (commission lines, contributions, the cumulative
/// withholding) and of a person's commission for a month.
enum Explanation {
    /// A person's commission: the rule used and each line with how it was computed.
    static func commission(_ r: CommissionResult, month: String) -> [String] {
        guard let rule = r.rule else { return ["\(month)：没有适用的提成方案（commission_rule），提成为 0"] }
        var out = ["\(month) 适用提成方案：\(rule["name"].description) v\(rule["plan_version"].integerValue ?? 1)（计算方案 \(r.plan ?? "")，自 \(rule["effective_from"].description) 起）"]
        for l in r.lines { out.append("\(l.label)：\(MoneyText.yuan(l.amount)) 元 — \(l.explain)") }
        out.append("提成工资合计：\(MoneyText.yuan(r.total)) 元")
        return out
    }

    /// A payslip: every non-zero item, the commission lines, and the tax computation.
    static func payslip(_ slip: Record, table: TaxTable) -> [String] {
        let f = { (name: String) in Fen.of(slip[name]) }
        var out = ["工资条 \(slip.id)（\(slip["period"].description)，\(slip["kind"].description)）"]
        for (name, zh, _) in PayrollEntities.payslipMoney.prefix(11) where f(name) != 0 { out.append("\(zh)：\(MoneyText.yuan(f(name))) 元") }
        if let data = slip["commission_lines"].textValue?.data(using: .utf8),
           let lines = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] {
            for l in lines { out.append("  提成明细 \(l["label"] ?? "")：\(MoneyText.yuan((l["amount"] as? NSNumber)?.int64Value ?? 0)) 元 — \(l["explain"] ?? "")") }
        }
        out.append("应发 = 基本工资 + 提成工资 + 津贴补贴 + 奖金 − 扣款 = \(MoneyText.yuan(f("gross"))) 元")
        let months = slip["tax_months"].integerValue ?? 1, taxable = f("ytd_taxable")
        out.append("累计收入 \(MoneyText.yuan(f("ytd_income"))) − 累计减除费用 \(MoneyText.yuan(table.monthlyThreshold * months))（5,000 × \(months) 个月）"
                   + " − 累计专项扣除及专项附加扣除 \(MoneyText.yuan(f("ytd_deductions") - table.monthlyThreshold * months)) = 累计应纳税所得额 \(MoneyText.yuan(taxable)) 元")
        if let b = table.bracket(for: taxable) {
            out.append("累计应纳税额 = \(MoneyText.yuan(taxable)) × \(b.rate)% − 速算扣除数 \(MoneyText.yuan(b.quick)) = \(MoneyText.yuan(f("ytd_tax"))) 元")
        }
        out.append("本月应预扣个税 = \(MoneyText.yuan(f("ytd_tax"))) − 已预扣 \(MoneyText.yuan(f("tax_withheld_before"))) = \(MoneyText.yuan(f("tax"))) 元")
        out.append("实发 = 应发 − 社保(个人) − 公积金(个人) − 个税 = \(MoneyText.yuan(f("net"))) 元")
        return out
    }
}
