import CRMKernel

/// An example module written as an integrator would write one, used only by the tests: 保修
/// (warranty claims on customers). Everything it brings is declared here, in its own folder:
/// an entity, grants for the stock roles, a Lua function, a Lua policy, a CLI command, a download route, a
/// public route, a page, a daily job and a durable reaction to the customers module's events.
public struct WarrantyPlugin: Plugin {
    /// Creates the plugin.
    public init() {}

    public var manifest: PluginManifest {
        PluginManifest(id: "warranty", name: LocalizedText("保修", en: "Warranty"), version: "0.1.0", dependencies: ["customers"],
                       summary: LocalizedText("客户的保修申请", en: "Customers' warranty claims"))
    }

    public var schema: SchemaDeclarations { SchemaDeclarations(entities: [WarrantyClaims.entity]) }

    public var scriptFunctions: [ScriptFunction] {
        [WarrantyClaims.openCount, .calling(WarrantyClaims.coverage, of: "warranty", access: .read("warranty_claim"))]
    }

    /// How long a product is covered: a decision each company makes in Lua.
    public var policies: [ScriptPolicy] { [WarrantyClaims.coverage] }

    public var commands: [PluginCommand] { [WarrantyClaims.listCommand] }

    public var routes: [PluginRoute] { [WarrantyClaims.exportRoute, WarrantyClaims.statusesRoute] }

    public var pages: [PluginPage] {
        [PluginPage("claims", path: "/warranty/claims", title: LocalizedText("保修申请", en: "Warranty claims"),
                    menu: MenuEntry(section: "service", order: 10), requires: FunctionAccess(entity: "warranty_claim", action: .read))]
    }

    /// Sales reps work their own customers' claims; managers see their teams'.
    public var grants: [RoleGrant] {
        [RoleGrant("sales_rep", "warranty_claim", RoleGrant.work),
         RoleGrant("sales_manager", "warranty_claim", RoleGrant.work, scope: .team)]
    }

    public var jobs: [ScheduledJob] { [WarrantyAutomation.closeStaleJob] }

    public var consumers: [EventConsumer] { [WarrantyAutomation.customerNameCopy] }
}
