import CRMKernel

/// The customers module's pages in the web interface, with their menu entries: generic lists
/// and details of its records, the 公海 (`PoolPage`) and the 退回公海 section of a customer's page
/// (`ReleaseSection`), their templates in `Pages/`.
enum CustomerPages {
    static var all: [PluginPage] {
        [
            PluginPage("customers", path: "/customers", title: LocalizedText("客户", en: "Customers"),
                       menu: MenuEntry(section: "sales", order: 10), requires: FunctionAccess(entity: "customer", action: .read)),
            PluginPage("pool", path: "/customers/pool", title: LocalizedText("公海", en: "Shared pool"),
                       menu: MenuEntry(section: "sales", order: 20), requires: FunctionAccess(entity: "customer", action: .read), view: PoolPage.view),
            PluginPage("followups", path: "/followups", title: LocalizedText("跟进记录", en: "Follow-ups"),
                       menu: MenuEntry(section: "sales", order: 30), requires: FunctionAccess(entity: "followup", action: .read)),
            PluginPage("tasks", path: "/tasks", title: LocalizedText("任务", en: "Tasks"),
                       menu: MenuEntry(section: "sales", order: 40), requires: FunctionAccess(entity: "task", action: .read)),
            PluginPage("customer", path: "/customers/:id", title: LocalizedText("客户详情", en: "Customer"),
                       requires: FunctionAccess(entity: "customer", action: .read)),
            ReleaseSection.page,
        ]
    }
}
