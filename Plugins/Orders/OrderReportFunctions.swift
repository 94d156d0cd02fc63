import CRMKernel
import Foundation

/// `crm.orders.*` reports: orders by month/rep/team/customer, sales by product, waiting for
/// approval, contracts ending soon. Margins are absent for a caller who may not see them.
enum OrderReportFunctions {
    typealias A = ScriptArguments

    static var all: [ScriptFunction] {
        [
            ScriptFunction("report", summary: "crm.orders.report{by = \"month\"|\"rep\"|\"team\"|\"customer\", from, to} → {{key, count, total, margin?, received}, ...} (fen)",
                           effect: .read, access: .read("order")) { call in
                let byText = A.text(call[0], "by") ?? "month"
                guard let by = OrderReports.Grouping(rawValue: byText) else {
                    throw KernelError.invalid("order", field: "by", "expects one of \(OrderReports.Grouping.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                let rows = try call.read { try OrderReports.orders($0, by: by, from: A.text(call[0], "from"), to: A.text(call[0], "to")) }
                return .list(rows.map { r in
                    var t: [String: Value] = ["key": r.key, "count": .integer(r.count), "total": .integer(r.totalFen), "received": .integer(r.receivedFen)]
                    if let m = r.marginFen { t["margin"] = .integer(m) }
                    return A.table(t)
                })
            },
            ScriptFunction("sales_by_product", summary: "crm.orders.sales_by_product{from, to, by = \"product\"|\"category\"|\"rep\"} → {{key, quantity, amount, margin?, lines}, ...} (fen)",
                           effect: .read, access: .read("order_line")) { call in
                let byText = A.text(call[0], "by") ?? "product"
                guard let by = SalesByProduct.Grouping(rawValue: byText) else {
                    throw KernelError.invalid("order_line", field: "by", "expects one of \(SalesByProduct.Grouping.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                guard let from = A.text(call[0], "from"), let to = A.text(call[0], "to") else {
                    throw KernelError.invalid("order_line", field: "from", "crm.orders.sales_by_product needs from and to (YYYY-MM-DD)")
                }
                let rows = try call.read { try SalesByProduct.run($0, by: by, from: from, to: to) }
                return .list(rows.map { r in
                    var t: [String: Value] = ["key": r.key, "quantity": .decimal(r.quantity), "amount": .integer(r.amountFen), "lines": .integer(r.lines)]
                    if let m = r.marginFen { t["margin"] = .integer(m) }
                    return A.table(t)
                })
            },
            ScriptFunction("pending", summary: "crm.orders.pending() → the orders waiting for approval (审批中), oldest first",
                           effect: .read, access: .read("order")) { call in
                .list(try call.read { try OrderReports.waitingForApproval($0) }.map(ScriptValue.record))
            },
            ScriptFunction("ending", summary: "crm.orders.ending{days = 30} → approved or executing contracts ending within N days",
                           effect: .read, access: .read("order")) { call in
                let days = call[0].fields?["days"]?.integer ?? 30
                guard days >= 0, days <= 3660 else { throw KernelError.invalid("order", field: "days", "expects 0…3660 days") }
                return .list(try call.read { reader in
                    try OrderReports.endingWithin(reader, days: Int(days), today: try ContractReminders.today(reader, Date()))
                }.map(ScriptValue.record))
            },
        ]
    }
}
