/// How a module plugs a document type into the approval engine: the entity, the facts its
/// conditions may use, and what happens to the document at each turn of its approval.
///
/// ```swift
/// var approvalDocuments: [ApprovalDocumentType] {
///     [ApprovalDocumentType("order", facts: { tx, order in ["discount_pct": …] }) { change in
///         switch change.kind {
///         case .submitted: try change.tx.update("order", change.recordID, ["status": .text("审批中")])
///         case .approved:  try change.tx.update("order", change.recordID, ["status": .text("已审批")])
///         case .rejected, .withdrawn: try change.tx.update("order", change.recordID, ["status": .text("已驳回")])
///         }
///     }]
/// }
/// ```
/// Both closures run inside the deciding transaction, as the system (the engine has already
/// checked that the caller may decide); throwing refuses the whole operation (e.g. an order that
/// is not a draft cannot be submitted) and nothing is written.
public struct ApprovalDocumentType: Sendable {
    /// What happened to an approval.
    public enum Change: String, Sendable {
        /// Submitted: the route is set and the first approvers notified.
        case submitted
        /// The last step approved: the document is approved.
        case approved
        /// An approver rejected it (with a comment).
        case rejected
        /// The submitter took it back before the end.
        case withdrawn
    }

    /// What a transition callback gets.
    public struct Transition {
        /// What happened.
        public let kind: Change
        /// The approval.
        public let approval: Approval
        /// The document's entity.
        public var entity: String { approval.entity }
        /// The document's id.
        public var recordID: Int64 { approval.recordID }
        /// The deciding transaction (acting as the system).
        public let tx: WriteContext
    }

    /// Computes values conditions may use besides the record's fields (`discount_pct`,
    /// `margin_pct`, line totals); kept in the snapshot.
    public typealias Facts = @Sendable (_ tx: WriteContext, _ record: Record) throws -> [String: Value]
    /// Reacts to a transition of the document's approval.
    public typealias Callback = @Sendable (Transition) throws -> Void

    /// The document entity.
    public var entity: String
    /// Extra facts for conditions and the snapshot; nil: the record's fields only.
    public var facts: Facts?
    /// Called on submit, final approval, rejection and withdrawal.
    public var onChange: Callback?

    /// Declares a document type.
    public init(_ entity: String, facts: Facts? = nil, onChange: Callback? = nil) {
        self.entity = entity
        self.facts = facts
        self.onChange = onChange
    }
}
