import Foundation
import GRDB

// # The approval engine (design note)
//
// One engine for every document type (orders now; receipts, invoices, expenses, payroll runs
// later). It lives in the kernel rather than in a library target of its own because it needs what
// only the kernel has: the write transaction (its decisions commit or roll back with the
// document's own changes), the kernel tables (no module writes SQL), the access guard, the audit
// log, notifications and the outbox; and because the Lua (`crm.approvals.*`) and HTTP surfaces
// live in CRMScripting and CRMServer, which depend on the kernel only.
//
// - A **flow** (`ApprovalFlow`) is declared per entity in the company's Lua pack: ordered steps,
//   each with an approver rule (owner's manager, a user, a role, any one of / all of a group) and an
//   optional condition (a Lua function of the document).
// - A **document type** (`ApprovalDocumentType`) is declared by the module owning the entity: extra
//   facts for the conditions and one callback for submitted / approved / rejected / withdrawn.
// - **Submit** snapshots the document (fields + facts), evaluates every condition on that snapshot,
//   resolves each kept step to users, and stores the route. Later edits to the document do not move
//   the route; the snapshot is what gets approved. A route whose steps are all skipped is approved
//   at once.
// - **Decisions** (approve, reject with a comment, withdraw, delegate) each lock the approval row
//   first (a no-op UPDATE, so a second writer — in this process or another — waits and then sees
//   the first one's decision), check who may decide, write, audit (`_approval_decision` and the
//   document's audit log), notify and publish `approval.*` events — all in the caller's transaction.
//   Deciding a step someone else already decided is a `conflict`; deciding a step one is not an
//   approver of is `forbidden`.
// - **Reading**: an approval is visible to administrators, to the people involved (submitter,
//   approvers, delegates) and to whoever sees the document; snapshots lose the fields the reader's
//   role hides.

/// The approval engine's operations. Every call takes the transaction it runs in; the acting user
/// is the transaction's user (`tx.user`), limited by its access guard (`tx.caller`).
public enum Approvals {
    /// The events the engine publishes (entity `approval`, record id the approval's id; the payload
    /// names the document's `entity` and `record_id`, the `status` and the `step`).
    public static let events = ["approval.submitted", "approval.approved", "approval.rejected", "approval.withdrawn"]

    /// The longest comment accepted.
    public static let maxComment = 2000

    /// Submits document `entity` `id` for approval under its flow; returns the new approval.
    ///
    /// Throws `notFound` when the entity has no flow or the caller does not see the record,
    /// `forbidden` without the `update` right on the entity, `conflict` when the document is
    /// already waiting for approval, `validation` when a step's approver cannot be found (the
    /// owner has no manager, an unknown or inactive user, a role nobody has), `scriptFailed`
    /// when a condition fails. Nothing is written on error.
    @discardableResult
    public static func submit(_ entity: String, _ id: Int64, in tx: WriteContext) throws -> Approval {
        _ = try tx.schema.entity(entity)
        guard let flow = tx.schema.approvals.flows[entity] else {
            throw KernelError(.notFound, "no approval flow for '\(entity)' (declare one with crm.approvals.flow)", entity: entity)
        }
        try tx.caller.require(.update, on: entity)
        guard try tx.reader.acting(as: tx.caller).get(entity, id) != nil, let record = try tx.systemReader.get(entity, id) else {
            throw KernelError.recordNotFound(entity, id)
        }
        if let open = try Int64.fetchOne(tx.db, sql: "SELECT id FROM _approval WHERE entity = ? AND record_id = ? AND status = 'pending'",
                                         arguments: [entity, id]) {
            throw KernelError(.conflict, "\(entity) \(id) is already waiting for approval (approval \(open)); withdraw it before submitting again", entity: entity)
        }
        let document = tx.schema.approvals.documents[entity]
        var snapshot = record.values
        snapshot["id"] = .integer(id)
        if let facts = document?.facts {
            for (k, v) in try tx.asSystem({ try facts(tx, record) }) { snapshot[k] = v }
        }
        let route = try ApprovalRoute.plan(flow, record: record, snapshot: snapshot, tx: tx)
        let approvalID: Int64
        do {
            approvalID = try ApprovalRows.insert(tx.db, entity: entity, recordID: id, submittedBy: tx.user.id, at: tx.nowText,
                                                 snapshot: snapshot, route: route)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw KernelError(.conflict, "\(entity) \(id) is already waiting for approval; withdraw it before submitting again", entity: entity)
        }
        try ApprovalRows.addDecision(tx.db, id: approvalID, position: nil, user: tx.user, .submit, comment: nil, at: tx.nowText)
        try tx.audit("approval.submit", entity: entity, recordID: id, changes: [("approval", .null, .integer(approvalID))])
        var approval = try loaded(approvalID, tx)
        try transition(.submitted, approval, tx)
        if let step = approval.current {
            try ApprovalRoute.notifyApprovers(approval, step: step, users: step.assignees.map(\.userID), tx: tx)
        } else {
            // Every step was skipped by its condition: approved as submitted.
            try ApprovalRows.setStatus(tx.db, id: approvalID, .approved, currentStep: nil, endedAt: tx.nowText)
            approval = try loaded(approvalID, tx)
            try transition(.approved, approval, tx)
        }
        return try loaded(approvalID, tx)
    }

