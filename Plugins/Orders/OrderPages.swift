import CRMKernel

/// The orders module's pages in the web interface: the quote and order lists with their menu
/// entries, each document's page, and on it the lines section (`LinesSection`: line editing,
/// totals, submit, and a quote's 新版本 and 转为订单).
enum OrderPages {
    static var all: [PluginPage] {
        [
            PluginPage("quotes", path: "/quotes", title: LocalizedText("报价单", en: "Quotes"),
                       menu: MenuEntry(section: "sales", order: 60), requires: FunctionAccess(entity: "quote", action: .read)),
            PluginPage("orders", path: "/orders", title: LocalizedText("订单合同", en: "Orders"),
                       menu: MenuEntry(section: "sales", order: 70), requires: FunctionAccess(entity: "order", action: .read)),
            PluginPage("quote", path: "/quotes/:id", title: LocalizedText("报价单详情", en: "Quote"),
                       requires: FunctionAccess(entity: "quote", action: .read)),
            PluginPage("order", path: "/orders/:id", title: LocalizedText("订单详情", en: "Order"),
                       requires: FunctionAccess(entity: "order", action: .read)),
            LinesSection.page("quote"),
            LinesSection.page("order"),
        ]
    }
}
