import Foundation

/// Who approves one step of an approval flow. Resolved to users when a document is submitted.
public enum ApproverRule: Sendable, Hashable, CustomStringConvertible {
    /// The manager (`user.manager`) of the document's owner.
    case ownerManager
    /// One named user (login name).
    case user(String)
    /// Any one active user with this role.
    case role(String)
    /// Any one of these users (login names).
    case anyOf([String])
    /// Every one of these users (login names), in any order.
    case allOf([String])

    /// Whether every resolved user must approve (true only for `allOf`).
    public var needsEveryone: Bool { if case .allOf = self { true } else { false } }

    /// How the rule is shown: `manager`, `user:boss`, `role:finance`, `any_of:a,b`, `all_of:a,b`.
    public var description: String {
        switch self {
        case .ownerManager: "manager"
        case .user(let name): "user:\(name)"
        case .role(let role): "role:\(role)"
        case .anyOf(let names): "any_of:" + names.joined(separator: ",")
        case .allOf(let names): "all_of:" + names.joined(separator: ",")
        }
    }

    /// The login names the rule names (for load-time checks).
    public var namedUsers: [String] {
        switch self {
        case .user(let name): [name]
        case .anyOf(let names), .allOf(let names): names
        case .ownerManager, .role: []
        }
    }
}

/// What a step's condition sees: the document as submitted (its fields plus the facts its module
/// adds, such as `discount_pct`), inside the submitting transaction.
public struct ApprovalConditionInput {
    /// The document entity.
    public let entity: String
    /// The document's values at submit time (the snapshot).
    public let document: [String: Value]
    /// The submitting transaction (reads see its writes).
    public let tx: WriteContext
}

/// A step condition: true keeps the step, false skips it. Company conditions are Lua functions.
public typealias ApprovalCondition = @Sendable (ApprovalConditionInput) throws -> Bool

/// One step of a flow: a name, who approves, and an optional condition.
public struct ApprovalStepRule: Sendable {
    /// Shown to people (`经理审批`).
    public var name: String
    /// Who approves.
    public var approver: ApproverRule
    /// Keeps the step only when it returns true; nil keeps it always.
    public var condition: ApprovalCondition?

    /// Creates a step.
    public init(name: String, approver: ApproverRule, condition: ApprovalCondition? = nil) {
        self.name = name
        self.approver = approver
        self.condition = condition
    }
}

/// The approval flow of one document type (entity): ordered steps, declared in Lua with
/// `crm.approvals.flow(entity, {steps = {...}})`. A later flow for the same entity replaces the earlier.
public struct ApprovalFlow: Sendable {
    /// The document entity (`order`).
    public var entity: String
    /// The steps in order.
    public var steps: [ApprovalStepRule]
    /// Where it was declared (`scripts/20_approvals.lua:3`), for errors.
    public var origin: String?

    /// Creates a flow.
    public init(entity: String, steps: [ApprovalStepRule], origin: String? = nil) {
        self.entity = entity
        self.steps = steps
        self.origin = origin
    }

    /// Checks the flow against `schema`: the entity exists, steps exist with distinct non-empty
    /// names, roles are declared, named groups are not empty.
    func check(against schema: Schema) throws(KernelError) {
        let at = origin.map { " (\($0))" } ?? ""
        guard schema.entities[entity] != nil else {
            throw KernelError(.notFound, "crm.approvals.flow: unknown entity '\(entity)'\(at)")
        }
        guard !steps.isEmpty else { throw KernelError(.validation, "crm.approvals.flow: the flow of '\(entity)' has no steps\(at)") }
        var names = Set<String>()
        for step in steps {
            guard !step.name.trimmingCharacters(in: .whitespaces).isEmpty, step.name.count <= 100 else {
                throw KernelError(.validation, "crm.approvals.flow: every step of '\(entity)' needs a name of 1 to 100 characters\(at)")
            }
            guard names.insert(step.name).inserted else {
                throw KernelError(.validation, "crm.approvals.flow: step name '\(step.name)' is used twice in the flow of '\(entity)'\(at)")
            }
            switch step.approver {
            case .role(let role) where schema.roles[role] == nil:
                throw KernelError(.notFound, "crm.approvals.flow: step '\(step.name)' of '\(entity)': unknown role '\(role)'\(at)")
            case .anyOf(let list) where list.isEmpty, .allOf(let list) where list.isEmpty:
                throw KernelError(.validation, "crm.approvals.flow: step '\(step.name)' of '\(entity)': the group of approvers is empty\(at)")
            default: break
            }
        }
    }
}

/// The flows and document types in force, by entity.
public struct ApprovalSetup: Sendable {
    /// Flows by document entity.
    public internal(set) var flows: [String: ApprovalFlow] = [:]
    /// Document types by entity (from the enabled modules).
    public internal(set) var documents: [String: ApprovalDocumentType] = [:]

    /// Nothing declared.
    public init() {}
}

extension ApprovalSetup {
    /// The setup in force: the modules' document types (one per entity) and the company's flows,
    /// each checked against `schema`; a later flow for an entity replaces an earlier one.
    init(documents: [ApprovalDocumentType], flows: [ApprovalFlow], schema: Schema) throws(KernelError) {
        self.init()
        for d in documents {
            guard schema.entities[d.entity] != nil else {
                throw KernelError(.notFound, "approval document type for unknown entity '\(d.entity)'")
            }
            guard self.documents[d.entity] == nil else {
                throw KernelError(.conflict, "two modules declare '\(d.entity)' as an approval document type")
            }
            self.documents[d.entity] = d
        }
        for flow in flows {
            try flow.check(against: schema)
            self.flows[flow.entity] = flow
        }
    }
}
