import CRMKernel

/// What the stock roles may do with the service module's records (merged by the kernel into
/// the roles; a company's pack may change a role after).
enum ServiceGrants {
    static var all: [RoleGrant] {
        let manage = RoleGrant.manage, work = RoleGrant.work
        return [
            // 客服主管: every ticket, templates, the knowledge base, ratings and reports.
            RoleGrant("service_manager", "ticket", manage.union([.admin]), scope: .all),
            RoleGrant("service_manager", "ticket_message", manage, scope: .all),
            RoleGrant("service_manager", "ticket_status", [.read, .export], scope: .all),
            RoleGrant("service_manager", "ticket_rating", [.read, .export], scope: .all, hidden: ["nonce"]),
            RoleGrant("service_manager", "reply_template", manage, scope: .all),
            RoleGrant("service_manager", "kb_category", manage, scope: .all),
            RoleGrant("service_manager", "kb_article", manage, scope: .all),
            RoleGrant("service_manager", "service_route_cursor", [.read], scope: .all),
            RoleGrant("service_manager", "customer", [.read], scope: .all),
            RoleGrant("service_manager", "contact", [.read], scope: .all),
            // 客服专员: their tickets (own scope) and unassigned ones, the conversation, templates
            // and articles to use, drafts of articles.
            RoleGrant("service_agent", "ticket", work, readOnly: ["sla_escalated", "sla_breached", "sla_response_seconds", "sla_resolution_seconds", "routing_rule"], unowned: true),
            RoleGrant("service_agent", "ticket_message", work, scope: .all),
            RoleGrant("service_agent", "ticket_status", [.read], scope: .all),
            RoleGrant("service_agent", "ticket_rating", [.read], hidden: ["nonce"]),
            RoleGrant("service_agent", "reply_template", [.read], scope: .all),
            RoleGrant("service_agent", "kb_category", [.read], scope: .all),
            RoleGrant("service_agent", "kb_article", work, scope: .all),
            RoleGrant("service_agent", "customer", [.read], scope: .all),
            RoleGrant("service_agent", "contact", [.read], scope: .all),
            // Salespeople see their customers' tickets.
            RoleGrant("sales_manager", "ticket", [.read]),
            RoleGrant("sales_rep", "ticket", [.read]),
        ]
    }
}
