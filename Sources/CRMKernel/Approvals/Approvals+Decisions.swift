import Foundation
import GRDB

extension Approvals {
    /// Approves the current step of approval `id` as the transaction's user. When `step` is given
    /// (the position the caller saw), a different current step is a `conflict`.
    ///
    /// Throws `notFound` for an approval the caller cannot see, `forbidden` when they are not an
    /// approver of the current step, `conflict` when the step or the approval was already decided.
    @discardableResult
    public static func approve(_ id: Int64, comment: String? = nil, step: Int? = nil, in tx: WriteContext) throws -> Approval {
        let (approval, current, uid) = try decidable(id, step: step, tx: tx)
        let note = try checkedComment(comment, required: false)
        try ApprovalRows.setAssignee(tx.db, id: id, position: current.position, user: uid, .approved)
        try record(.approve, approval, position: current.position, comment: note, tx: tx)
        let remaining = current.assignees.filter { $0.status == .open && $0.userID != uid }
        if current.needsEveryone && !remaining.isEmpty { return try finish(id, tx) }
        try ApprovalRows.setStep(tx.db, id: id, position: current.position, .approved)
        try ApprovalRows.cancelOpen(tx.db, id: id, position: current.position)
        if let next = approval.steps.first(where: { $0.position > current.position && $0.status == .waiting }) {
            try ApprovalRows.setStep(tx.db, id: id, position: next.position, .pending)
            try ApprovalRows.setStatus(tx.db, id: id, .pending, currentStep: next.position, endedAt: nil)
            let moved = try loaded(id, tx)
            try ApprovalRoute.notifyApprovers(moved, step: next, users: next.assignees.map(\.userID), tx: tx)
        } else {
            try ApprovalRows.setStatus(tx.db, id: id, .approved, currentStep: nil, endedAt: tx.nowText)
            try transition(.approved, try loaded(id, tx), tx)
        }
        return try finish(id, tx)
    }

    /// Rejects approval `id` at its current step as the transaction's user; `comment` is required.
    /// The approval ends rejected; the document type's callback runs. Errors as `approve`, plus a
    /// validation error on `comment`.
    @discardableResult
    public static func reject(_ id: Int64, comment: String?, step: Int? = nil, in tx: WriteContext) throws -> Approval {
        let note = try checkedComment(comment, required: true)
        let (approval, current, uid) = try decidable(id, step: step, tx: tx)
        try ApprovalRows.setAssignee(tx.db, id: id, position: current.position, user: uid, .rejected)
        try ApprovalRows.setStep(tx.db, id: id, position: current.position, .rejected)
        try ApprovalRows.cancelOpen(tx.db, id: id)
        try ApprovalRows.cancelRemainingSteps(tx.db, id: id)
        try record(.reject, approval, position: current.position, comment: note, tx: tx)
        try ApprovalRows.setStatus(tx.db, id: id, .rejected, currentStep: nil, endedAt: tx.nowText)
        var ended = try loaded(id, tx)
        ended.currentStep = current.position
        try transition(.rejected, ended, tx)
        return try finish(id, tx)
    }

    /// Withdraws approval `id`: only its submitter (or an administrator), only while pending
    /// (`invalidState` after the end).
    @discardableResult
    public static func withdraw(_ id: Int64, comment: String? = nil, in tx: WriteContext) throws -> Approval {
        let approval = try locked(id, tx)
        let note = try checkedComment(comment, required: false)
        let isSubmitter = tx.user.id != nil && tx.user.id == approval.submittedBy
        guard isSubmitter || (tx.caller.isAdministrator && tx.caller.user.id == tx.user.id) || tx.user.id == nil else {
            throw KernelError(.forbidden, "only the submitter may withdraw approval \(id)", entity: approval.entity)
        }
        guard approval.status == .pending else {
            throw KernelError(.invalidState, "approval \(id) has already ended (\(approval.status.rawValue)); only a pending approval can be withdrawn",
                              entity: approval.entity)
        }
        try ApprovalRows.cancelOpen(tx.db, id: id)
        try ApprovalRows.cancelRemainingSteps(tx.db, id: id)
        try record(.withdraw, approval, position: nil, comment: note, tx: tx)
        try ApprovalRows.setStatus(tx.db, id: id, .withdrawn, currentStep: nil, endedAt: tx.nowText)
        try transition(.withdrawn, try loaded(id, tx), tx)
        return try finish(id, tx)
    }

    /// Hands the caller's part in the current step of approval `id` to user `target` (an active
    /// user who is not already an approver of that step). Audited; the new approver is notified.
    @discardableResult
    public static func delegate(_ id: Int64, to target: Int64, comment: String? = nil, step: Int? = nil, in tx: WriteContext) throws -> Approval {
        let note = try checkedComment(comment, required: false)
        let (approval, current, uid) = try decidable(id, step: step, tx: tx)
        guard let user = try tx.systemReader.get("user", target), user["active"] != .bool(false) else {
            throw KernelError(.validation, "cannot delegate approval \(id): user \(target) does not exist or is not active",
                              fieldErrors: [FieldError(field: "user", message: "unknown or inactive user")])
        }
        guard target != uid else {
            throw KernelError(.validation, "cannot delegate approval \(id) to yourself", fieldErrors: [FieldError(field: "user", message: "that is you")])
        }
        if current.assignees.contains(where: { $0.userID == target && $0.status == .open }) {
            throw KernelError(.conflict, "\(user["name"].textValue ?? "user \(target)") is already an approver of step '\(current.name)'")
        }
        try ApprovalRows.setAssignee(tx.db, id: id, position: current.position, user: uid, .delegated, delegatedTo: target)
        try ApprovalRows.addAssignee(tx.db, id: id, position: current.position, user: target)
        try record(.delegate, approval, position: current.position, comment: note, target: target, tx: tx)
        let moved = try loaded(id, tx)
        try ApprovalRoute.notifyApprovers(moved, step: current, users: [target], tx: tx)
        return try finish(id, tx)
    }

