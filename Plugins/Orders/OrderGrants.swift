import CRMKernel

/// What the stock roles may do with quotes, orders, their lines and revisions. Lines are
/// written through `crm.orders.*` (which checks the caller may update the document); cost and
/// margin are hidden from 销售专员; statuses, numbers and totals move only through the module.
enum OrderGrants {
    /// Fields of both documents the module computes or moves itself.
    static let computed: Set<String> = ["number", "status", "doc_version", "list_total", "subtotal", "discount_amount", "total", "tax", "cost",
                                        "margin", "discount_percent", "margin_percent", "line_count", "team"]
    /// The same per document.
    static let moduleFields: [String: Set<String>] = [
        "order": computed.union(["received", "outstanding", "submitted_at", "approved_at", "approval", "reject_reason", "void_reason",
                                 "change_reason", "stock_state", "opportunity_amount", "quote"]),
        "quote": computed.union(["superseded", "previous", "order"]),
    ]
    /// What a 销售专员 may not see.
    static let costFields: Set<String> = ["cost", "margin", "margin_percent"]
    static let lineCostFields: Set<String> = ["unit_cost", "cost", "margin"]

    static var all: [RoleGrant] {
        var grants: [RoleGrant] = []
        for doc in ["quote", "order"] {
            grants += [
                RoleGrant("sales_manager", doc, RoleGrant.manage, readOnly: moduleFields[doc] ?? []),
                RoleGrant("sales_rep", doc, RoleGrant.work, hidden: costFields, readOnly: (moduleFields[doc] ?? []).union(["owner"])),
                RoleGrant("finance", doc, [.read, .export], scope: .all),
            ]
        }
        grants += [
            RoleGrant("sales_manager", "order_line", [.read, .export]),
            RoleGrant("sales_rep", "order_line", [.read], hidden: lineCostFields),
            RoleGrant("finance", "order_line", [.read, .export], scope: .all),
            RoleGrant("sales_manager", "order_revision", [.read]),
            RoleGrant("sales_rep", "order_revision", [.read]),
            RoleGrant("finance", "order_revision", [.read], scope: .all),
        ]
        return grants
    }
}
