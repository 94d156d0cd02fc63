import CRMKernel

/// Merging two customers found to be the same company: `crm.customers.merge(keep_id, other_id)`.
public enum CustomerMerge {
    /// Fields never copied from the merged customer (keys are recomputed, tags are united).
    static let notCopied: Set<String> = [CustomerDuplicates.nameKey, CustomerDuplicates.phoneKey,
                                         CustomerDuplicates.warning, "tags"]

    /// Merges `other` into `keep` in the caller's transaction and returns the kept customer.
    ///
    /// Every record of every entity in the schema in force that refers to `other` (contacts,
    /// follow-ups, tasks, opportunities, company entities ...) is moved to `keep` (moved contacts
    /// stop being primary when `keep` already has a primary contact); `other` is deleted; `keep`'s
    /// empty fields are filled from `other` and the tags united. Each of these writes is audited
    /// as the acting user, plus one `merge` entry on `keep`, and `customer.merged` is published.
    /// Merging a customer into itself or a missing customer throws before anything is written.
    @discardableResult
    public static func merge(_ tx: WriteContext, keep keepID: Int64, other otherID: Int64) throws -> Record {
        guard keepID != otherID else {
            throw KernelError(.validation, "cannot merge customer \(keepID) into itself", entity: "customer")
        }
        guard try tx.reader.exists("customer", keepID) else { throw KernelError.recordNotFound("customer", keepID) }
        guard let other = try tx.reader.get("customer", otherID) else { throw KernelError.recordNotFound("customer", otherID) }
        let moved = try moveReferences(tx, from: otherID, to: keepID)
        try tx.delete("customer", otherID)
        guard let keep = try tx.reader.get("customer", keepID) else { throw KernelError.recordNotFound("customer", keepID) }
        var changes = fill(keep, from: other, entity: try tx.schema.entity("customer"), ids: [keepID, otherID])
        changes[CustomerDuplicates.warning] = try CustomerDuplicates.warningText(tx.reader, keep.values.merging(changes) { $1 }, excluding: keepID)
        let kept = try tx.update("customer", keepID, changes)
        var audit: [(String, Value, Value)] = [("merged_id", .null, .integer(otherID)), ("merged_name", .null, other["name"])]
        for (entity, count) in moved.sorted(by: { $0.key < $1.key }) { audit.append(("moved_\(entity)", .null, .integer(Int64(count)))) }
        try tx.audit("merge", entity: "customer", recordID: keepID, changes: audit)
        try tx.publish("customer.merged", entity: "customer", recordID: keepID, payload: kept.values.merging(["id": .integer(keepID)]) { $1 },
                       previous: ["merged_id": .integer(otherID)])
        return kept
    }

    /// Points every reference to customer `from` at `to`; returns how many records moved per entity.
    static func moveReferences(_ tx: WriteContext, from otherID: Int64, to keepID: Int64) throws -> [String: Int] {
        var moved: [String: Int] = [:]
        let demotePrimary = try keepHasPrimaryContact(tx, keepID)
        for name in tx.schema.entityNames {
            guard let entity = tx.schema.entities[name] else { continue }
            for field in entity.fields where field.type == .reference && field.target == "customer" && !field.system {
                var after: String? = nil
                repeat {
                    let page = try tx.reader.find(Query(name, filter: .eq(field.name, .integer(otherID)), sort: [SortKey("id")],
                                                        limit: 500, after: after))
                    for record in page.records {
                        var change: [String: Value] = [field.name: .integer(keepID)]
                        if name == "customer" && (record.id == keepID || record.id == otherID) {
                            change = [field.name: .null]  // no customer refers to itself, nor to the one deleted
                        } else if name == "contact" && field.name == "customer" && demotePrimary && record["is_primary"] == .bool(true) {
                            change["is_primary"] = .bool(false)
                        }
                        try tx.update(name, record.id, change)
                        moved[name, default: 0] += 1
                    }
                    after = page.nextCursor
                } while after != nil
            }
        }
        return moved
    }

    static func keepHasPrimaryContact(_ tx: WriteContext, _ keepID: Int64) throws -> Bool {
        guard tx.schema.entities["contact"]?.fieldsByName["is_primary"] != nil else { return false }
        return try tx.reader.count("contact", filter: .all([.eq("customer", .integer(keepID)), .eq("is_primary", .bool(true))])) > 0
    }

    /// `keep`'s empty fields taken from `other`, and the union of their tags.
    static func fill(_ keep: Record, from other: Record, entity: EntitySchema, ids: Set<Int64>) -> [String: Value] {
        var changes: [String: Value] = [:]
        for field in entity.fields where !field.system && !notCopied.contains(field.name) {
            let theirs = other[field.name]
            guard keep[field.name].isEmpty, !theirs.isEmpty else { continue }
            if field.type == .reference, field.target == "customer", let ref = theirs.integerValue, ids.contains(ref) { continue }
            changes[field.name] = theirs
        }
        if case .list(let theirs) = other["tags"], !theirs.isEmpty {
            var tags: [String] = []
            if case .list(let mine) = keep["tags"] { tags = mine }
            for tag in theirs where !tags.contains(tag) { tags.append(tag) }
            changes["tags"] = .list(tags)
        }
        return changes
    }
}
