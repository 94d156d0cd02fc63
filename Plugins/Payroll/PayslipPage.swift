import CRMKernel
import Foundation

/// The payslip page (`/payroll/payslips/:id`, template `Pages/payslip.mustache`): the month's
/// earnings to 应发工资, the employee's social insurance, housing fund and 个人所得税 to
/// 实发工资, the commission lines that made the 提成, the cumulative withholding figures and
/// what the company pays on top. Read as the user, so an employee opens only their own payslips
/// (another's is not found) and a field hidden from the role is left out.
enum PayslipPage {
    static var view: PageView { PageView(template: PageTemplate("payslip", target: "CRMPayroll"), data: data) }

    /// The figures in each part of the payslip, in order.
    static let earnings = ["base_salary", "commission", "allowance", "bonus", "deduction"]
    static let withheld = ["insurance_employee", "fund_employee", "tax"]
    static let employer = ["insurance_employer", "fund_employer"]
    static let cumulative = ["ytd_income", "ytd_deductions", "special_deduction", "ytd_taxable", "ytd_tax", "tax_withheld_before"]

    @Sendable static func data(_ r: PageRequest) throws -> PageData {
        let slip = try r.record("payslip")
        let labels = Dictionary(uniqueKeysWithValues: PayrollEntities.payslipMoney.map { ($0.0, LocalizedText($0.1, en: $0.2)) })
        func rows(_ names: [String]) -> PageData {
            .list(names.filter { slip.values[$0] != nil && ($0 == "tax" || Fen.of(slip[$0]) != 0) }.map { name in
                ["name": .text(name), "label": .text(r.text(labels[name] ?? LocalizedText(name))), "amount": .money(Fen.of(slip[name]))]
            })
        }
        func total(_ name: String) -> PageData? {
            slip.values[name] == nil ? nil : ["label": .text(r.text(labels[name] ?? LocalizedText(name))), "amount": .money(Fen.of(slip[name]))]
        }
        var employee = ""
        if let user = slip["user"].integerValue, let record = try r.store.read({ try $0.get("user", user) }) {
            employee = (record["display_name"].isEmpty ? record["name"] : record["display_name"]).description
        }
        var data: [String: PageData] = [
            "employee": .text(employee), "period": .text(slip["period"].description), "kind": .text(slip["kind"].textValue ?? ""),
            "earnings": rows(earnings), "withheld": rows(withheld), "employer": rows(employer), "cumulative": rows(cumulative),
            "lines": .list(commissionLines(slip["commission_lines"].textValue)),
            "text": [
                "employee": .text(r.text("员工", "Employee")), "period": .text(r.text("月份", "Month")), "kind": .text(r.text("类型", "Kind")),
                "earnings": .text(r.text("应发项目", "Earnings")), "withheld": .text(r.text("代扣代缴", "Withheld")),
                "lines": .text(r.text("提成明细", "Commission lines")), "employer": .text(r.text("公司承担", "Paid by the company")),
                "cumulative": .text(r.text("个税累计预扣", "Income tax, cumulative withholding")), "amount": .text(r.text("金额（元）", "Amount (yuan)")),
            ],
        ]
        data["has_lines"] = .bool(data["lines"]?.list?.isEmpty == false)
        data["gross"] = total("gross")
        data["net"] = total("net")
        return .object(data)
    }

    /// The commission lines kept on the payslip (JSON `[{label, amount (fen), explain}]`).
    static func commissionLines(_ json: String?) -> [PageData] {
        guard let json, let list = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] else { return [] }
        return list.map { line in
            let amount = (line["amount"] as? NSNumber)?.int64Value ?? 0
            return ["label": .text(line["label"] as? String ?? ""), "amount": .money(amount), "explain": .text(line["explain"] as? String ?? "")]
        }
    }
}
