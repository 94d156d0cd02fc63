import CRMKernel

/// What each `crm.customers.*` function needs when called over the API or by a
/// non-administrator: functions not listed are for administrators only.
enum CustomerFunctionAccess {
    static let table: [String: FunctionAccess] = [
        "primary_contact": FunctionAccess(entity: "customer", action: .read, recordArguments: [0]),
        "duplicates": FunctionAccess(entity: "customer", action: .read),
        "timeline": FunctionAccess(entity: "customer", action: .read, recordArguments: [0]),
        "merge": FunctionAccess(entity: "customer", action: .delete, recordArguments: [0, 1]),
        "rename_tag": FunctionAccess(entity: "customer", action: .admin),
        "merge_tags": FunctionAccess(entity: "customer", action: .admin),
        "transfer": FunctionAccess(entity: "customer", action: .admin),
        "claim": FunctionAccess(entity: "customer", action: .update),
        "release": FunctionAccess(entity: "customer", action: .update, recordArguments: [0]),
        "reclaim": FunctionAccess(entity: "customer", action: .read), // a real run checks for an administrator itself
        "pools": FunctionAccess(entity: "customer", action: .read),
        "attach": FunctionAccess(entity: "followup", action: .update, recordArguments: [0]),
    ]

    /// `functions` with their access requirements filled in from the table.
    static func apply(_ functions: [ScriptFunction]) -> [ScriptFunction] {
        functions.map { f in
            var f = f
            if f.access == nil { f.access = table[f.name] }
            return f
        }
    }
}
