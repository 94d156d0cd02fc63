import CRMKernel

/// An example module written as an integrator would write one, used only by the tests: 保修
/// (warranty claims on customers). Everything it brings is declared here, in its own folder:
/// an entity, a Lua function, a CLI command, a download route, a public route and a page.
public struct WarrantyPlugin: Plugin {
    /// Creates the plugin.
    public init() {}

    public var manifest: PluginManifest {
        PluginManifest(id: "warranty", name: LocalizedText("保修", en: "Warranty"), version: "0.1.0", dependencies: ["customers"],
                       summary: LocalizedText("客户的保修申请", en: "Customers' warranty claims"))
    }

    public var schema: SchemaDeclarations { SchemaDeclarations(entities: [WarrantyClaims.entity]) }

    public var scriptFunctions: [ScriptFunction] { [WarrantyClaims.openCount] }

    public var commands: [PluginCommand] { [WarrantyClaims.listCommand] }

    public var routes: [PluginRoute] { [WarrantyClaims.exportRoute, WarrantyClaims.statusesRoute] }

    public var pages: [PluginPage] {
        [PluginPage("claims", path: "/warranty/claims", title: LocalizedText("保修申请", en: "Warranty claims"),
                    menu: MenuEntry(section: "service", order: 10), requires: FunctionAccess(entity: "warranty_claim", action: .read))]
    }

    // Still to come from this folder, as the plugin contract grows (issue 12):
    // grants merged into the stock roles, a scheduled job with a calendar schedule, and an
    // event consumed from the customers module.
}
