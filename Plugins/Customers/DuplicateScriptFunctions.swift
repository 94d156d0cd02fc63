import CRMKernel

/// `crm.customers.duplicates` and `crm.customers.merge`.
enum DuplicateScriptFunctions {
    static var all: [ScriptFunction] {
        [
            ScriptFunction("duplicates", summary: "crm.customers.duplicates(fields or customer_id) → { {id, name, match}, ... } existing customers it duplicates",
                           effect: .read, access: .read("customer")) { call in
                try call.read { reader in
                    let (values, own) = try subject(call[0], reader)
                    let found = try CustomerDuplicates.find(reader, values, excluding: own)
                    return .list(found.map { .table(["id": .value(.integer($0.id)), "name": .value(.text($0.name)),
                                                     "match": .value(.text($0.match.rawValue))]) })
                }
            },
            ScriptFunction("merge", summary: "crm.customers.merge(keep_id, other_id) → the kept customer; moves every reference to other, then deletes it",
                           effect: .write, access: .delete("customer", recordArguments: [0, 1])) { call in
                guard let keep = call[0].integer, let other = call[1].integer else {
                    throw KernelError(.validation, "crm.customers.merge needs two customer ids: merge(keep_id, other_id)", entity: "customer")
                }
                return .record(try call.write { tx in try CustomerMerge.merge(tx, keep: keep, other: other) })
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