    // MARK: Checks

    /// Locks approval `id` for this transaction (a no-op write, so a concurrent decider waits and
    /// then reads this one's outcome) and loads it; `notFound` unless the caller may see it.
    static func locked(_ id: Int64, _ tx: WriteContext) throws -> Approval {
        try tx.db.execute(sql: "UPDATE _approval SET revision = revision WHERE id = ?", arguments: [id])
        guard let approval = try ApprovalRows.load(tx.db, id: id), try visible(approval, tx.systemReader, tx.caller) else {
            throw KernelError(.notFound, "approval \(id) not found")
        }
        return approval
    }

    /// The approval, its current step and the acting user's id, when that user may decide it now.
    static func decidable(_ id: Int64, step: Int?, tx: WriteContext) throws -> (Approval, ApprovalStep, Int64) {
        let approval = try locked(id, tx)
        guard let uid = tx.user.id else {
            throw KernelError(.forbidden, "approvals are decided by a user, not by the system (act as a user)", entity: approval.entity)
        }
        guard approval.status == .pending, let current = approval.current else {
            let by = approval.decisions.last.map { " by \($0.userName) at \(DateCoding.iso($0.at))" } ?? ""
            throw KernelError(.conflict, "approval \(id) has already ended (\(approval.status.rawValue)\(by))", entity: approval.entity)
        }
        if let step, step != current.position {
            throw KernelError(.conflict, "approval \(id) has moved on: step \(step) is no longer the current step ('\(current.name)' is)", entity: approval.entity)
        }
        if current.assignees.contains(where: { $0.userID == uid && $0.status == .open }) { return (approval, current, uid) }
        if let handed = current.assignees.first(where: { $0.userID == uid && $0.status == .delegated }) {
            let to = try handed.delegatedTo.flatMap { try tx.systemReader.get("user", $0)?["name"].textValue } ?? "another user"
            throw KernelError(.forbidden, "\(tx.user.name) delegated step '\(current.name)' of approval \(id) to \(to)", entity: approval.entity)
        }
        // Someone who was an approver of this step or of an earlier one came too late.
        if let mine = approval.steps.first(where: { s in s.assignees.contains { $0.userID == uid } && s.position <= current.position }) {
            let decider = approval.decisions.last { $0.position == mine.position && ($0.action == .approve || $0.action == .reject) }
            let who = decider.map { " by \($0.userName) at \(DateCoding.iso($0.at))" } ?? ""
            throw KernelError(.conflict, "step '\(mine.name)' of approval \(id) was already decided\(who)", entity: approval.entity)
        }
        let waiting = current.assignees.filter { $0.status == .open }.map(\.userID)
        let names = try waiting.compactMap { try tx.systemReader.get("user", $0)?["name"].textValue }
        throw KernelError(.forbidden, "\(tx.user.name) is not an approver of the current step '\(current.name)' of approval \(id) (waiting for: \(names.joined(separator: ", ")))",
                          entity: approval.entity)
    }

    /// A comment trimmed and checked: required for rejections, at most `maxComment` characters.
    static func checkedComment(_ comment: String?, required: Bool) throws -> String? {
        let text = comment?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if text.isEmpty {
            guard !required else {
                throw KernelError(.validation, "a rejection needs a comment saying why", fieldErrors: [FieldError(field: "comment", message: "required")])
            }
            return nil
        }
        guard text.count <= maxComment else {
            throw KernelError(.validation, "comment is longer than \(maxComment) characters", fieldErrors: [FieldError(field: "comment", message: "too long")])
        }
        return text
    }

    /// Writes the decision row and the document's audit entry.
    private static func record(_ action: ApprovalDecision.Action, _ approval: Approval, position: Int?, comment: String?,
                               target: Int64? = nil, tx: WriteContext) throws {
        try ApprovalRows.addDecision(tx.db, id: approval.id, position: position, user: tx.user, action, comment: comment, target: target, at: tx.nowText)
        var changes: [(String, Value, Value)] = [("approval", .null, .integer(approval.id))]
        if let position, let step = approval.steps.first(where: { $0.position == position }) { changes.append(("step", .null, .text(step.name))) }
        if let comment { changes.append(("comment", .null, .text(comment))) }
        if let target { changes.append(("delegated_to", .null, .integer(target))) }
        try tx.audit("approval.\(action.rawValue)", entity: approval.entity, recordID: approval.recordID, changes: changes)
    }

    /// The approval after a decision, its revision bumped.
    private static func finish(_ id: Int64, _ tx: WriteContext) throws -> Approval {
        try tx.db.execute(sql: "UPDATE _approval SET revision = revision + 1 WHERE id = ?", arguments: [id])
        return redacted(try loaded(id, tx), tx.caller)
    }
}
