import CRMKernel

/// What each `crm.opportunities.*` function needs over the API or as a non-administrator:
/// moves need `update` on the opportunity (which the caller must see); reports need `read`
/// and cover only the opportunities the caller sees.
enum OpportunityFunctionAccess {
    static let table: [String: (action: AccessAction, records: [Int])] = [
        "move": (.update, [0]),
        "win": (.update, [0]),
        "lose": (.update, [0]),
        "history": (.read, [0]),
    ]
}
