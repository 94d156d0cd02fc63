import CRMKernel

/// 商机 module: opportunities through sales pipelines (stage gates, history, stalled warnings),
/// sales targets, and the funnel, conversion, win-rate and forecast reports.
public struct OpportunitiesPlugin: Plugin {
    /// Creates the plugin.
    public init() {}

    public var manifest: PluginManifest {
        PluginManifest(id: "opportunities", name: LocalizedText("商机管理", en: "Opportunities"), version: "0.2.0",
                       dependencies: ["customers"],
                       summary: LocalizedText("商机、销售阶段、漏斗与销售目标", en: "Opportunities, stages, funnel and sales targets"))
    }

    public var schema: SchemaDeclarations {
        SchemaDeclarations(entities: [OpportunityEntities.opportunity, OpportunityEntities.stageHistory, OpportunityEntities.salesTarget])
    }

    public func hooks() -> HookSet { StageRules.hooks }

    public var scriptFunctions: [ScriptFunction] { OpportunityScriptFunctions.all }

    public var jobs: [ScheduledJob] { [StalledDeals.job] }

    /// The funnel and the weighted forecast, in the workspace report catalog.
    public var reports: [ReportDefinition] { OpportunityReports.all }

    /// The stage events of its pipelines (published by the kernel's stage gate for the
    /// `opportunity` entity): `{id, from, to, pipeline}` plus the opportunity's references
    /// (`customer`, `contact`...). The customers module consumes `opportunity.won`.
    public var publishes: [String] { ["opportunity.stage_changed", "opportunity.won", "opportunity.lost"] }

    public var grants: [RoleGrant] { OpportunityGrants.all }

    /// `Scripts/`: the stock sales stages and form (`20_opportunities.lua`).
    public var stockScripts: StockScripts? { StockScripts(target: "CRMOpportunities") }

    public func seedDemo(_ tx: WriteContext, _ demo: inout DemoContext) throws {
        try OpportunityDemo.seed(tx, &demo)
    }
}
