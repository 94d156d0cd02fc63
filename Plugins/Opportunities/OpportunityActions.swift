import CRMKernel

/// Moving an opportunity through its pipeline: to a named stage, to the won stage, to the lost
/// stage with a reason. Each is one ordinary update, so the stage gate, the history and the
/// `opportunity.stage_changed` / `opportunity.won` events follow; a refused move changes nothing.
enum OpportunityActions {
    /// Moves `id` to `stage`, with any other field changes made in the same write (`fields`).
    static func move(_ tx: WriteContext, _ id: Int64, to stage: String, fields: [String: Value] = [:]) throws -> Record {
        guard try tx.reader.exists("opportunity", id) else { throw KernelError.recordNotFound("opportunity", id) }
        var changes = fields
        changes["stage"] = .text(stage)
        return try tx.update("opportunity", id, changes)
    }

    /// Moves `id` to the won stage of its pipeline.
    static func win(_ tx: WriteContext, _ id: Int64, fields: [String: Value] = [:]) throws -> Record {
        try move(tx, id, to: try terminal(tx, id, .won), fields: fields)
    }

    /// Moves `id` to the lost stage of its pipeline with `reason` (required).
    static func lose(_ tx: WriteContext, _ id: Int64, reason: String, fields: [String: Value] = [:]) throws -> Record {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else {
            throw KernelError.invalid("opportunity", field: "loss_reason", "输单必须填写原因 (a lost opportunity needs a loss reason)")
        }
        var changes = fields
        changes["loss_reason"] = .text(reason)
        return try move(tx, id, to: try terminal(tx, id, .lost), fields: changes)
    }

    /// The first stage with `outcome` in the pipeline of opportunity `id`.
    static func terminal(_ tx: WriteContext, _ id: Int64, _ outcome: StageDefinition.Outcome) throws -> String {
        guard let record = try tx.reader.get("opportunity", id) else { throw KernelError.recordNotFound("opportunity", id) }
        guard let pipeline = PipelineLookup(tx.schema).pipeline(for: record.values) else {
            throw KernelError(.validation, "opportunity \(id) is in no pipeline (declare one with crm.stages)", entity: "opportunity")
        }
        guard let stage = pipeline.stages.first(where: { $0.outcome == outcome }) else {
            throw KernelError(.validation, "pipeline \(pipeline.name) has no \(outcome.rawValue) stage", entity: "opportunity")
        }
        return stage.name
    }
}
