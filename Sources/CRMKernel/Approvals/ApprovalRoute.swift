import Foundation

/// Computing an approval's route at submit time, and telling people about it.
enum ApprovalRoute {
    /// The steps of `flow` for this document: conditions evaluated on `snapshot`, approvers of the
    /// kept steps resolved to active users. Throws a validation error naming the step when a step
    /// has nobody to approve it.
    static func plan(_ flow: ApprovalFlow, record: Record, snapshot: [String: Value], tx: WriteContext) throws -> [PlannedStep] {
        var route: [PlannedStep] = []
        for (position, step) in flow.steps.enumerated() {
            var included = true
            if let condition = step.condition {
                included = try tx.asSystem { try condition(ApprovalConditionInput(entity: flow.entity, document: snapshot, tx: tx)) }
            }
            let users = included ? try approvers(step, record: record, tx: tx) : []
            route.append(PlannedStep(position: position, name: step.name, rule: step.approver.description,
                                     needsEveryone: step.approver.needsEveryone, included: included, users: users))
        }
        return route
    }

    /// The users who approve `step` of `record`, in a stable order without repeats.
    static func approvers(_ step: ApprovalStepRule, record: Record, tx: WriteContext) throws -> [Int64] {
        let reader = tx.systemReader
        func fail(_ message: String) -> KernelError {
            KernelError(.validation, "approval step '\(step.name)': \(message)", entity: record.entity)
        }
        func active(_ id: Int64) throws -> Record? {
            guard let user = try reader.get("user", id), user["active"] != .bool(false) else { return nil }
            return user
        }
        func named(_ name: String) throws -> Int64 {
            guard let id = try reader.ids("user", where: "name", equals: .text(name), limit: 1).first else {
                throw fail("unknown user '\(name)'")
            }
            guard try active(id) != nil else { throw fail("user '\(name)' is not active") }
            return id
        }
        var users: [Int64]
        switch step.approver {
        case .ownerManager:
            guard case .integer(let owner) = record["owner"] else { throw fail("\(record.entity) \(record.id) has no owner, so there is no manager to ask") }
            let ownerRecord = try reader.get("user", owner)
            let ownerName = ownerRecord.flatMap { $0["name"].textValue } ?? "user \(owner)"
            // The owner's own manager (直属上级), else the manager of the owner's team (团队负责人)
            // when that is someone else.
            var found: Int64?
            if case .integer(let direct)? = ownerRecord?["manager"] { found = direct }
            if found == nil, case .integer(let team)? = ownerRecord?["team"], case .integer(let lead)? = try reader.get("team", team)?["manager"], lead != owner {
                found = lead
            }
            guard let manager = found else {
                throw fail("the owner \(ownerName) has no manager (user.manager, or the manager of their team)")
            }
            guard try active(manager) != nil else { throw fail("the manager of \(ownerName) is not an active user") }
            users = [manager]
        case .user(let name):
            users = [try named(name)]
        case .role(let role):
            guard tx.schema.roles[role] != nil else { throw fail("unknown role '\(role)'") }
            let ids = try reader.find(Query("user", filter: .eq("role", .text(role)), sort: [SortKey("id")], limit: 1000)).records
                .filter { $0["active"] != .bool(false) }.map(\.id)
            guard !ids.isEmpty else { throw fail("no active user has the role '\(role)'") }
            users = ids
        case .anyOf(let names), .allOf(let names):
            users = try names.map(named)
        }
        var seen = Set<Int64>()
        return users.filter { seen.insert($0).inserted }
    }

    /// The document's title for messages: `订单 HT-20261202-0001` or `订单 #12`.
    static func documentTitle(_ approval: Approval, _ tx: WriteContext) -> String {
        let entity = tx.schema.entities[approval.entity]
        let label = entity?.definition.label.zh ?? approval.entity
        if let field = entity?.definition.titleField, let title = approval.snapshot[field]?.textValue, !title.isEmpty {
            return "\(label) \(title)"
        }
        return "\(label) #\(approval.recordID)"
    }

    /// Notifies `users` that `step` of `approval` waits for them.
    static func notifyApprovers(_ approval: Approval, step: ApprovalStep, users: [Int64], tx: WriteContext) throws {
        let title = "待审批：\(documentTitle(approval, tx)) · \(step.name)"
        try tx.asSystem {
            for user in users {
                try Notifications.send(Notifications.Message(
                    user: user, kind: "approval.pending", title: String(title.prefix(200)),
                    body: "审批单 \(approval.id) 的「\(step.name)」等待您处理。", entity: approval.entity, recordID: approval.recordID,
                    key: "approval:\(approval.id):\(step.position):\(user):\(approval.decisions.count)"), in: tx)
            }
        }
    }

    /// Tells the submitter their document was approved or rejected.
    static func notifySubmitter(_ approval: Approval, _ kind: ApprovalDocumentType.Change, user: Int64, tx: WriteContext) throws {
        let verb = kind == .approved ? "已通过审批" : "被驳回"
        let comment = kind == .rejected ? approval.decisions.last(where: { $0.action == .reject })?.comment : nil
        _ = try tx.asSystem {
            try Notifications.send(Notifications.Message(
                user: user, kind: "approval.\(kind.rawValue)", title: String("\(documentTitle(approval, tx)) \(verb)".prefix(200)),
                body: comment.map { "驳回意见：\(String($0.prefix(4000)))" }, entity: approval.entity, recordID: approval.recordID,
                key: "approval:\(approval.id):\(kind.rawValue)"), in: tx)
        }
    }
}
