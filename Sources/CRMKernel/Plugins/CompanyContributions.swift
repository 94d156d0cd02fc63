/// What the company's own scripts contribute: entities, fields and hooks.
///
/// Produced by the scripting layer from a workspace's script pack and handed to the workspace
/// whole, so a reload is atomic.
public struct CompanyContributions: Sendable {
    /// Entities and fields declared by scripts.
    public var schema: SchemaDeclarations
    /// Hooks and handlers registered by scripts.
    public var hooks: HookSet
    /// Numbering patterns set with `crm.sequence(name, pattern)`, by sequence name.
    public var sequencePatterns: [String: String]
    /// Approval flows set with `crm.approvals.flow(entity, spec)` (a later one for the same entity wins).
    public var approvalFlows: [ApprovalFlow]
    /// Reports declared with `crm.report(name, spec)`.
    public var reports: [ReportDefinition]

    /// Creates contributions.
    public init(schema: SchemaDeclarations = SchemaDeclarations(), hooks: HookSet = HookSet(),
                sequencePatterns: [String: String] = [:], approvalFlows: [ApprovalFlow] = [], reports: [ReportDefinition] = []) {
        self.schema = schema
        self.hooks = hooks
        self.sequencePatterns = sequencePatterns
        self.approvalFlows = approvalFlows
        self.reports = reports
    }
}

/// A module's state in a workspace, as `crm modules` lists it.
public struct ModuleStatus: Sendable, Hashable {
    /// The plugin id.
    public var id: String
    /// Display name.
    public var name: LocalizedText
    /// Plugin version.
    public var version: String
    /// Whether it is enabled in this workspace.
    public var enabled: Bool
    /// Plugins it depends on.
    public var dependencies: [String]
    /// What it does.
    public var summary: LocalizedText
}
