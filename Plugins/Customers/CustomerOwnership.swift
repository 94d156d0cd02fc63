import CRMKernel

/// Whole-book operations on customers: renaming and merging tags across every customer, and
/// transferring customers (with their open tasks) from one owner to another.
///
/// Each is one transaction of ordinary updates, so every change is validated, audited as the
/// acting user and published like any other write.
enum CustomerOwnership {
    /// Replaces the tags `from` with `into` on every customer that has one of them; returns how
    /// many customers changed. Tag lookups use the tag item index.
    static func retag(_ tx: WriteContext, from: [String], into: String) throws -> Int {
        let into = into.trimmingCharacters(in: .whitespaces)
        guard !into.isEmpty else { throw KernelError.invalid("customer", field: "tags", "the new tag name is empty") }
        let sources = Set(from.filter { $0 != into })
        guard !sources.isEmpty else { return 0 }
        var changed = 0
        for id in try ids(tx, .condition(field: "tags", op: .in, value: .list(Array(sources).sorted()))) {
            guard let record = try tx.reader.get("customer", id), case .list(let tags) = record["tags"] else { continue }
            var seen = Set<String>()
            let renamed = tags.map { sources.contains($0) ? into : $0 }.filter { seen.insert($0).inserted }
            try tx.update("customer", id, ["tags": .list(renamed)])
            changed += 1
        }
        return changed
    }

    /// What a transfer moved.
    struct Transfer {
        var customers = 0
        var tasks = 0
    }

    /// Gives `ids` (or, with nil, every customer of `from`) to `to`, with their tasks that are
    /// not done; returns the counts.
    static func transfer(_ tx: WriteContext, ids: [Int64]?, from: Int64?, to: Int64) throws -> Transfer {
        guard try tx.reader.exists("user", to) else { throw KernelError.recordNotFound("user", to) }
        var customers: [Int64]
        if let ids {
            customers = ids
            for id in ids where try !tx.reader.exists("customer", id) { throw KernelError.recordNotFound("customer", id) }
        } else {
            guard let from else {
                throw KernelError(.validation, "transfer of all customers needs the previous owner: {from = user_id}", entity: "customer")
            }
            customers = try self.ids(tx, .eq("owner", .integer(from)))
        }
        var result = Transfer()
        for id in customers {
            guard let record = try tx.reader.get("customer", id) else { continue }
            if let from, record["owner"] != .integer(from) { continue }
            if record["owner"] != .integer(to) {
                try tx.update("customer", id, ["owner": .integer(to)])
                result.customers += 1
            }
            let open = Filter.all([.eq("customer", .integer(id)), .condition(field: "status", op: .ne, value: .text(TaskStatus.done))])
            for task in try self.ids(tx, open, entity: "task") {
                guard let t = try tx.reader.get("task", task), t["assignee"] != .integer(to) else { continue }
                try tx.update("task", task, ["assignee": .integer(to), "owner": .integer(to)])
                result.tasks += 1
            }
        }
        return result
    }

    /// Every id of `entity` matching `filter`, read page by page.
    private static func ids(_ tx: WriteContext, _ filter: Filter, entity: String = "customer") throws -> [Int64] {
        var out: [Int64] = [], after: String? = nil
        repeat {
            let page = try tx.reader.find(Query(entity, filter: filter, sort: [SortKey("id")], limit: 500, after: after))
            out += page.records.map(\.id)
            after = page.nextCursor
        } while after != nil
        return out
    }
}

/// `crm.customers.rename_tag`, `crm.customers.merge_tags`, `crm.customers.transfer`.
enum OwnershipScriptFunctions {
    static var all: [ScriptFunction] {
        [
            ScriptFunction("rename_tag", summary: "crm.customers.rename_tag(old, new) → how many customers changed",
                           effect: .write, access: .admin("customer")) { call in
                guard let old = call[0].text, let new = call[1].text else {
                    throw KernelError(.validation, "crm.customers.rename_tag needs two tag names: rename_tag(old, new)", entity: "customer")
                }
                return .value(.integer(Int64(try call.write { tx in try CustomerOwnership.retag(tx, from: [old], into: new) })))
            },
            ScriptFunction("merge_tags", summary: "crm.customers.merge_tags({tag, ...}, into) → how many customers changed",
                           effect: .write, access: .admin("customer")) { call in
                guard case .list(let items) = call[0], let into = call[1].text else {
                    throw KernelError(.validation, "crm.customers.merge_tags needs a list of tags and the tag to keep: merge_tags({a, b}, into)", entity: "customer")
                }
                let tags = items.compactMap(\.text)
                return .value(.integer(Int64(try call.write { tx in try CustomerOwnership.retag(tx, from: tags, into: into) })))
            },
            ScriptFunction("transfer", summary: "crm.customers.transfer(ids or 'all', to_user, {from = user}) → {customers, tasks} moved",
                           effect: .write, access: .admin("customer")) { call in
                guard let to = call[1].integer else {
                    throw KernelError(.validation, "crm.customers.transfer needs the new owner's user id: transfer(ids, to_user)", entity: "customer")
                }
                let from = call[2].fields?["from"]?.integer
                var ids: [Int64]?
                switch call[0] {
                case .list(let items): ids = items.compactMap(\.integer)
                case .value(.integer(let id)): ids = [id]
                case .value(.text("all")): ids = nil
                default:
                    throw KernelError(.validation, "crm.customers.transfer takes a list of customer ids or 'all'", entity: "customer")
                }
                let moved = try call.write { tx in try CustomerOwnership.transfer(tx, ids: ids, from: from, to: to) }
                return .table(["customers": .value(.integer(Int64(moved.customers))), "tasks": .value(.integer(Int64(moved.tasks)))])
            },
        ]
    }
}
