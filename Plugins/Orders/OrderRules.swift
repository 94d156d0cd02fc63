import CRMKernel
import Foundation

/// The module's hooks: numbers, versions and teams on new documents; locked documents refuse
/// changes to their amounts; totals follow the lines, the order discount and the status.
enum OrderRules {
    /// Header fields that move the amounts: refused while the document is locked.
    static let amountFields = ["order_discount", "customer"]

    static var hooks: HookSet {
        var set = HookSet()
        for entity in ["order", "quote"] {
            // Last, so the stage gate has filled the first status and checked the move.
            set.onBeforeSaveLast(entity) { ctx in try stamp(&ctx) }
            set.onAfterSave(entity) { ctx in
                guard ctx.operation != .delete else { return }
                if ctx.operation == .create || ["order_discount", "status", "signed_date", "approved_at"].contains(where: ctx.changed) {
                    try OrderTotals.recompute(ctx.tx, OrderDocuments.Ref(entity: entity, id: ctx.record.id))
                }
            }
        }
        set.onBeforeSave("order_line") { ctx in try LineRules.check(&ctx) }
        set.onAfterSave("order_line") { ctx in
            let values = ctx.operation == .delete ? (ctx.old?.values ?? [:]) : ctx.record.values
            guard ctx.operation != .update || LineRules.pricedFields.contains(where: ctx.changed),
                  values["batch"] != .bool(true), let doc = OrderDocuments.ref(of: values) else { return }
            try OrderTotals.recompute(ctx.tx, doc)
        }
        set.onBeforeSave("order_revision") { ctx in
            if ctx.operation != .create { ctx.reject("snapshot", "订单历史版本只读 (an order revision is read-only)") }
        }
        return set
    }

    /// Stamps number, version and team; refuses amount changes on a locked document and
    /// deleting anything but a draft.
    static func stamp(_ ctx: inout SaveContext) throws {
        let settings = OrderSettings.current(ctx.tx.schema)
        switch ctx.operation {
        case .delete:
            guard let old = ctx.old else { return }
            let draft = old.entity == "order" ? old["status"] == .text(settings.status("draft")) : old["superseded"] != .bool(true) && old["order"].isEmpty
            if !draft { ctx.reject("status", "只能删除草稿 (only a draft can be deleted; void the order instead)") }
        case .create:
            if (ctx.values["number"] ?? .null).isEmpty { ctx.values["number"] = .text(try ctx.tx.nextNumber(ctx.entity)) }
            if (ctx.values["doc_version"] ?? .null).isEmpty { ctx.values["doc_version"] = .integer(1) }
            try stampTeam(&ctx)
        case .update:
            if ctx.changed("owner") { try stampTeam(&ctx) }
            guard let old = ctx.old, let reason = OrderDocuments.lockReason(old, settings) else { return }
            // Still locked after this write (a module action may unlock it by moving the status).
            var after = old
            after.values = ctx.values
            guard OrderDocuments.lockReason(after, settings) != nil else { return }
            for field in amountFields where ctx.changed(field) { ctx.reject(field, reason) }
        }
    }

    /// The owner's team, kept on the document for the by-team report.
    private static func stampTeam(_ ctx: inout SaveContext) throws {
        guard let owner = ctx.values["owner"]?.integerValue else { return }
        let team = try ctx.tx.asSystem { try ctx.tx.reader.get("user", owner)?["team"] } ?? .null
        ctx.values["team"] = team
    }
}
