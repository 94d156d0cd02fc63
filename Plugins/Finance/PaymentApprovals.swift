import CRMKernel
import CRMOrders
import Foundation

/// Receipts and refunds in the kernel's approval engine (flow `payment` in `50_finance.lua`).
///
/// Approval, in the deciding transaction: the receipt is checked again against its order, set
/// 已确认, allocated to installments (`finance.allocate`), added to `order.received` (and
/// `outstanding` = total − received; this module keeps both itself, in the same transaction),
/// written as a fund movement when it names an account, and published as `payment.approved`.
/// A reversal of an approved receipt undoes all of that on its own date and publishes
/// `payment.reversed`.
enum PaymentApprovals {
    /// `payment` numbers `SK-{yyyyMMdd}-{seq:4}`.
    static let numbers = SequenceDeclaration("payment", defaultPattern: "SK-{yyyyMMdd}-{seq:4}", summary: "回款单号")

    /// The document type: conditions see the receipt's fields plus `amount_fen` (integer fen,
    /// negative for a refund) and `kind`.
    static var document: ApprovalDocumentType {
        ApprovalDocumentType("payment", facts: { _, payment in
            ["amount_fen": .integer(FinanceMoney.fen(payment["amount"])), "kind": payment["kind"]]
        }) { change in
            let tx = change.tx, id = change.recordID
            guard let payment = try tx.reader.get("payment", id) else { throw KernelError.recordNotFound("payment", id) }
            switch change.kind {
            case .submitted:
                try expect(payment, [PaymentStatus.draft, PaymentStatus.rejected], doing: "submit")
                try PaymentChecks.require(tx, payment)
                _ = try tx.update("payment", id, ["status": .text(PaymentStatus.submitted), "approval": .integer(change.approval.id), "reject_reason": .null])
            case .approved:
                try approved(tx, payment)
            case .rejected:
                let comment = change.approval.decisions.last(where: { $0.action == .reject })?.comment ?? ""
                _ = try tx.update("payment", id, ["status": .text(PaymentStatus.rejected), "reject_reason": .text(comment)])
            case .withdrawn:
                _ = try tx.update("payment", id, ["status": .text(PaymentStatus.draft)])
            }
        }
    }

    /// Refuses an action the receipt's status does not allow.
    static func expect(_ payment: Record, _ statuses: [String], doing action: String) throws {
        let status = payment["status"].textValue ?? ""
        guard statuses.contains(status) else {
            throw KernelError(.invalidState, "回款单 \(payment["number"]) 状态为\(status)，不能\(action) (cannot \(action) a receipt in status \(status))",
                              entity: "payment", fieldErrors: [FieldError(field: "status", message: "cannot \(action) from \(status)")])
        }
    }

    /// The effects of the last approval step.
    static func approved(_ tx: WriteContext, _ payment: Record) throws {
        try expect(payment, [PaymentStatus.submitted, PaymentStatus.draft], doing: "approve")
        try PaymentChecks.require(tx, payment)
        let day = payment["received_on"].textValue ?? ""
        let allocated = try PaymentAllocation.allocate(tx, payment, day: day)
        let record = try tx.update("payment", payment.id, ["status": .text(PaymentStatus.approved), "approved_at": .datetime(tx.now),
                                                           "allocated": FinanceMoney.value(allocated)])
        let amount = FinanceMoney.fen(record["amount"])
        let order = try addToOrder(tx, record, amount)
        try FundLedger.record(tx, account: record["account"], date: day, amount: amount, category: amount < 0 ? "退款" : "回款",
                              source: record, customer: record["customer"], summary: "\(amount < 0 ? "退款" : "回款") \(record["number"])")
        try tx.publish("payment.approved", entity: "payment", recordID: record.id, payload: payload(record, order: order, amount: amount, day: day))
    }

    /// Reverses approved receipt `id` on `day` with a reason: allocations, order figures and the
    /// fund movement are undone on that day and `payment.reversed` is published.
    static func reverse(_ tx: WriteContext, _ id: Int64, reason: String, day: String) throws -> Record {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw KernelError.invalid("payment", field: "reversal_reason", "冲销必须填写原因 (a reversal needs a reason)") }
        guard let payment = try tx.reader.get("payment", id) else { throw KernelError.recordNotFound("payment", id) }
        try expect(payment, [PaymentStatus.approved], doing: "reverse")
        let amount = FinanceMoney.fen(payment["amount"])
        if let orderID = payment["order"].integerValue, let order = try tx.asSystem({ try tx.reader.get("order", orderID) }),
           FinanceMoney.fen(order["received"]) - amount < 0 {
            throw KernelError(.invalidState, "冲销后订单已回款将为负数（已有退款）(reversing would leave the order's received amount below zero; reverse the refund first)",
                              entity: "payment", fieldErrors: [FieldError(field: "amount", message: "more than the order's received amount")])
        }
        return try tx.asSystem {
            _ = try PaymentAllocation.reverse(tx, payment, day: day)
            let order = try addToOrder(tx, payment, -amount)
            try FundLedger.record(tx, account: payment["account"], date: day, amount: -amount, category: amount < 0 ? "退款" : "回款",
                                  source: payment, customer: payment["customer"], summary: "冲销 \(payment["number"])")
            let record = try tx.update("payment", id, ["status": .text(PaymentStatus.reversed), "reversal_reason": .text(reason),
                                                       "reversed_on": .text(day), "allocated": FinanceMoney.value(0)])
            try tx.publish("payment.reversed", entity: "payment", recordID: id,
                           payload: payload(record, order: order, amount: amount, day: payment["received_on"].textValue ?? day))
            return record
        }
    }

    /// Adds `amount` fen to the order's received figure (outstanding follows); returns the order.
    private static func addToOrder(_ tx: WriteContext, _ payment: Record, _ amount: Int64) throws -> Record? {
        guard let orderID = payment["order"].integerValue, let order = try tx.reader.get("order", orderID) else { return nil }
        let received = FinanceMoney.fen(order["received"]) + amount
        return try tx.update("order", orderID, ["received": FinanceMoney.value(received),
                                                "outstanding": FinanceMoney.value(FinanceMoney.fen(order["total"]) - received)])
    }

    /// The payload of `payment.approved` / `payment.reversed` (the contract other modules build on).
    static func payload(_ payment: Record, order: Record?, amount: Int64, day: String) -> [String: Value] {
        ["id": .integer(payment.id), "order": payment["order"], "plan": payment["plan"], "customer": payment["customer"],
         "owner": order?["owner"] ?? payment["owner"], "amount_fen": .integer(amount), "received_on": .text(day),
         "kind": .text(amount < 0 ? "refund" : "receipt")]
    }
}
