import CRMKernel

/// The marketing module's pages in the web interface: campaigns and leads (generic), the lead
/// pool and the claim/convert section of a lead's page (`LeadPoolPages`, templates in `Pages/`).
enum MarketingPages {
    static var all: [PluginPage] {
        [
            PluginPage("campaigns", path: "/campaigns", title: LocalizedText("市场活动", en: "Campaigns"),
                       menu: MenuEntry(section: "marketing", order: 10), requires: FunctionAccess(entity: "campaign", action: .read)),
            PluginPage("leads", path: "/leads", title: LocalizedText("线索", en: "Leads"),
                       menu: MenuEntry(section: "marketing", order: 20), requires: FunctionAccess(entity: "lead", action: .read)),
            PluginPage("lead_pool", path: "/leads/pool", title: LocalizedText("线索池", en: "Lead pool"),
                       menu: MenuEntry(section: "marketing", order: 30), requires: FunctionAccess(entity: "lead", action: .read),
                       view: LeadPoolPages.pool),
            LeadPoolPages.actions,
            PluginPage("lead", path: "/leads/:id", title: LocalizedText("线索详情", en: "Lead"),
                       requires: FunctionAccess(entity: "lead", action: .read)),
            PluginPage("campaign", path: "/campaigns/:id", title: LocalizedText("活动详情", en: "Campaign"),
                       requires: FunctionAccess(entity: "campaign", action: .read)),
        ]
    }
}
