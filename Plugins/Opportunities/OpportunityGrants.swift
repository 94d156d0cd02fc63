import CRMKernel

/// What the stock roles may do with opportunities, their stage history and sales targets
/// (merged by the kernel into the roles; a company's pack may change a role after).
enum OpportunityGrants {
    static var all: [RoleGrant] {
        [
            RoleGrant("sales_manager", "opportunity", RoleGrant.manage),
            RoleGrant("sales_manager", "opportunity_stage", [.read]),
            RoleGrant("sales_manager", "sales_target", RoleGrant.manage),
            // A rep's deals change owner only by an administrator or a manager.
            RoleGrant("sales_rep", "opportunity", RoleGrant.work, readOnly: ["owner"]),
            RoleGrant("sales_rep", "opportunity_stage", [.read]),
            RoleGrant("sales_rep", "sales_target", [.read]),
            RoleGrant("finance", "opportunity", [.read, .export]),
            RoleGrant("finance", "sales_target", [.read]),
        ]
    }
}
