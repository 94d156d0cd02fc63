import CRMKernel

/// 市场及线索 module: campaigns with their costs, leads captured from public forms and assigned
/// by the company's rules, the lead pool, conversion into customers and campaign ROI.
public struct MarketingPlugin: Plugin {
    /// Creates the plugin.
    public init() {}

    public var manifest: PluginManifest {
        PluginManifest(id: "marketing", name: LocalizedText("市场及线索", en: "Marketing"), version: "0.1.0",
                       dependencies: ["customers", "opportunities"],
                       summary: LocalizedText("市场活动、线索采集、分配、线索池、转化与活动ROI",
                                              en: "Campaigns, lead capture, assignment, the lead pool, conversion and campaign ROI"))
    }

    public var schema: SchemaDeclarations {
        SchemaDeclarations(entities: [MarketingEntities.campaign, MarketingEntities.cost, MarketingEntities.lead, MarketingEntities.touch,
                                      MarketingEntities.assignmentCount, MarketingEntities.ruleCursor, MarketingEntities.poolEvent, MarketingEntities.attribution,
                                      MessageTemplates.template, MessageTemplates.optOut, MessageTemplates.send],
                           extensions: MarketingEntities.extensions + [MarketingEntities.onLeave])
    }

    public func hooks() -> HookSet {
        var set = LeadRules.hooks
        set.onBeforeSave("message_template") { ctx in MessageTemplates.checkTemplate(&ctx) }
        return set
    }

    public var scriptFunctions: [ScriptFunction] {
        MarketingFunctions.all + MessagingFunctions.all + [Attribution.reattribute,
                                  .calling(LeadScoring.policy, of: "marketing", access: .read("lead")),
                                  .calling(Attribution.policy, of: "marketing", access: .read("campaign"))]
    }

    /// Decisions left to the Lua pack: the lead score and the attribution of won deals.
    public var policies: [ScriptPolicy] { [LeadScoring.policy, Attribution.policy] }

    public var consumers: [EventConsumer] { [Attribution.consumer] }

    public var settings: [PluginSetting] { [AssignmentRules.setting, CaptureForms.setting, LeadPoolRules.setting, ConversionMap.setting,
                                           MarketingMessaging.setting] }

    public var jobs: [ScheduledJob] { [LeadPool.job] }

    /// The capture form, also at `/public/leads/:form` as the contract names it, and the 退订 routes.
    public var routes: [PluginRoute] { [LeadCapture.route.aliased("/public/leads/:form")] + OptOutRoutes.all }

    public var grants: [RoleGrant] { MarketingGrants.all }

    /// Campaigns, leads and the lead pool in the web interface (`MarketingPages`).
    public var pages: [PluginPage] { MarketingPages.all }

    /// `Scripts/`: the stock capture form, assignment rules, pool rules and scoring (`50_marketing.lua`).
    public var stockScripts: StockScripts? { StockScripts(target: "CRMMarketing") }

    public func seedDemo(_ tx: WriteContext, _ demo: inout DemoContext) throws {
        try MarketingDemo.seed(tx, &demo)
    }
}
