import CRMKernel
import Foundation

/// Moving an order through its statuses. Each move is one update as the system (the status is
/// read-only to the stock roles: it moves only through these actions and the approval engine),
/// so the kernel's stage gate checks it against the company's pipeline and publishes
/// `order.stage_changed`; a refused move changes nothing.
enum OrderWorkflow {
    /// Sends a draft (or a rejected order) for approval: it needs at least one line.
    static func submit(_ tx: WriteContext, _ id: Int64) throws -> Record {
        let (order, settings) = try load(tx, id)
        try expect(order, in: ["draft", "rejected"], settings, doing: "submit")
        guard order["line_count"].integerValue ?? 0 > 0 else {
            throw KernelError.invalid("order", field: "lines", "订单没有明细行，不能提交审批 (an order needs at least one line to be submitted)")
        }
        let record = try move(tx, id, to: settings.status("submitted"), ["submitted_at": .datetime(tx.now), "reject_reason": .null])
        try OrderStock.onSubmitted(tx, record)
        return record
    }

    /// Takes a submitted order back to draft.
    static func withdraw(_ tx: WriteContext, _ id: Int64) throws -> Record {
        let (order, settings) = try load(tx, id)
        try expect(order, in: ["submitted"], settings, doing: "withdraw")
        let record = try move(tx, id, to: settings.status("draft"), [:])
        try OrderStock.onReleased(tx, record)
        return record
    }

    /// Marks a submitted order approved (the approval engine's reaction to its last step):
    /// stamps the approval time and, when missing, the signing date; reserves stock when the
    /// company's stock policy says so.
    static func approved(_ tx: WriteContext, _ id: Int64) throws -> Record {
        let (order, settings) = try load(tx, id)
        try expect(order, in: ["submitted"], settings, doing: "approve")
        var changes: [String: Value] = ["approved_at": .datetime(tx.now)]
        if order["signed_date"].isEmpty { changes["signed_date"] = try OrderTotals.day(tx, .datetime(tx.now)) }
        let record = try move(tx, id, to: settings.status("approved"), changes)
        try OrderStock.onApproved(tx, record)
        return record
    }

    /// Marks a submitted order rejected with the approver's comment.
    static func rejected(_ tx: WriteContext, _ id: Int64, comment: String) throws -> Record {
        let (order, settings) = try load(tx, id)
        try expect(order, in: ["submitted"], settings, doing: "reject")
        let record = try move(tx, id, to: settings.status("rejected"), ["reject_reason": .text(comment)])
        try OrderStock.onReleased(tx, record)
        return record
    }

    /// Starts executing an approved order (stock taken when the policy says so).
    static func start(_ tx: WriteContext, _ id: Int64) throws -> Record {
        let (order, settings) = try load(tx, id)
        try expect(order, in: ["approved"], settings, doing: "start")
        let record = try move(tx, id, to: settings.status("executing"), [:])
        try OrderStock.onStarted(tx, record)
        return record
    }

    /// Completes an executing order.
    static func complete(_ tx: WriteContext, _ id: Int64) throws -> Record {
        let (order, settings) = try load(tx, id)
        try expect(order, in: ["executing"], settings, doing: "complete")
        return try move(tx, id, to: settings.status("completed"), [:])
    }

    /// Voids an order with a reason; reserved stock is released.
    static func void(_ tx: WriteContext, _ id: Int64, reason: String) throws -> Record {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw KernelError.invalid("order", field: "void_reason", "作废必须填写原因 (voiding needs a reason)") }
        let (order, settings) = try load(tx, id)
        try expect(order, in: ["draft", "rejected", "approved", "executing"], settings, doing: "void")
        let record = try move(tx, id, to: settings.status("void"), ["void_reason": .text(reason)])
        try OrderStock.onReleased(tx, record)
        return record
    }

    /// Starts a 变更 of an approved or executing order: keeps the approved version as an
    /// `order_revision`, raises the version and reopens the order as a draft that must be
    /// approved again.
    static func change(_ tx: WriteContext, _ id: Int64, reason: String) throws -> Record {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw KernelError.invalid("order", field: "change_reason", "变更必须填写原因 (a change needs a reason)") }
        let (order, settings) = try load(tx, id)
        try expect(order, in: ["approved", "executing"], settings, doing: "change")
        try OrderRevisions.keep(tx, order)
        let version = (order["doc_version"].integerValue ?? 1) + 1
        return try move(tx, id, to: settings.status("draft"), ["doc_version": .integer(version), "change_reason": .text(reason),
                                                              "approved_at": .null, "submitted_at": .null])
    }

    /// The order and the settings in force.
    static func load(_ tx: WriteContext, _ id: Int64) throws -> (Record, OrderSettings) {
        guard let order = try tx.reader.get("order", id) else { throw KernelError.recordNotFound("order", id) }
        return (order, OrderSettings.current(tx.schema))
    }

    /// Refuses an action the order's status does not allow.
    static func expect(_ order: Record, in roles: [String], _ settings: OrderSettings, doing action: String) throws {
        let allowed = roles.map(settings.status)
        let status = order["status"].textValue ?? ""
        guard allowed.contains(status) else {
            throw KernelError(.invalidState, "订单 \(order["number"]) 状态为\(status)，不能\(actionNames[action] ?? action) (cannot \(action) an order in status \(status); allowed from \(allowed.joined(separator: ", ")))",
                              entity: "order", fieldErrors: [FieldError(field: "status", message: "cannot \(action) from \(status)")])
        }
    }

    static let actionNames = ["submit": "提交审批", "withdraw": "撤回", "approve": "审批通过", "reject": "驳回", "start": "开始执行",
                              "complete": "完成", "void": "作废", "change": "变更"]

    private static func move(_ tx: WriteContext, _ id: Int64, to status: String, _ changes: [String: Value]) throws -> Record {
        var all = changes
        all["status"] = .text(status)
        return try tx.asSystem { try tx.update("order", id, all) }
    }
}
