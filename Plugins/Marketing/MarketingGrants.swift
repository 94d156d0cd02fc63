import CRMKernel

/// What the stock roles may do with the marketing module's records (merged by the kernel into
/// the roles; a company's pack may change a role after).
enum MarketingGrants {
    static var all: [RoleGrant] {
        let manage = RoleGrant.manage, work = RoleGrant.work
        return [
            // 市场经理: runs campaigns, their costs and every lead; follows leads up too.
            RoleGrant("marketing_manager", "campaign", manage, scope: .all),
            RoleGrant("marketing_manager", "campaign_cost", manage, scope: .all),
            RoleGrant("marketing_manager", "lead", manage.union([.admin]), scope: .all),
            RoleGrant("marketing_manager", "lead_touch", [.read, .export], scope: .all),
            RoleGrant("marketing_manager", "lead_pool_event", [.read], scope: .all),
            RoleGrant("marketing_manager", "lead_assignment_count", [.read], scope: .all),
            // Messages: templates, 退订 and the send log; the kernel outbox to read.
            RoleGrant("marketing_manager", "message_template", manage, scope: .all),
            RoleGrant("marketing_manager", "message_opt_out", manage, scope: .all),
            RoleGrant("marketing_manager", "marketing_send", [.read, .export], scope: .all),
            RoleGrant("marketing_manager", "message", [.read], scope: .all),
            // 销售经理: their team's leads, campaigns to read.
            RoleGrant("sales_manager", "lead", manage),
            RoleGrant("sales_manager", "lead_touch", [.read], scope: .all),
            RoleGrant("sales_manager", "campaign", [.read], scope: .all),
            RoleGrant("sales_manager", "lead_pool_event", [.read]),
            // 销售专员: the leads assigned to them (own scope) and the lead pool (unowned).
            RoleGrant("sales_rep", "lead", work, readOnly: ["owner", "score", "assignment_rule"], unowned: true),
            RoleGrant("sales_rep", "lead_touch", [.read], scope: .all),
            RoleGrant("sales_rep", "campaign", [.read], scope: .all),
            RoleGrant("sales_rep", "lead_pool_event", [.read]),
        ]
    }
}
