import CRMKernel

/// What the stock roles may do with the payroll entities. 财务 (`finance`) runs payroll and sees
/// every salary; every other role sees only its own payslips (and a salesperson its own credits
/// and the plans). Statuses, totals and payslips are written only by the module.
enum PayrollGrants {
    /// Fields of a run the module computes or moves.
    static let runFields: Set<String> = ["status", "approval", "paid_on", "headcount", "gross", "tax", "net", "employer_cost"]

    static var all: [RoleGrant] {
        var grants = [
            RoleGrant("finance", "commission_credit", [.read, .create, .export], scope: .all),
            RoleGrant("finance", "commission_rule", RoleGrant.manage, scope: .all),
            RoleGrant("finance", "pay_profile", RoleGrant.manage, scope: .all),
            RoleGrant("finance", "pay_item", RoleGrant.manage, scope: .all),
            RoleGrant("finance", "payroll_run", [.read, .create, .update, .export], scope: .all, readOnly: runFields),
            RoleGrant("finance", "payslip", [.read, .export], scope: .all),
            RoleGrant("sales_manager", "commission_credit", [.read]),
            RoleGrant("sales_manager", "commission_rule", [.read], scope: .all),
            RoleGrant("sales_rep", "commission_credit", [.read], scope: .own),
            RoleGrant("sales_rep", "commission_rule", [.read], scope: .all),
        ]
        for role in ["sales_manager", "sales_rep", "marketing_manager", "service_manager", "service_agent"] {
            grants.append(RoleGrant(role, "payslip", [.read], scope: .own))
        }
        return grants
    }
}
