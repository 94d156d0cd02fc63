import CRMKernel

/// `crm.customers.duplicates` and `crm.customers.merge`.
enum DuplicateScriptFunctions {
    static var all: [ScriptFunction] {
        [
            ScriptFunction("duplicates", summary: "crm.customers.duplicates(fields or customer_id) → { {id, name, match}, ... } existing customers it duplicates",
                           effect: .read, access: .read("customer")) { call in
                try call.read { reader in
                    let (values, own) = try subject(call[0], reader)
                    // Every customer counts as a duplicate, but one the caller cannot see is
                    // reported without its id, name or owner: only that it exists and is held
                    // by someone else.
                    let found = try CustomerDuplicates.find(reader.system, values, excluding: own)
                    return .list(try found.map { match -> ScriptValue in
                        guard try reader.exists("customer", match.id) else {
                            return .table(["match": .value(.text(match.match.rawValue)), "visible": .value(.bool(false)),
                                           "message": .value(.text(match.messageWithoutDetails))])
                        }
                        return .table(["id": .value(.integer(match.id)), "name": .value(.text(match.name)),
                                       "match": .value(.text(match.match.rawValue)), "visible": .value(.bool(true))])
                    })
                }
            },
            ScriptFunction("merge", summary: "crm.customers.merge(keep_id, other_id) → the kept customer; moves every reference to other, then deletes it",
                           effect: .write, access: .delete("customer", recordArguments: [0, 1])) { call in
                guard let keep = call[0].integer, let other = call[1].integer else {
                    throw KernelError(.validation, "crm.customers.merge needs two customer ids: merge(keep_id, other_id)", entity: "customer")
                }
                // Both customers are the caller's to delete (the function's access checked it);
                // moving every reference over is the module's own work.
                return .record(try call.write { tx in
                    let caller = tx.access
                    return caller.redact(try tx.asSystem { try CustomerMerge.merge(tx, keep: keep, other: other) })
                })
            },
        ]
    }

    /// The customer fields to check and the record's own id: from a customer id, a record, or a
    /// table of fields (whose `id`, when present, is excluded from the results).
    static func subject(_ argument: ScriptValue, _ reader: RecordReader) throws -> ([String: Value], Int64?) {
        switch argument {
        case .value(.integer(let id)):
            guard let record = try reader.get("customer", id) else { throw KernelError.recordNotFound("customer", id) }
            return (record.values, id)
        case .record(let record):
            return (record.values, record.id)
        case .table(let fields):
            var values: [String: Value] = [:]
            for (name, value) in fields { if case .value(let v) = value { values[name] = v } }
            return (values, values["id"]?.integerValue)
        case .list(let items) where items.isEmpty:
            return ([:], nil)
        default:
            throw KernelError(.validation, "crm.customers.duplicates needs a customer id or a table of customer fields", entity: "customer")
        }
    }
}
