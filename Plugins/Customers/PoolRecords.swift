import CRMKernel
import Foundation

/// What the 公海 keeps in the database: the customer's `pool` and `assigned_at`, and one
/// `pool_event` per claim, release and reclaim (the daily quota and the cooldown are counted
/// from these).
///
/// The before-save hook keeps the customer's fields in step with its owner on every write
/// (forms, imports, transfers, merges alike): a customer given an owner is stamped
/// `assigned_at` and leaves its pool; a customer without an owner is put in the pool its rules
/// choose.
enum PoolRecords {
    /// Actions recorded in `pool_event`.
    static let actions = PoolAction.all

    /// `pool_event`: who took or gave back which customer, when and why.
    static var event: EntityDefinition {
        EntityDefinition("pool_event", label: LocalizedText("公海记录", en: "Pool event"), titleField: "action", fields: [
            FieldDefinition("customer", .reference, label: LocalizedText("客户", en: "Customer"), required: true, indexed: true, target: "customer"),
            FieldDefinition.choice("action", label: LocalizedText("动作", en: "Action"), actions, required: true),
            FieldDefinition("user", .user, label: LocalizedText("操作人", en: "User"), indexed: true),
            FieldDefinition("previous_owner", .user, label: LocalizedText("原负责人", en: "Previous owner"), indexed: true),
            FieldDefinition("pool", .text, label: LocalizedText("公海", en: "Pool"), maxLength: 64),
            FieldDefinition("reason", .text, label: LocalizedText("原因", en: "Reason"), maxLength: 500),
            FieldDefinition("at", .datetime, label: LocalizedText("时间", en: "At"), required: true, indexed: true),
        ])
    }

    /// The fields the pool adds to `customer`.
    static var extensions: [FieldExtension] {
        [
            FieldExtension(entity: "customer", field: FieldDefinition("pool", .text, label: LocalizedText("所属公海", en: "Pool"), indexed: true,
                                                                       maxLength: 64, help: "无负责人的客户所在的公海（按公海规则自动维护）")),
            FieldExtension(entity: "customer", field: FieldDefinition("assigned_at", .datetime, label: LocalizedText("分配时间", en: "Assigned at"),
                                                                       indexed: true, help: "负责人变更时自动记录")),
        ]
    }

    static var hooks: HookSet {
        var set = HookSet()
        set.onBeforeSave("customer") { ctx in apply(&ctx) }
        return set
    }

    /// Stamps `assigned_at` and sets or clears `pool` when the owner changes (or on create).
    static func apply(_ ctx: inout SaveContext) {
        guard ctx.operation != .delete else { return }
        let owner = ctx.values["owner"] ?? .null
        let ownerChanged = ctx.operation == .create || owner != (ctx.old?["owner"] ?? .null)
        if owner == .null {
            if (ctx.values["pool"] ?? .null) == .null || ownerChanged || ctx.changed("province") {
                let rules = PoolRules.inForce(ctx.tx.schema)
                ctx.values["pool"] = .text(rules.pool(forProvince: ctx.values["province"]?.textValue))
            }
        } else {
            if ctx.values["pool"] != nil, ctx.values["pool"] != .null { ctx.values["pool"] = .null }
            // An import may bring its own assignment time; otherwise the change is stamped now.
            let given = ctx.operation == .create && (ctx.values["assigned_at"] ?? .null) != .null
            if ownerChanged && !given { ctx.values["assigned_at"] = .datetime(ctx.tx.now) }
        }
    }

    /// Puts the customers that were already without an owner in their pools (once, when the
    /// module gains the 公海); a record that no longer passes validation is left as it is.
    static var migration: PluginMigration {
        PluginMigration(id: "customers.002-pool") { tx in
            let filter = Filter.all([.condition(field: "owner", op: .isEmpty, value: .null), .condition(field: "pool", op: .isEmpty, value: .null)])
            var after: String? = nil
            repeat {
                let page = try tx.reader.find(Query("customer", filter: filter, sort: [SortKey("id")], limit: 500, after: after))
                for record in page.records {
                    do { try tx.update("customer", record.id, [:]) } catch is KernelError { continue }
                }
                after = page.nextCursor
            } while after != nil
        }
    }

    /// Records a pool event in `tx`.
    static func record(_ tx: WriteContext, customer: Int64, action: String, user: Int64?, previousOwner: Value,
                       pool: String?, reason: String?) throws {
        var values: [String: Value] = ["customer": .integer(customer), "action": .text(action), "at": .datetime(tx.now),
                                       "previous_owner": previousOwner,
                                       // Owned by whoever acted (or lost the customer), so each sees their own history.
                                       "owner": user.map(Value.integer) ?? previousOwner]
        if let user { values["user"] = .integer(user) }
        if let pool { values["pool"] = .text(pool) }
        if let reason { values["reason"] = .text(reason) }
        try tx.create("pool_event", values)
    }
}
