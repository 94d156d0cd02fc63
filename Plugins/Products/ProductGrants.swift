import CRMKernel

/// What the stock roles may do with the catalog, stock and price books. The administrator does
/// everything (the kernel's admin role); the cost price is hidden from every sales, marketing
/// and service role and seen by finance. Stock moves are written by the ledger on the account
/// of the documents that cause them (orders), or by hand by an administrator.
enum ProductGrants {
    /// Entities every role reads across the company (scope all).
    static let catalog = ["product", "product_category", "product_image", "warehouse", "stock_move", "price_book", "price_book_entry"]
    /// Roles that never see the cost price.
    static let costHidden = ["sales_rep", "sales_manager", "marketing_manager", "service_manager", "service_agent"]

    static var all: [RoleGrant] {
        var grants: [RoleGrant] = []
        for role in costHidden + ["finance"] {
            for entity in catalog {
                let hidden: Set<String> = entity == "product" && costHidden.contains(role) ? ["cost_price"] : []
                let actions: Set<AccessAction> = role == "finance" ? [.read, .export] : [.read]
                grants.append(RoleGrant(role, entity, actions, scope: .all, hidden: hidden))
            }
        }
        // 销售经理 keep the price books their team sells from.
        grants.append(RoleGrant("sales_manager", "price_book", RoleGrant.manage, scope: .all))
        grants.append(RoleGrant("sales_manager", "price_book_entry", RoleGrant.manage, scope: .all))
        return grants
    }
}
