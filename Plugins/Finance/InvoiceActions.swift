import CRMKernel
import Foundation

/// Invoices: a request (sales) with the customer's title profile, approved through the engine
/// (flow `invoice` in `50_finance.lua`), then issued by 财务 with the invoice number and date.
/// An issued invoice is locked; it is reversed only by a 红字 invoice (negative amounts, pointing
/// at it), which is issued at once.
enum InvoiceActions {
    /// `invoice` request numbers `KP-{yyyyMMdd}-{seq:4}`.
    static let numbers = SequenceDeclaration("invoice", defaultPattern: "KP-{yyyyMMdd}-{seq:4}", summary: "开票申请单号")

    /// The document type: conditions see the fields plus `amount_fen`.
    static var document: ApprovalDocumentType {
        ApprovalDocumentType("invoice", facts: { _, invoice in ["amount_fen": .integer(FinanceMoney.fen(invoice["amount"]))] }) { change in
            let tx = change.tx, id = change.recordID
            guard let invoice = try tx.reader.get("invoice", id) else { throw KernelError.recordNotFound("invoice", id) }
            let status = invoice["status"].textValue ?? ""
            switch change.kind {
            case .submitted:
                guard [InvoiceStatus.draft, InvoiceStatus.rejected].contains(status), invoice["red"] != .bool(true) else {
                    throw stateError(invoice, "submit")
                }
                _ = try tx.update("invoice", id, ["status": .text(InvoiceStatus.submitted), "approval": .integer(change.approval.id), "reject_reason": .null])
            case .approved:
                _ = try tx.update("invoice", id, ["status": .text(InvoiceStatus.approved)])
            case .rejected:
                let comment = change.approval.decisions.last(where: { $0.action == .reject })?.comment ?? ""
                _ = try tx.update("invoice", id, ["status": .text(InvoiceStatus.rejected), "reject_reason": .text(comment)])
            case .withdrawn:
                _ = try tx.update("invoice", id, ["status": .text(InvoiceStatus.draft)])
            }
        }
    }

    static func stateError(_ invoice: Record, _ action: String) -> KernelError {
        let status = invoice["status"].textValue ?? ""
        return KernelError(.invalidState, "发票 \(invoice["number"]) 状态为\(status)，不能\(action) (cannot \(action) an invoice in status \(status))",
                           entity: "invoice", fieldErrors: [FieldError(field: "status", message: "cannot \(action) from \(status)")])
    }

    /// Refuses a caller who may not write invoice numbers (only 财务 and administrators issue).
    static func requireIssuer(_ tx: WriteContext) throws {
        try tx.caller.checkWrite("invoice", fields: ["invoice_no", "issued_on"])
    }

    /// Issues approved invoice `id` with its number and date; publishes `invoice.issued`.
    static func issue(_ tx: WriteContext, _ id: Int64, invoiceNo: String, date: String) throws -> Record {
        try requireIssuer(tx)
        let number = invoiceNo.trimmingCharacters(in: .whitespaces)
        guard !number.isEmpty else { throw KernelError.invalid("invoice", field: "invoice_no", "开票必须填写发票号码 (issuing needs the invoice number)") }
        let date = try FinanceDates.require(date, field: "issued_on", entity: "invoice")
        guard let invoice = try tx.reader.get("invoice", id) else { throw KernelError.recordNotFound("invoice", id) }
        guard invoice["status"] == .text(InvoiceStatus.approved) else { throw stateError(invoice, "issue") }
        let record = try tx.asSystem {
            try tx.update("invoice", id, ["status": .text(InvoiceStatus.issued), "invoice_no": .text(number), "issued_on": .text(date)])
        }
        try publishIssued(tx, record)
        return record
    }

    /// Reverses issued invoice `id` with a 红字 invoice numbered `invoiceNo` on `date`; returns the red invoice.
    static func reverse(_ tx: WriteContext, _ id: Int64, invoiceNo: String, date: String, reason: String) throws -> Record {
        try requireIssuer(tx)
        let number = invoiceNo.trimmingCharacters(in: .whitespaces), reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !number.isEmpty else { throw KernelError.invalid("invoice", field: "invoice_no", "红字发票必须填写发票号码 (the credit invoice needs its number)") }
        guard !reason.isEmpty else { throw KernelError.invalid("invoice", field: "reason", "红冲必须填写原因 (a reversal needs a reason)") }
        let date = try FinanceDates.require(date, field: "issued_on", entity: "invoice")
        guard let invoice = try tx.reader.get("invoice", id) else { throw KernelError.recordNotFound("invoice", id) }
        guard invoice["status"] == .text(InvoiceStatus.issued), invoice["red"] != .bool(true) else { throw stateError(invoice, "reverse") }
        return try tx.asSystem {
            var values = invoice.values.filter { ["customer", "order", "type", "tax_rate", "owner", "notes"].contains($0.key) || DocumentEntities.titleFields.contains($0.key) }
            values["amount"] = FinanceMoney.value(-FinanceMoney.fen(invoice["amount"]))
            values["red"] = .bool(true)
            values["reverses"] = .integer(id)
            values["reason"] = .text(reason)
            values["status"] = .text(InvoiceStatus.issued)
            values["invoice_no"] = .text(number)
            values["issued_on"] = .text(date)
            let red = try tx.create("invoice", values)
            _ = try tx.update("invoice", id, ["status": .text(InvoiceStatus.reversed), "reversed_by": .integer(red.id)])
            try publishIssued(tx, red)
            try tx.publish("invoice.reversed", entity: "invoice", recordID: id, payload: payload(invoice).merging(["reversed_by": .integer(red.id)]) { $1 })
            return red
        }
    }

    private static func publishIssued(_ tx: WriteContext, _ invoice: Record) throws {
        try tx.publish("invoice.issued", entity: "invoice", recordID: invoice.id, payload: payload(invoice))
    }

    /// `{id, number, invoice_no, issued_on, type, customer, order, owner, amount_fen, tax_fen, red, reverses}`.
    static func payload(_ invoice: Record) -> [String: Value] {
        ["id": .integer(invoice.id), "number": invoice["number"], "invoice_no": invoice["invoice_no"], "issued_on": invoice["issued_on"],
         "type": invoice["type"], "customer": invoice["customer"], "order": invoice["order"], "owner": invoice["owner"],
         "amount_fen": .integer(FinanceMoney.fen(invoice["amount"])), "tax_fen": .integer(FinanceMoney.fen(invoice["tax"])),
         "red": .bool(invoice["red"] == .bool(true)), "reverses": invoice["reverses"]]
    }

    /// Tax included in `amountFen` at `rate` percent, rounded half away from zero to the fen, in integers.
    static func taxFen(amountFen: Int64, rate: Decimal) -> Int64 {
        let basis = Int64(truncating: (rate * 100) as NSDecimalNumber)   // 13 % → 1300 (scale 2 keeps it whole)
        let magnitude = (amountFen.magnitude * UInt64(basis) * 2 + UInt64(10_000 + basis)) / UInt64(2 * (10_000 + basis))
        return amountFen < 0 ? -Int64(magnitude) : Int64(magnitude)
    }
}
