import Foundation

/// One submission of a document for approval: its route of steps, who decided what, and the
/// snapshot of the document as submitted (what an approval approves).
public struct Approval: Sendable, Hashable {
    /// Where an approval stands.
    public enum Status: String, Sendable {
        /// Waiting for the approvers of `currentStep`.
        case pending
        /// Every step approved.
        case approved
        /// An approver rejected it.
        case rejected
        /// The submitter withdrew it.
        case withdrawn
    }

    /// The approval's id.
    public var id: Int64
    /// The document entity.
    public var entity: String
    /// The document's id.
    public var recordID: Int64
    /// Where it stands.
    public var status: Status
    /// The position of the step waiting for a decision (nil once ended).
    public var currentStep: Int?
    /// Who submitted it (nil: the system).
    public var submittedBy: Int64?
    /// When it was submitted (UTC).
    public var submittedAt: Date
    /// When it ended (approved, rejected or withdrawn).
    public var endedAt: Date?
    /// The document as submitted: its fields and its module's facts.
    public var snapshot: [String: Value]
    /// The route, in order (skipped steps included, marked so).
    public var steps: [ApprovalStep]
    /// Every decision, oldest first (the submission included).
    public var decisions: [ApprovalDecision]
    /// Bumped by every decision; a decision made on an older revision is a conflict.
    public var revision: Int64

    /// The step waiting for a decision.
    public var current: ApprovalStep? { currentStep.flatMap { p in steps.first { $0.position == p } } }

    /// Every user who has or had a part in it (submitter, approvers, delegates).
    public var involvedUsers: Set<Int64> {
        var users = Set(steps.flatMap { $0.assignees.map(\.userID) })
        if let s = submittedBy { users.insert(s) }
        return users
    }
}

/// One step of an approval's route.
public struct ApprovalStep: Sendable, Hashable {
    /// Where a step stands.
    public enum Status: String, Sendable {
        /// A later step, not reached yet.
        case waiting
        /// The step now deciding.
        case pending
        /// Approved (by one, or by all for an `all_of` step).
        case approved
        /// Rejected by one of its approvers.
        case rejected
        /// Left out by its condition at submit time.
        case skipped
        /// Not reached because the approval was rejected or withdrawn.
        case cancelled
    }

    /// 0-based position in the route.
    public var position: Int
    /// The step's name (`经理审批`).
    public var name: String
    /// The rule its approvers came from (`manager`, `role:finance`, ...).
    public var rule: String
    /// True when every approver must approve (`all_of`).
    public var needsEveryone: Bool
    /// Where it stands.
    public var status: Status
    /// Its approvers as resolved at submit time (and delegates).
    public var assignees: [ApprovalAssignee]
}

/// One approver of a step.
public struct ApprovalAssignee: Sendable, Hashable {
    /// Where one approver's task stands.
    public enum Status: String, Sendable {
        /// Waiting for this user (or not yet reached).
        case open
        /// Approved by this user.
        case approved
        /// Rejected by this user.
        case rejected
        /// Handed to `delegatedTo`.
        case delegated
        /// No longer needed (another approver decided, or the approval ended).
        case cancelled
    }

    /// The approver's user id.
    public var userID: Int64
    /// Where their task stands.
    public var status: Status
    /// The user it was delegated to.
    public var delegatedTo: Int64?
}

/// One audited decision on an approval.
public struct ApprovalDecision: Sendable, Hashable {
    /// What was done.
    public enum Action: String, Sendable {
        case submit, approve, reject, withdraw, delegate
    }

    /// The step concerned (nil for submit and withdraw).
    public var position: Int?
    /// Who decided (nil: the system).
    public var userID: Int64?
    /// Their login name at the time.
    public var userName: String
    /// What they did.
    public var action: Action
    /// Their comment (required for a rejection).
    public var comment: String?
    /// For a delegation: the user it went to.
    public var targetUser: Int64?
    /// When (UTC).
    public var at: Date
}
