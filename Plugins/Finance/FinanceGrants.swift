import CRMKernel

/// What the stock roles may do with the finance entities. 财务 manages everything; a 销售专员
/// sees their own orders' installments and receipts, records receipts and invoice requests and
/// claims expenses, but the fields the module moves (statuses, numbers, allocations, invoice
/// numbers, payment dates) are read-only to them, and approval steps name 财务 or managers,
/// never the rep; a 销售经理 sees the team's and decides the manager step of expense claims.
enum FinanceGrants {
    /// Fields only the module writes, per entity.
    static let moduleFields: [String: Set<String>] = [
        "payment_plan": ["received", "paid_on", "cancelled", "customer", "team", "owner"],
        "payment": ["number", "status", "approval", "approved_at", "allocated", "reject_reason", "reversal_reason", "reversed_on",
                    "customer", "team", "owner"],
        "invoice": ["number", "invoice_no", "issued_on", "status", "red", "reverses", "reversed_by", "reason", "approval", "reject_reason",
                    "tax", "net"],
        "expense": ["number", "total", "offset", "payable", "status", "account", "paid_on", "approval", "reject_reason", "team", "owner"],
        "expense_line": ["paid_on"],
    ]

    static var all: [RoleGrant] {
        var grants: [RoleGrant] = []
        let all = ["payment_plan", "payment", "payment_allocation", "fund_account", "fund_movement", "invoice_title", "invoice", "expense", "expense_line"]
        for entity in all {
            let computed = entity == "payment_plan" ? ["received", "paid_on", "cancelled", "customer", "team"] : (moduleFields[entity] ?? []).subtracting(["owner", "account"])
            grants.append(RoleGrant("finance", entity, RoleGrant.manage, scope: .all, readOnly: Set(computed)))
        }
        grants += [
            RoleGrant("sales_rep", "payment_plan", RoleGrant.work, readOnly: moduleFields["payment_plan"] ?? []),
            RoleGrant("sales_rep", "payment", RoleGrant.work, readOnly: moduleFields["payment"] ?? []),
            RoleGrant("sales_rep", "payment_allocation", [.read]),
            RoleGrant("sales_rep", "fund_account", [.read], scope: .all, hidden: ["opening_balance", "account_no"]),
            RoleGrant("sales_rep", "invoice_title", RoleGrant.work, scope: .all),
            RoleGrant("sales_rep", "invoice", RoleGrant.work, readOnly: moduleFields["invoice"] ?? []),
            RoleGrant("sales_rep", "expense", RoleGrant.work, readOnly: moduleFields["expense"] ?? []),
            RoleGrant("sales_rep", "expense_line", RoleGrant.manage, readOnly: moduleFields["expense_line"] ?? []),
            RoleGrant("sales_manager", "payment_plan", RoleGrant.work, readOnly: moduleFields["payment_plan"] ?? []),
            RoleGrant("sales_manager", "payment", RoleGrant.work, readOnly: moduleFields["payment"] ?? []),
            RoleGrant("sales_manager", "payment_allocation", [.read]),
            RoleGrant("sales_manager", "fund_account", [.read], scope: .all, hidden: ["opening_balance", "account_no"]),
            RoleGrant("sales_manager", "invoice_title", RoleGrant.work, scope: .all),
            RoleGrant("sales_manager", "invoice", RoleGrant.work, readOnly: moduleFields["invoice"] ?? []),
            RoleGrant("sales_manager", "expense", RoleGrant.work, readOnly: moduleFields["expense"] ?? []),
            RoleGrant("sales_manager", "expense_line", RoleGrant.manage, readOnly: moduleFields["expense_line"] ?? []),
        ]
        return grants
    }
}
