import CRMKernel
import Foundation

/// `crm.customers.claim`, `crm.customers.release`, `crm.customers.reclaim`, `crm.customers.pools`.
enum PoolScriptFunctions {
    static var all: [ScriptFunction] {
        [
            ScriptFunction("claim", summary: "crm.customers.claim(id) → the customer, now owned by the acting user (within quota, cap and cooldown)",
                           effect: .write, access: .update("customer")) { call in
                guard let id = call[0].integer else {
                    throw KernelError(.validation, "crm.customers.claim needs a customer id", entity: "customer")
                }
                return .record(try call.write { tx in try CustomerPool.claim(tx, id) })
            },
            ScriptFunction("release", summary: "crm.customers.release(id, reason) → the customer, back in its pool (owner or admin; reason required)",
                           effect: .write, access: .update("customer", recordArguments: [0])) { call in
                guard let id = call[0].integer else {
                    throw KernelError(.validation, "crm.customers.release needs a customer id and a reason: release(id, reason)", entity: "customer")
                }
                return .record(try call.write { tx in try CustomerPool.release(tx, id, reason: call[1].text) })
            },
            ScriptFunction("reclaim", summary: "crm.customers.reclaim{dry_run = true} → { {id, name, owner, reason, pool}, ... } customers that move back to their pools",
                           effect: .write, access: .read("customer")) { call in
                let options = call[0].fields ?? [:]
                if let unknown = options.keys.first(where: { $0 != "dry_run" }) {
                    throw KernelError(.validation, "crm.customers.reclaim: unknown option '\(unknown)' (known: dry_run)", entity: "customer")
                }
                let dryRun = options["dry_run"] == .value(.bool(true))
                if !dryRun, !call.actsAsAdministrator {
                    throw KernelError(.forbidden, "crm.customers.reclaim moves customers: it needs an administrator (use {dry_run = true} to look)", entity: "customer")
                }
                let report = dryRun ? try call.read { reader in try PoolReclaim.preview(reader, now: Date()) }
                    : try call.write { tx in try tx.asSystem { try PoolReclaim.run(tx, now: tx.now, dryRun: false) } }
                // A caller limited to some owners sees only their customers in the list.
                let visible = try call.access.flatMap { a in a.visibleOwners(try call.store.schema.entity("customer")).map(Set.init) }
                return .list(report.moves.filter { m in visible.map { v in m.owner.map(v.contains) ?? false } ?? true }.map { m in
                    var t: [String: ScriptValue] = ["id": .value(.integer(m.id)), "name": .value(.text(m.name)),
                                                    "reason": .value(.text(m.reason)), "pool": .value(.text(m.pool))]
                    if let owner = m.owner { t["owner"] = .value(.integer(owner)) }
                    return .table(t)
                })
            },
            ScriptFunction("pools", summary: "crm.customers.pools() → { {name, provinces, customers}, ... } the pools and how many customers each holds",
                           effect: .read, access: .read("customer")) { call in
                try call.read { reader in
                    .list(try CustomerPoolSummary.pools(reader).map { p in
                        .table(["name": .value(.text(p.name)), "provinces": .value(.list(p.provinces)),
                                "customers": .value(.integer(Int64(p.customers)))])
                    })
                }
            },
        ]
    }
}

/// The pools in force and how many customers each holds.
public enum CustomerPoolSummary {
    /// One pool and its size.
    public struct Entry: Sendable, Hashable {
        /// The pool's name.
        public var name: String
        /// The provinces it takes (empty: all others).
        public var provinces: [String]
        /// Customers without an owner in it.
        public var customers: Int
    }

    /// Every pool of the rules in force, with its count (an indexed count per pool).
    public static func pools(_ reader: RecordReader) throws -> [Entry] {
        try PoolRules.inForce(reader.schema).pools.map { pool in
            let n = try reader.count("customer", filter: .all([.eq("pool", .text(pool.name)),
                                                               .condition(field: "owner", op: .isEmpty, value: .null)]))
            return Entry(name: pool.name, provinces: pool.provinces, customers: n)
        }
    }
}