    /// The approval `id` if the caller may see it, else `notFound`. The snapshot is redacted.
    public static func get(_ id: Int64, in reader: RecordReader, as access: AccessGuard) throws -> Approval {
        guard let approval = try ApprovalRows.load(reader.db, id: id), try visible(approval, reader, access) else {
            throw KernelError(.notFound, "approval \(id) not found")
        }
        return redacted(approval, access)
    }

    /// The pending approvals whose current step waits for the caller, oldest first.
    public static func pending(in reader: RecordReader, as access: AccessGuard, limit: Int = 100) throws -> [Approval] {
        guard let uid = access.user.id else { return [] }
        return try ApprovalRows.pendingIDs(reader.db, user: uid, limit: limit).compactMap { try ApprovalRows.load(reader.db, id: $0) }
            .map { redacted($0, access) }
    }

    /// A document's approvals, newest first: all of them for whoever sees the document, else those
    /// the caller is involved in; `notFound` when that leaves none and the document is not visible.
    public static func history(_ entity: String, _ id: Int64, in reader: RecordReader, as access: AccessGuard) throws -> [Approval] {
        _ = try reader.schema.entity(entity)
        let seesDocument = try reader.acting(as: access).get(entity, id) != nil
        let list = try ApprovalRows.ids(reader.db, entity: entity, recordID: id).compactMap { try ApprovalRows.load(reader.db, id: $0) }
        let mine = seesDocument ? list : list.filter { a in access.user.id.map(a.involvedUsers.contains) ?? false }
        if !seesDocument && mine.isEmpty { throw KernelError.recordNotFound(entity, id) }
        return mine.map { redacted($0, access) }
    }

    // MARK: Shared by the operations

    /// Whether `access` may see `approval`.
    static func visible(_ approval: Approval, _ reader: RecordReader, _ access: AccessGuard) throws -> Bool {
        if access.isAdministrator { return true }
        if let uid = access.user.id, approval.involvedUsers.contains(uid) { return true }
        guard reader.schema.entities[approval.entity] != nil else { return false }
        return try reader.acting(as: access).get(approval.entity, approval.recordID) != nil
    }

    /// `approval` without the snapshot fields `access` may not see.
    static func redacted(_ approval: Approval, _ access: AccessGuard) -> Approval {
        let hidden = access.hiddenFields(approval.entity)
        guard !hidden.isEmpty else { return approval }
        var copy = approval
        for f in hidden { copy.snapshot[f] = nil }
        return copy
    }

    /// The approval as stored now (inside `tx`).
    static func loaded(_ id: Int64, _ tx: WriteContext) throws -> Approval {
        guard let a = try ApprovalRows.load(tx.db, id: id) else { throw KernelError(.notFound, "approval \(id) not found") }
        return a
    }

    /// Runs the document type's callback (as the system) and publishes the matching event.
    static func transition(_ kind: ApprovalDocumentType.Change, _ approval: Approval, _ tx: WriteContext) throws {
        if let callback = tx.schema.approvals.documents[approval.entity]?.onChange {
            try tx.asSystem { try callback(ApprovalDocumentType.Transition(kind: kind, approval: approval, tx: tx)) }
        }
        var payload: [String: Value] = ["id": .integer(approval.id), "entity": .text(approval.entity), "record_id": .integer(approval.recordID),
                                        "status": .text(approval.status.rawValue)]
        if let step = approval.current { payload["step"] = .text(step.name) }
        if let by = approval.submittedBy { payload["submitted_by"] = .integer(by) }
        try tx.publish("approval.\(kind.rawValue)", entity: "approval", recordID: approval.id, payload: payload)
        if kind == .approved || kind == .rejected, let submitter = approval.submittedBy {
            try ApprovalRoute.notifySubmitter(approval, kind, user: submitter, tx: tx)
        }
    }
}
