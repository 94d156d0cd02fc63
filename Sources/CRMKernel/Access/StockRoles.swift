/// The stock roles' base definitions, owned by the kernel: label, record scope and what each may
/// do with the kernel's own entities (users, teams, notifications). Modules add what their
/// entities need with `Plugin.grants`; a company's pack changes or replaces a role afterwards.
public enum StockRoles {
    /// List and mark read one's own notifications.
    static let mine: Set<AccessAction> = [.read, .update]

    /// The base definitions, in `KernelEntities.stockRoles` order.
    public static var base: [RoleDefinition] {
        KernelEntities.stockRoles.map { id, label in
            if id == "admin" {
                return RoleDefinition(id: id, label: label, grants: ["*": Set(AccessAction.allCases)], scope: .all)
            }
            let scope: RecordScope = switch id {
            case "sales_rep", "service_agent": .own
            case "finance": .all
            default: .teamTree
            }
            // Whatever the role's scope, a user's notifications are their own.
            return RoleDefinition(id: id, label: label,
                                  grants: ["user": [.read], "team": [.read], "notification": mine],
                                  scope: scope, scopes: ["notification": .own])
        }
    }

    /// Ids of the stock roles.
    public static var ids: Set<String> { Set(KernelEntities.stockRoles.map(\.id)) }

    /// The base definitions with `grants` merged in, in order.
    public static func merged(_ grants: [RoleGrant]) -> [RoleDefinition] {
        base.map { role in grants.filter { $0.role == role.id }.reduce(role) { $0.merging($1) } }
    }
}
