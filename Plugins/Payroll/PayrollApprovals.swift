import CRMKernel
import Foundation

/// Payroll runs in the kernel's approval engine, and the locks that follow: 核算完成 → (submit)
/// 审批中 → 已审批 → (pay) 已发放; a rejection or withdrawal returns the run to 核算完成. From
/// 审批中 on, the run and its payslips are locked (only a payslip's read flag still changes);
/// a correction is a new run of kind 补发/补扣. The stock flow (`60_payroll.lua`) asks an
/// administrator (总经理) to approve; its conditions see `net_fen`, `gross_fen` and `headcount`.
enum PayrollApprovals {
    /// The run's document type.
    static var document: ApprovalDocumentType {
        ApprovalDocumentType("payroll_run", facts: { _, run in
            ["net_fen": .integer(Fen.of(run["net"])), "gross_fen": .integer(Fen.of(run["gross"])), "headcount": run["headcount"]]
        }) { change in
            let tx = change.tx, id = change.recordID
            guard let run = try tx.reader.system.get("payroll_run", id) else { throw KernelError.recordNotFound("payroll_run", id) }
            switch change.kind {
            case .submitted:
                guard run["status"].textValue == "核算完成" else {
                    throw KernelError(.invalidState, "payroll run \(id) is \(run["status"].description); only a run in 核算完成 can be submitted")
                }
                try setStatus(tx, id, "审批中", extra: ["approval": .integer(change.approval.id)], locked: true)
            case .approved:
                try setStatus(tx, id, "已审批", locked: true)
            case .rejected, .withdrawn:
                try setStatus(tx, id, "核算完成", locked: false)
            }
        }
    }

    /// Moves the run to `status` and (un)locks its payslips, as the system.
    static func setStatus(_ tx: WriteContext, _ id: Int64, _ status: String, extra: [String: Value] = [:], locked: Bool) throws {
        try tx.asSystem {
            _ = try tx.update("payroll_run", id, extra.merging(["status": .text(status)]) { $1 })
            for slip in try tx.reader.system.find(Query("payslip", filter: .eq("run", .integer(id)), limit: 1_000_000)).records
            where slip["locked"] != .bool(locked) {
                _ = try tx.update("payslip", slip.id, ["locked": .bool(locked)])
            }
        }
    }

    /// Marks an approved run paid (已发放) on `day`.
    static func pay(_ tx: WriteContext, _ id: Int64, day: String) throws -> Record {
        try tx.access.require(.update, on: "payroll_run")
        guard let run = try tx.reader.get("payroll_run", id) else { throw KernelError.recordNotFound("payroll_run", id) }
        guard run["status"].textValue == "已审批" else {
            throw KernelError(.invalidState, "payroll run \(id) is \(run["status"].description); only an approved run (已审批) can be paid")
        }
        try setStatus(tx, id, "已发放", extra: ["paid_on": .text(day)], locked: true)
        return try tx.reader.system.get("payroll_run", id) ?? run
    }

    /// Fields of a run the module itself moves once it is locked.
    static let movingFields: Set<String> = ["status", "approval", "paid_on", "updated_at", "updated_by", "version"]

    /// A locked run changes only its status (through the module), and is never deleted; a new
    /// run without a status starts in 草稿 (roles cannot write the status: see the grants).
    static func guardRun(_ ctx: inout SaveContext) {
        switch ctx.operation {
        case .create:
            if (ctx.values["status"] ?? .null).isEmpty { ctx.values["status"] = .text("草稿") }
        case .delete:
            if PayrollEntities.lockedStatuses.contains(ctx.old?["status"].textValue ?? "") {
                ctx.reject("status", "payroll run \(ctx.id ?? 0) is \(ctx.old?["status"].description ?? "") and locked; it cannot be deleted")
            }
        case .update:
            guard PayrollEntities.lockedStatuses.contains(ctx.old?["status"].textValue ?? "") else { return }
            for field in ctx.values.keys.sorted() where !movingFields.contains(field) && ctx.changed(field) {
                ctx.reject(field, "payroll run \(ctx.id ?? 0) is \(ctx.old?["status"].description ?? "") and locked; a correction is a new run of kind 补发/补扣")
            }
        }
    }

    /// A locked payslip changes only its read flag and is never deleted.
    static func guardPayslip(_ ctx: inout SaveContext) {
        guard ctx.operation != .create, ctx.old?["locked"] == .bool(true) else { return }
        if ctx.operation == .delete {
            ctx.reject("locked", "payslip \(ctx.id ?? 0) belongs to a locked run and cannot be deleted")
            return
        }
        for field in ctx.values.keys.sorted() where !["read", "read_at", "locked", "updated_at", "updated_by", "version"].contains(field) && ctx.changed(field) {
            ctx.reject(field, "payslip \(ctx.id ?? 0) belongs to a locked run")
        }
    }
}
