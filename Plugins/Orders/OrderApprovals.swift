import CRMKernel

/// Orders in the kernel's approval engine and numbering sequences.
///
/// Submitting an order starts the `order` approval flow (declared in Lua, `40_orders.lua`); the
/// engine calls back here at each turn, in the deciding transaction: submitted → 审批中 (stock
/// reserved per the stock policy), approved → 已审批, rejected → 已驳回 with the approver's
/// comment, withdrawn → 草稿. Conditions of the flow see the order's fields plus the facts
/// `discount_pct`, `margin_pct` (percentages) and `amount_fen` (the total in fen, an integer:
/// compare money in whole fen, never as a float).
enum OrderApprovals {
    /// The order's document type.
    static var document: ApprovalDocumentType {
        ApprovalDocumentType("order", facts: { _, order in
            ["discount_pct": order["discount_percent"], "margin_pct": order["margin_percent"],
             "amount_fen": .integer(OrderMath.fen(order["total"].decimalValue ?? 0))]
        }) { change in
            let tx = change.tx, id = change.recordID
            switch change.kind {
            case .submitted:
                _ = try OrderWorkflow.submit(tx, id)
                _ = try tx.asSystem { try tx.update("order", id, ["approval": .integer(change.approval.id)]) }
            case .approved:
                _ = try OrderWorkflow.approved(tx, id)
            case .rejected:
                let comment = change.approval.decisions.last(where: { $0.action == .reject })?.comment ?? ""
                _ = try OrderWorkflow.rejected(tx, id, comment: comment)
            case .withdrawn:
                _ = try OrderWorkflow.withdraw(tx, id)
            }
        }
    }

    /// Order numbers `HT-{yyyyMMdd}-{seq:4}`; a company changes the pattern with `crm.sequence("order", …)`.
    static let orderNumbers = SequenceDeclaration("order", defaultPattern: "HT-{yyyyMMdd}-{seq:4}", summary: "合同/订单编号")
    /// Quote numbers `BJ-{yyyyMMdd}-{seq:4}`.
    static let quoteNumbers = SequenceDeclaration("quote", defaultPattern: "BJ-{yyyyMMdd}-{seq:4}", summary: "报价单编号")

    /// Submits order `id` to its approval flow; returns the order as it is afterwards.
    static func submit(_ tx: WriteContext, _ id: Int64) throws -> Record {
        _ = try Approvals.submit("order", id, in: tx)
        guard let order = try tx.reader.get("order", id) else { throw KernelError.recordNotFound("order", id) }
        return order
    }

    /// Withdraws order `id`'s pending approval (the submitter only); returns the order.
    static func withdraw(_ tx: WriteContext, _ id: Int64) throws -> Record {
        let pending = try Approvals.history("order", id, in: tx.reader.system, as: .unrestricted).first { $0.status == .pending }
        guard let pending else {
            let (order, settings) = try OrderWorkflow.load(tx, id)
            try OrderWorkflow.expect(order, in: ["submitted"], settings, doing: "withdraw")
            return try OrderWorkflow.withdraw(tx, id)
        }
        _ = try Approvals.withdraw(pending.id, in: tx)
        guard let order = try tx.reader.get("order", id) else { throw KernelError.recordNotFound("order", id) }
        return order
    }
}
