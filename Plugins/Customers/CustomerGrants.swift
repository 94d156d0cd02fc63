import CRMKernel

/// What the stock roles may do with customers, contacts, follow-ups, tasks and the pool's
/// records (merged by the kernel into the roles; a company's pack may change a role after).
enum CustomerGrants {
    static var all: [RoleGrant] {
        let manage = RoleGrant.manage, work = RoleGrant.work
        return [
            // 销售经理: their team tree's records, and the 公海 (customers without an owner).
            RoleGrant("sales_manager", "customer", manage, unowned: true),
            RoleGrant("sales_manager", "contact", manage),
            RoleGrant("sales_manager", "followup", manage),
            RoleGrant("sales_manager", "task", manage),
            RoleGrant("sales_manager", "pool_event", [.read]),
            // 销售专员: their own records and the 公海; an owner changes only by claim, release or transfer.
            RoleGrant("sales_rep", "customer", work, readOnly: ["owner"], unowned: true),
            RoleGrant("sales_rep", "contact", work),
            RoleGrant("sales_rep", "followup", work),
            RoleGrant("sales_rep", "task", work),
            RoleGrant("sales_rep", "pool_event", [.read]),
            // 市场经理: every customer and contact, to read and export.
            RoleGrant("marketing_manager", "customer", [.read, .export], scope: .all),
            RoleGrant("marketing_manager", "contact", [.read], scope: .all),
            // 客服: every customer and contact to read; tasks like the rest of their work.
            RoleGrant("service_manager", "customer", [.read], scope: .all),
            RoleGrant("service_manager", "contact", [.read], scope: .all),
            RoleGrant("service_manager", "task", manage),
            RoleGrant("service_agent", "customer", [.read], scope: .all),
            RoleGrant("service_agent", "contact", [.read], scope: .all),
            RoleGrant("service_agent", "task", work),
            // 财务: every customer (scope all) to read and export.
            RoleGrant("finance", "customer", [.read, .export]),
            RoleGrant("finance", "contact", [.read]),
        ]
    }
}
