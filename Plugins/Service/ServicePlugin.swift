import CRMKernel

/// 客户服务 module: tickets from the phone, e-mail, web forms and the API, routed in Lua to an
/// available agent with the skill, SLA clocks on the business calendar computed from the status
/// history, reply templates, a knowledge base, satisfaction ratings and the SLA and CSAT reports.
public struct ServicePlugin: Plugin {
    /// Creates the plugin.
    public init() {}

    public var manifest: PluginManifest {
        PluginManifest(id: "service", name: LocalizedText("客户服务", en: "Service"), version: "0.1.0",
                       dependencies: ["customers"],
                       summary: LocalizedText("工单、分派、SLA、快捷回复、知识库与满意度", en: "Tickets, routing, SLA, reply templates, knowledge base and satisfaction"))
    }

    public var schema: SchemaDeclarations {
        SchemaDeclarations(entities: [ServiceEntities.ticket, ServiceEntities.message, ServiceEntities.statusHistory, ServiceEntities.rating,
                                      ServiceEntities.template, ServiceEntities.category, ServiceEntities.article, ServiceEntities.cursor],
                           extensions: ServiceEntities.agentFields)
    }

    public func hooks() -> HookSet { TicketLifecycle.hooks }

    public var scriptFunctions: [ScriptFunction] { ServiceFunctions.all }

    public var settings: [PluginSetting] { [ServiceRules.setting, RoutingRules.setting, SLAPolicies.setting] }

    /// `ticket` numbers (`GD-{yyyyMMdd}-{seq:4}`).
    public var sequences: [SequenceDeclaration] {
        [SequenceDeclaration("ticket", defaultPattern: "GD-{yyyyMMdd}-{seq:4}", summary: "工单编号 (ticket numbers)")]
    }

    public var jobs: [ScheduledJob] { [ServiceJobs.autoClose, ServiceJobs.escalation] }

    public var routes: [PluginRoute] { [TicketIntake.route, InboundMail.route] + RatingRoutes.all }

    public var pages: [PluginPage] { ServicePages.all }

    public var grants: [RoleGrant] { ServiceGrants.all }

    /// `Scripts/`: the stock statuses, routing, SLA policies and forms (`60_service.lua`).
    public var stockScripts: StockScripts? { StockScripts(target: "CRMService") }

    public var demoUsers: [DemoUser] { ServiceDemo.users }

    public func seedDemo(_ tx: WriteContext, _ demo: inout DemoContext) throws {
        try ServiceDemo.seed(tx, &demo)
    }
}
