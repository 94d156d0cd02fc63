import CRMKernel
import Foundation

/// Reports over opportunities that scripts and the console call as `crm.opportunities.*`.
enum OpportunityReports {
    /// One row of the funnel.
    struct FunnelRow: Sendable, Hashable {
        var stage: String
        var count: Int64
        var amount: Decimal
    }

    /// Count and amount per stage, in pipeline order (stages with no records included).
    static func funnel(_ reader: RecordReader, filter: Filter?) throws -> [FunnelRow] {
        let rows = try reader.aggregate("opportunity", groupBy: [GroupKey("stage")], measures: [.count, .sum("amount")], filter: filter)
        var byStage: [String: (Int64, Decimal)] = [:]
        for r in rows {
            let stage = r.group["stage"]?.textValue ?? ""
            byStage[stage] = (r.values[0].integerValue ?? 0, r.values[1].decimalValue ?? 0)
        }
        let order = reader.schema.entities["opportunity"]?.fieldsByName["stage"]?.options.map(\.value) ?? []
        var out = order.map { FunnelRow(stage: $0, count: byStage[$0]?.0 ?? 0, amount: byStage[$0]?.1 ?? 0) }
        for stage in byStage.keys.sorted() where !order.contains(stage) {
            out.append(FunnelRow(stage: stage.isEmpty ? "(none)" : stage, count: byStage[stage]!.0, amount: byStage[stage]!.1))
        }
        return out
    }

    static var scriptFunctions: [ScriptFunction] {
        [
            ScriptFunction("funnel", summary: "crm.opportunities.funnel(filter) → {{stage, count, amount}, ...} in stage order") { call in
                let filter = try call.scoped(Filter(script: call[0]), on: "opportunity")
                let rows = try call.read { try funnel($0, filter: filter) }
                return .list(rows.map { .table(["stage": .value(.text($0.stage)), "count": .value(.integer($0.count)),
                                                "amount": .value(.decimal($0.amount))]) })
            },
        ]
    }
}
