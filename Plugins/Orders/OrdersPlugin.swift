import CRMKernel

/// 订单管理 module: quotes with versions, orders and contracts with lines, totals and margin
/// in fen by one rounding rule, statuses declared in Lua, approval, stock, versions by 变更,
/// opportunity → order in one step, reports and the contract-end reminder.
public struct OrdersPlugin: Plugin {
    /// Creates the plugin.
    public init() {}

    public var manifest: PluginManifest {
        PluginManifest(id: "orders", name: LocalizedText("订单管理", en: "Orders"), version: "0.1.0",
                       dependencies: ["customers", "opportunities", "products"],
                       summary: LocalizedText("报价单、订单与合同、审批、毛利与订单报表", en: "Quotes, orders and contracts, approval, margin and order reports"))
    }

    public var schema: SchemaDeclarations {
        SchemaDeclarations(entities: [OrderEntities.quote, OrderEntities.order, OrderEntities.line, OrderEntities.revision],
                           extensions: [FieldExtension(entity: "opportunity",
                                                       field: FieldDefinition("order", .reference, label: LocalizedText("订单", en: "Order"), target: "order"))])
    }

    public func hooks() -> HookSet { OrderRules.hooks }

    public var scriptFunctions: [ScriptFunction] { OrderScriptFunctions.all }

    public var settings: [PluginSetting] { [OrderSettings.setting] }

    /// `order` (`HT-{yyyyMMdd}-{seq:4}`) and `quote` (`BJ-{yyyyMMdd}-{seq:4}`) numbers.
    public var sequences: [SequenceDeclaration] { [OrderApprovals.orderNumbers, OrderApprovals.quoteNumbers] }

    /// Orders go through the approval engine (the flow is in `40_orders.lua`).
    public var approvalDocuments: [ApprovalDocumentType] { [OrderApprovals.document] }

    public var jobs: [ScheduledJob] { [ContractReminders.job] }

    /// The status events of the `order` and `quote` pipelines (the kernel's stage gate):
    /// `{id, from, to, pipeline}` plus the references; `order.won` when an order completes,
    /// `order.lost` when it is voided.
    public var publishes: [String] {
        ["order.stage_changed", "order.won", "order.lost", "quote.stage_changed", "quote.won", "quote.lost"]
    }

    public var grants: [RoleGrant] { OrderGrants.all }

    /// The quote and order lists and document pages (`OrderPages`).
    public var pages: [PluginPage] { OrderPages.all }

    /// `Scripts/`: the stock statuses, rules and approval flow (`40_orders.lua`).
    public var stockScripts: StockScripts? { StockScripts(target: "CRMOrders") }

    public var commands: [PluginCommand] { OrderCommands.all }

    /// A 财务 for the stock flow's finance step (orders whose margin is under 15 %).
    public var demoUsers: [DemoUser] { [DemoUser(login: "zhaomin", displayName: "赵敏", role: "finance", team: "财务部")] }

    public var routes: [PluginRoute] { PrintView.routes }

    public func seedDemo(_ tx: WriteContext, _ demo: inout DemoContext) throws {
        try OrderDemo.seed(tx, &demo)
    }
}
