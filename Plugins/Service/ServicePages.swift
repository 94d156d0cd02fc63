import CRMKernel

/// The service module's pages in the web interface, with their menu entries (`/tickets/:id` is
/// the module's ticket page, `TicketPage`, with its conversation and SLA clock; the others
/// render generically).
enum ServicePages {
    static var all: [PluginPage] {
        [
            PluginPage("tickets", path: "/tickets", title: LocalizedText("工单", en: "Tickets"),
                       menu: MenuEntry(section: "service", order: 10), requires: FunctionAccess(entity: "ticket", action: .read)),
            PluginPage("ticket", path: "/tickets/:id", title: LocalizedText("工单详情", en: "Ticket"),
                       requires: FunctionAccess(entity: "ticket", action: .read), view: TicketPage.view),
            PluginPage("articles", path: "/kb", title: LocalizedText("知识库", en: "Knowledge base"),
                       menu: MenuEntry(section: "service", order: 20), requires: FunctionAccess(entity: "kb_article", action: .read)),
            PluginPage("templates", path: "/reply-templates", title: LocalizedText("快捷回复", en: "Reply templates"),
                       menu: MenuEntry(section: "service", order: 30), requires: FunctionAccess(entity: "reply_template", action: .read)),
        ]
    }
}
