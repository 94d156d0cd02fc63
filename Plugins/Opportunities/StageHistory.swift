import CRMKernel
import Foundation

/// The stage history (`opportunity_stage`): one row per stay of an opportunity in a stage.
///
/// Entering a stage (on create, or when `stage` changes) closes the open stay (its `left_at`,
/// `next_stage` and `dwell_seconds`) and opens a new one; other changes of `amount` or `owner`
/// are copied to the open stay, so "as of" reports see the latest figures of every stay.
enum StageHistory {
    /// The after-save hook on `opportunity`.
    static func record(_ ctx: AfterSaveContext) throws {
        let opp = ctx.record
        guard case .text(let stage) = opp["stage"] else { return }
        let open = ctx.operation == .update ? try openStay(ctx.tx.reader, opp.id) : nil
        if ctx.operation == .create || ctx.changed("stage") {
            var at = ctx.tx.now
            if case .datetime(let entered) = opp["stage_entered_at"] { at = entered }
            if let open, case .datetime(let since) = open["at"] {
                try ctx.tx.update("opportunity_stage", open.id, [
                    "left_at": .datetime(at), "next_stage": .text(stage),
                    "dwell_seconds": .integer(Int64(max(0, at.timeIntervalSince(since)))),
                ])
            }
            try ctx.tx.create("opportunity_stage", [
                "opportunity": .integer(opp.id), "pipeline": opp["pipeline"], "from_stage": ctx.old?["stage"] ?? .null,
                "to_stage": .text(stage), "moved_by": ctx.tx.user.id.map(Value.integer) ?? .null,
                "at": .datetime(at), "amount": opp["amount"], "owner": opp["owner"],
            ])
        } else if let open, ctx.changed("amount") || ctx.changed("owner") || ctx.changed("pipeline") {
            try ctx.tx.update("opportunity_stage", open.id, ["amount": opp["amount"], "owner": opp["owner"], "pipeline": opp["pipeline"]])
        }
    }

    /// The stay not yet left, if any.
    static func openStay(_ reader: RecordReader, _ opportunity: Int64) throws -> Record? {
        try reader.find(Query("opportunity_stage", filter: .all([.eq("opportunity", .integer(opportunity)),
                                                                 .condition(field: "left_at", op: .isEmpty, value: .null)]),
                              sort: [SortKey("id", descending: true)], limit: 1)).records.first
    }

    /// Every stay of an opportunity, oldest first.
    static func stays(_ reader: RecordReader, _ opportunity: Int64) throws -> [Record] {
        try reader.find(Query("opportunity_stage", filter: .eq("opportunity", .integer(opportunity)), sort: [SortKey("id")], limit: 1000)).records
    }
}
