import CRMKernel
import Foundation

/// What the module adds to the kernel's stage gate on every opportunity write: it records the
/// pipeline, stamps when the stage was entered, won and closed, demands a loss reason in every
/// lost stage, and keeps the stage history (`opportunity_stage`) in the same transaction.
enum StageRules {
    static var hooks: HookSet {
        var set = HookSet()
        // Last, so the stage gate has filled the first stage and checked the move.
        set.onBeforeSaveLast("opportunity") { ctx in try stamp(&ctx) }
        set.onAfterSave("opportunity") { ctx in try StageHistory.record(ctx) }
        set.onBeforeSave("sales_target") { ctx in
            guard ctx.operation != .delete else { return }
            if !(ctx.values["user"] ?? .null).isEmpty, !(ctx.values["team"] ?? .null).isEmpty {
                ctx.reject("user", "a sales target is for one user, one team or the company (set user or team, not both)")
            }
            if (ctx.values["level"] ?? .null).isEmpty { ctx.values["level"] = .text("目标") }
            if (ctx.values["amount"] ?? .null).isEmpty, (ctx.values["quantity"] ?? .null).isEmpty {
                ctx.reject("amount", "a target needs an amount (money kinds) or a quantity (counted measures)")
            }
        }
        return set
    }

    /// Stamps pipeline, stage_entered_at, opened_at, won_date, closed_date and cycle_days.
    static func stamp(_ ctx: inout SaveContext) throws {
        guard ctx.operation != .delete, let pipeline = PipelineLookup(ctx.tx.schema).pipeline(for: ctx.values),
              let stageName = ctx.values["stage"]?.textValue, let stage = pipeline.stage(stageName) else { return }
        ctx.values["pipeline"] = .text(pipeline.name)
        let now = ctx.tx.now
        if ctx.operation == .create {
            if (ctx.values["stage_entered_at"] ?? .null).isEmpty { ctx.values["stage_entered_at"] = .datetime(now) }
            if (ctx.values["opened_at"] ?? .null).isEmpty { ctx.values["opened_at"] = ctx.values["stage_entered_at"] }
        } else {
            guard ctx.changed("stage") else { return }
            if !ctx.changed("stage_entered_at") { ctx.values["stage_entered_at"] = .datetime(now) }
        }
        guard case .datetime(let entered) = ctx.values["stage_entered_at"] ?? .null else { return }
        if stage.outcome == .lost, (ctx.values["loss_reason"] ?? .null).isEmpty {
            ctx.reject("loss_reason", "输单必须填写原因 (a lost opportunity needs a loss reason)")
            return
        }
        // A value the writer set in this very write wins over the stamp.
        func givenNow(_ name: String) -> Bool { ctx.changed(name) && !(ctx.values[name] ?? .null).isEmpty }
        let day = Value.text(try WorkspaceCalendar(ctx.tx.reader).day(of: entered))
        switch stage.outcome {
        case .won?:
            if !givenNow("won_date") { ctx.values["won_date"] = day }
            if !givenNow("closed_date") { ctx.values["closed_date"] = day }
        case .lost?:
            ctx.values["won_date"] = .null
            if !givenNow("closed_date") { ctx.values["closed_date"] = day }
        case nil:
            for name in ["won_date", "closed_date", "cycle_days"] { ctx.values[name] = .null }
        }
        if stage.outcome != nil, !givenNow("cycle_days"), case .datetime(let opened) = ctx.values["opened_at"] ?? .null {
            ctx.values["cycle_days"] = .integer(Int64(max(0, entered.timeIntervalSince(opened)) / 86_400))
        }
    }
}
