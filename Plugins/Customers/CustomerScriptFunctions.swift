import CRMKernel

/// `crm.customers.*` functions.
enum CustomerScriptFunctions {
    static var all: [ScriptFunction] {
        [
            ScriptFunction("primary_contact", summary: "crm.customers.primary_contact(customer_id) → the primary contact or nil",
                           effect: .read, access: .read("customer", recordArguments: [0])) { call in
                guard let id = call[0].integer else { throw KernelError(.validation, "crm.customers.primary_contact needs a customer id") }
                return try call.read { reader in
                    guard try reader.exists("customer", id) else { throw KernelError.recordNotFound("customer", id) }
                    let page = try reader.find(Query("contact", filter: .all([.eq("customer", .integer(id)), .eq("is_primary", .bool(true))]),
                                                     sort: [SortKey("id")], limit: 1))
                    return page.records.first.map(ScriptValue.record) ?? .null
                }
            },
        ]
    }
}
