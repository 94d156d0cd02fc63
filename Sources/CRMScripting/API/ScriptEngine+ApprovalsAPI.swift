import CRMKernel
import Foundation

extension ScriptEngine {
    /// `crm.approvals.flow` (pack) and the data functions `crm.approvals.submit`, `approve`,
    /// `reject`, `withdraw`, `delegate`, `pending`, `history`, `get` (hooks, console, `crm run`).
    func registerApprovalFunctions() throws(LuaError) {
        try state.register("crm.approvals.flow") { [unowned self] args in
            let entity = try args.string(0), spec = try args.table(1)
            let steps = try ApprovalSpecParser.flow(entity, spec)
            let at = self.location()
            try declare { $0.approvalFlows.append(DeclaredApprovalFlow(entity: entity, steps: steps, location: at)) }
            return []
        }
        try register("submit") { engine, args in
            let entity = try args.string(0), id = try args.integer(1)
            return try engine.kernel { try engine.write { try Approvals.submit(entity, id, in: $0) } }
        }
        try register("approve") { engine, args in
            let id = try args.integer(0), comment = try args.optionalString(1)
            return try engine.kernel { try engine.write { try Approvals.approve(id, comment: comment, in: $0) } }
        }
        try register("reject") { engine, args in
            let id = try args.integer(0), comment = try args.optionalString(1)
            return try engine.kernel { try engine.write { try Approvals.reject(id, comment: comment, in: $0) } }
        }
        try register("withdraw") { engine, args in
            let id = try args.integer(0), comment = try args.optionalString(1)
            return try engine.kernel { try engine.write { try Approvals.withdraw(id, comment: comment, in: $0) } }
        }
        try register("delegate") { engine, args in
            let id = try args.integer(0), comment = try args.optionalString(2)
            let target = try engine.userID(try args.value(1), "crm.approvals.delegate")
            return try engine.kernel { try engine.write { try Approvals.delegate(id, to: target, comment: comment, in: $0) } }
        }
        try register("get") { engine, args in
            let id = try args.integer(0), access = engine.approvalAccess
            return try engine.kernel { try engine.read { try Approvals.get(id, in: $0, as: access) } }
        }
        try state.register("crm.approvals.pending") { [unowned self] _ in
            try requireData("crm.approvals.pending")
            let access = approvalAccess
            let list = try kernel { try read { try Approvals.pending(in: $0, as: access) } }
            return [.table(LuaTable(array: list.map(ApprovalLua.table)))]
        }
        try state.register("crm.approvals.history") { [unowned self] args in
            try requireData("crm.approvals.history")
            let entity = try args.string(0), id = try args.integer(1), access = approvalAccess
            let list = try kernel { try read { try Approvals.history(entity, id, in: $0, as: access) } }
            return [.table(LuaTable(array: list.map(ApprovalLua.table)))]
        }
    }

    /// Registers `crm.approvals.<name>` returning one approval as a table.
    private func register(_ name: String, _ body: @escaping (ScriptEngine, inout LuaArguments) throws -> Approval) throws(LuaError) {
        let path = "crm.approvals.\(name)"
        try state.register(path) { [unowned self] args in
            try requireData(path)
            return [ApprovalLua.table(try body(self, &args))]
        }
    }

    /// Who reads approvals now: the caller's guard, or the acting user with no limits.
    var approvalAccess: AccessGuard { callerAccess ?? AccessGuard(systemFor: transactions.last?.user ?? user) }

    /// A user id from a Lua value: an id, or a login name.
    func userID(_ value: LuaValue, _ name: String) throws(LuaError) -> Int64 {
        if let id = value.integerValue { return id }
        guard case .string(let login) = value else { throw LuaError.script("\(name): user must be a user id or a login name") }
        let found = try kernel { try workspace.store.read { try $0.ids("user", where: "name", equals: .text(login), limit: 1) } }
        guard let id = found.first else { throw LuaError.script("\(name): unknown user '\(login)'") }
        return id
    }

    /// Runs the `when` function of step `step` of declared flow `flow` on a submitted document,
    /// inside the submitting transaction, reading only (a write raises, as in a policy); true keeps
    /// the step. A Lua error or a result that is not a boolean fails the submission with the
    /// script location.
    func runApprovalCondition(flow: Int, step: Int, _ label: String, _ input: ApprovalConditionInput) throws -> Bool {
        try locked {
            guard flow < declarations.approvalFlows.count, step < declarations.approvalFlows[flow].steps.count,
                  let function = declarations.approvalFlows[flow].steps[step].condition else {
                throw KernelError(.scriptFailed, "\(label): this condition was dropped when the Lua state was rebuilt", entity: input.entity)
            }
            // Like a policy: it reads in the submitting transaction and may not write.
            transactions.append(input.tx)
            policyDepth += 1
            defer {
                policyDepth -= 1
                transactions.removeLast()
            }
            var document: [String: LuaValue] = [:]
            for (k, v) in input.document { document[k] = LuaBridge.lua(v) }
            let results: [LuaValue]
            do {
                results = try entering { try state.call(function, [.table(LuaTable(fields: document))]) }
            } catch {
                throw KernelError(.scriptFailed, located(error, label), entity: input.entity)
            }
            switch results.first ?? .nil {
            case .boolean(let keep): return keep
            case .nil: return false
            case let other:
                throw KernelError(.scriptFailed, "\(label): when must return true or false, got \(other.typeName)", entity: input.entity)
            }
        }
    }
}

/// Approvals as Lua tables.
enum ApprovalLua {
    static func table(_ a: Approval) -> LuaValue {
        var fields: [String: LuaValue] = [
            "id": .integer(a.id), "entity": .string(a.entity), "record_id": .integer(a.recordID), "status": .string(a.status.rawValue),
            "submitted_at": .string(DateCoding.iso(a.submittedAt)),
        ]
        if let by = a.submittedBy { fields["submitted_by"] = .integer(by) }
        if let ended = a.endedAt { fields["ended_at"] = .string(DateCoding.iso(ended)) }
        if let step = a.current { fields["current_step"] = .string(step.name); fields["current_position"] = .integer(Int64(step.position)) }
        fields["steps"] = .table(LuaTable(array: a.steps.map { s in
            .table(LuaTable(fields: [
                "position": .integer(Int64(s.position)), "name": .string(s.name), "rule": .string(s.rule), "status": .string(s.status.rawValue),
                "approvers": .table(LuaTable(array: s.assignees.map { p in
                    var t: [String: LuaValue] = ["user": .integer(p.userID), "status": .string(p.status.rawValue)]
                    if let to = p.delegatedTo { t["delegated_to"] = .integer(to) }
                    return .table(LuaTable(fields: t))
                })),
            ]))
        }))
        fields["decisions"] = .table(LuaTable(array: a.decisions.map { d in
            var t: [String: LuaValue] = ["action": .string(d.action.rawValue), "user_name": .string(d.userName), "at": .string(DateCoding.iso(d.at))]
            if let u = d.userID { t["user"] = .integer(u) }
            if let p = d.position { t["position"] = .integer(Int64(p)) }
            if let c = d.comment { t["comment"] = .string(c) }
            if let to = d.targetUser { t["delegated_to"] = .integer(to) }
            return .table(LuaTable(fields: t))
        }))
        var snapshot: [String: LuaValue] = [:]
        for (k, v) in a.snapshot { snapshot[k] = LuaBridge.lua(v) }
        fields["snapshot"] = .table(LuaTable(fields: snapshot))
        return .table(LuaTable(fields: fields))
    }
}
