import CRMKernel

/// 客户 module: customers, contacts, follow-ups and tasks.
public struct CustomersPlugin: Plugin {
    /// Creates the plugin.
    public init() {}

    public var manifest: PluginManifest {
        PluginManifest(id: "customers", name: LocalizedText("客户管理", en: "Customers"), version: "0.1.0",
                       summary: LocalizedText("客户、联系人、跟进记录、任务与公海", en: "Customers, contacts, follow-ups, tasks and the shared pool"))
    }

    public var schema: SchemaDeclarations {
        SchemaDeclarations(entities: [CustomerEntities.customer, CustomerEntities.contact,
                                      CustomerEntities.followup, CustomerEntities.task,
                                      PoolRecords.event, FollowupAttachments.entity],
                           extensions: CustomerDuplicates.extensions + PoolRecords.extensions)
    }

    public var migrations: [PluginMigration] { [CustomerDuplicates.migration, PoolRecords.migration] }

    public func hooks() -> HookSet {
        var set = HookSet()
        set.merge(CustomerDuplicates.hooks)
        set.merge(FollowupRules.hooks)
        set.merge(TaskRules.hooks)
        set.merge(PoolRecords.hooks)
        return set
    }

    public var scriptFunctions: [ScriptFunction] {
        CustomerScriptFunctions.all + DuplicateScriptFunctions.all + OwnershipScriptFunctions.all
            + [CustomerTimeline.function] + PoolScriptFunctions.all + FollowupAttachments.functions
    }

    public var settings: [PluginSetting] { [DuplicateRules.setting, PoolRules.setting, AttachmentRules.setting] }

    public var jobs: [ScheduledJob] { [TaskReminders.job, PoolReclaim.job] }

    public var consumers: [EventConsumer] { [DealWonConsumer.consumer] }

    public var grants: [RoleGrant] { CustomerGrants.all }

    /// `Scripts/`: the stock fields, choices and phone checks (`10_customers.lua`, `lib/phone.lua`).
    public var stockScripts: StockScripts? { StockScripts(target: "CRMCustomers") }

    public var demoUsers: [DemoUser] { CustomerDemo.users }

    public var commands: [PluginCommand] { CustomerCommands.all }

    public var routes: [PluginRoute] { FollowupAttachments.routes }

    public var pages: [PluginPage] { CustomerPages.all }

    public func seedDemo(_ tx: WriteContext, _ demo: inout DemoContext) throws {
        try CustomerDemo.seed(tx, &demo)
    }
}
