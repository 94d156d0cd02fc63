import CRMKernel
import CRMOrders

/// `crm.finance.*`: plans and receipts (`PaymentFunctions`), invoices, expenses, fund accounts
/// and reports. Documented in the module's README and docs/lua-api.md.
enum FinanceScriptFunctions {
    typealias A = FinanceArguments

    static var all: [ScriptFunction] { PaymentFunctions.all + documents + ReportFunctions.all }

    /// Order statuses whose totals count as ordered (approved, executing, completed).
    static func countedOrderStatuses(_ schema: Schema) -> [String] {
        let settings = OrderSettings.current(schema)
        return ["approved", "executing", "completed"].map(settings.status)
    }

    static var documents: [ScriptFunction] {
        [
            ScriptFunction("request_invoice", summary: "crm.finance.request_invoice{customer, order?, type, amount|amount_fen, tax_rate, title?, tax_no?, ..., submit? = true} → the request (title profile from the customer's saved one when omitted)",
                           effect: .write, access: .create("invoice")) { call in
                var values = try A.values(call[0], "request_invoice", "invoice")
                let submit = values.removeValue(forKey: "submit") != .bool(false)
                return .record(try call.write { tx in
                    let invoice = try tx.create("invoice", values)
                    guard submit else { return invoice }
                    _ = try Approvals.submit("invoice", invoice.id, in: tx)
                    return try PaymentFunctions.require(tx.reader.get("invoice", invoice.id), "invoice", invoice.id)
                })
            },
            ScriptFunction("issue_invoice", summary: "crm.finance.issue_invoice(id, {invoice_no, date?}) → the invoice 已开票, locked (财务; publishes invoice.issued)",
                           effect: .write, access: .update("invoice", recordArguments: [0])) { call in
                let id = try A.id(call, 0, "issue_invoice", "an invoice")
                let day = try A.day(call, call[1], "date", entity: "invoice")
                return .record(try call.write { try InvoiceActions.issue($0, id, invoiceNo: A.text(call[1], "invoice_no") ?? "", date: day) })
            },
            ScriptFunction("reverse_invoice", summary: "crm.finance.reverse_invoice(id, {invoice_no, reason, date?}) → the 红字 invoice (the original becomes 已红冲)",
                           effect: .write, access: .update("invoice", recordArguments: [0])) { call in
                let id = try A.id(call, 0, "reverse_invoice", "an invoice")
                let day = try A.day(call, call[1], "date", entity: "invoice")
                return .record(try call.write {
                    try InvoiceActions.reverse($0, id, invoiceNo: A.text(call[1], "invoice_no") ?? "", date: day, reason: A.text(call[1], "reason") ?? "")
                })
            },
            ScriptFunction("claim_expense", summary: "crm.finance.claim_expense{title, kind? = \"报销\"|\"借款\", customer?, lines = {{category, date, amount|amount_fen, attachment?, customer?}}, submit? = true} → the claim",
                           effect: .write, access: .create("expense")) { call in
                guard var fields = call[0].fields else { throw KernelError(.validation, "crm.finance.claim_expense needs a table {title, lines = {...}}") }
                let lines = try A.list(fields.removeValue(forKey: "lines"), "claim_expense", "lines")
                var values = try A.values(.table(fields), "claim_expense", "claim")
                let submit = values.removeValue(forKey: "submit") != .bool(false)
                return .record(try call.write { tx in
                    let expense = try tx.create("expense", values)
                    for (index, line) in lines.enumerated() {
                        var line = line
                        line["expense"] = .integer(expense.id)
                        do { _ = try tx.create("expense_line", line) } catch let error as KernelError {
                            throw KernelError(error.kind, "lines[\(index + 1)]: \(error.message)", entity: "expense_line",
                                              fieldErrors: error.fieldErrors.map { FieldError(field: "lines[\(index + 1)].\($0.field)", message: $0.message) })
                        }
                    }
                    guard submit else { return try PaymentFunctions.require(tx.reader.get("expense", expense.id), "expense", expense.id) }
                    _ = try Approvals.submit("expense", expense.id, in: tx)
                    return try PaymentFunctions.require(tx.reader.get("expense", expense.id), "expense", expense.id)
                })
            },
            ScriptFunction("pay_expense", summary: "crm.finance.pay_expense(id, {account?, date?}) → the claim 已支付 (财务; offsets open advances; publishes expense.paid)",
                           effect: .write, access: .update("expense", recordArguments: [0])) { call in
                let id = try A.id(call, 0, "pay_expense", "a claim")
                let day = try A.day(call, call[1], "date", entity: "expense")
                return .record(try call.write { try ExpenseActions.pay($0, id, account: call[1].fields?["account"]?.integer, date: day) })
            },
            ScriptFunction("open_advances", summary: "crm.finance.open_advances(user_id) → fen of paid 借款 not yet offset by claims",
                           effect: .read, access: .read("expense")) { call in
                let user = try A.id(call, 0, "open_advances", "a user")
                return .value(.integer(try call.read { try ExpenseActions.openAdvances($0, owner: user) }))
            },
        ]
    }
}
