import CRMKernel

/// The customers' 查重 for imports (`crm import customer FILE --on-duplicate …`): the same
/// matches as the duplicate rules in force (normalized name, phone, credit code, contact phone),
/// and a merge that follows `CustomerMerge`: the existing customer's empty fields are filled from
/// the row and the tags united; nothing it already has is overwritten.
extension CustomersPlugin: ImportDuplicateRules {
    /// The customer rule.
    public var importDuplicateRules: [ImportDuplicateRule] {
        [ImportDuplicateRule(entity: "customer", find: { reader, values in
            try CustomerDuplicates.find(reader, values, limit: 3).map {
                DuplicateCandidate(id: $0.id, title: $0.name, reason: $0.match.label)
            }
        }, merge: { tx, id, values in
            guard let existing = try tx.reader.get("customer", id) else { throw KernelError.recordNotFound("customer", id) }
            let incoming = Record(entity: "customer", id: 0, values: values)
            let changes = CustomerMerge.fill(existing, from: incoming, entity: try tx.schema.entity("customer"), ids: [id])
            return try tx.update("customer", id, changes)
        })]
    }
}
