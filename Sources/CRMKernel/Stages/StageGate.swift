/// Enforces pipelines on writes: known stages, allowed moves, stage gates, probabilities, and
/// the `<entity>.stage_changed` / `.won` / `.lost` events.
enum StageGate {
    /// A before-save hook enforcing the pipelines of one entity and field.
    static func hook(_ pipelines: [Pipeline]) -> BeforeSaveHook {
        return { ctx in
            guard ctx.operation != .delete, let first = pipelines.first else { return }
            let field = first.field
            let pipeline = pipelines.first { p in
                guard let s = p.selector else { return false }
                return ctx.values[s.field] == .text(s.value)
            } ?? pipelines.first { $0.selector == nil }
            guard let pipeline else {
                if !(ctx.values[field] ?? .null).isEmpty {
                    ctx.reject(field, "no pipeline applies to this record (check \(pipelines.compactMap(\.selector?.field).first ?? "its fields"))")
                }
                return
            }
            let oldStage = ctx.old?.values[field]?.textValue
            guard var newStage = ctx.values[field]?.textValue, !newStage.isEmpty else {
                if let firstStage = pipeline.stages.first, ctx.operation == .create {
                    ctx.values[field] = .text(firstStage.name)
                    try check(&ctx, pipeline, nil, firstStage.name)
                } else if ctx.operation == .update {
                    ctx.reject(field, "a stage is required")
                }
                return
            }
            newStage = newStage.trimmingCharacters(in: .whitespaces)
            guard ctx.operation == .create || oldStage != newStage else { return }
            try check(&ctx, pipeline, oldStage, newStage)
        }
    }

    private static func check(_ ctx: inout SaveContext, _ p: Pipeline, _ from: String?, _ to: String) throws {
        let field = p.field
        guard let target = p.stage(to) else {
            ctx.reject(field, "'\(to)' is not a stage of pipeline \(p.name) (\(p.stages.map(\.name).joined(separator: " → ")))")
            return
        }
        if let from, let source = p.stage(from), !moveAllowed(p, source, target) {
            ctx.reject(field, "cannot move from \(from) to \(to) in pipeline \(p.name)")
            return
        }
        let missing = target.requires.filter { (ctx.values[$0] ?? .null).isEmpty }
        for name in missing {
            ctx.reject(name, "required to enter stage \(to)")
        }
        guard missing.isEmpty else { return }
        if let probability = target.probability, ctx.tx.schema.entities[p.entity]?.fieldsByName["probability"] != nil,
           ctx.operation == .create ? ctx.values["probability"] == nil : !ctx.changed("probability") {
            ctx.values["probability"] = .integer(Int64(probability))
        }
        guard ctx.operation == .update, let id = ctx.id else { return }
        var payload: [String: Value] = ["id": .integer(id), "from": from.map(Value.text) ?? .null, "to": .text(to), "pipeline": .text(p.name)]
        // The record's references go with it, so a consumer in another module (the customer of
        // a won opportunity) need not read the publisher's records.
        for f in ctx.tx.schema.entities[p.entity]?.referenceFields ?? [] where payload[f.name] == nil {
            payload[f.name] = ctx.values[f.name] ?? .null
        }
        try ctx.tx.publish("\(p.entity).stage_changed", entity: p.entity, recordID: id, payload: payload)
        if let outcome = target.outcome {
            try ctx.tx.publish("\(p.entity).\(outcome.rawValue)", entity: p.entity, recordID: id, payload: payload)
        }
    }

    /// The default rule: one stage forward, any terminal stage from an open one, back when
    /// allowed; a stage's own `next` list replaces the forward rule.
    static func moveAllowed(_ p: Pipeline, _ from: StageDefinition, _ to: StageDefinition) -> Bool {
        let order = p.stages.map(\.name)
        guard let i = order.firstIndex(of: from.name), let j = order.firstIndex(of: to.name) else { return false }
        if let next = from.next, next.contains(to.name) { return true }
        if from.outcome != nil { return p.allowBack }
        if j < i { return p.allowBack }
        if from.next != nil { return false }
        if to.outcome != nil { return true }
        let open = p.openStages.map(\.name)
        guard let oi = open.firstIndex(of: from.name), let oj = open.firstIndex(of: to.name) else { return false }
        return oj == oi + 1 || p.allowSkip
    }
}
