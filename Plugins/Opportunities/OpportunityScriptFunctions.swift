import CRMKernel
import Foundation

/// `crm.opportunities.*`: moves (move, win, lose) and reports (funnel, conversion, stats,
/// forecast, stalled, history). Documented in docs/lua-api.md.
enum OpportunityScriptFunctions {
    static var all: [ScriptFunction] { actions + reports }

    static var actions: [ScriptFunction] {
        [
            ScriptFunction("move", summary: "crm.opportunities.move(id, stage [, fields]) → the opportunity in its new stage",
                           effect: .write, access: .update("opportunity", recordArguments: [0])) { call in
                let id = try argID(call, "move")
                guard let stage = call[1].text else { throw KernelError(.validation, "crm.opportunities.move needs a stage name") }
                let fields = try values(call[2], "move")
                return .record(try call.write { try OpportunityActions.move($0, id, to: stage, fields: fields) })
            },
            ScriptFunction("win", summary: "crm.opportunities.win(id [, fields]) → the opportunity in its won stage",
                           effect: .write, access: .update("opportunity", recordArguments: [0])) { call in
                let id = try argID(call, "win")
                let fields = try values(call[1], "win")
                return .record(try call.write { try OpportunityActions.win($0, id, fields: fields) })
            },
            ScriptFunction("lose", summary: "crm.opportunities.lose(id, reason [, fields]) → the opportunity in its lost stage",
                           effect: .write, access: .update("opportunity", recordArguments: [0])) { call in
                let id = try argID(call, "lose")
                let fields = try values(call[2], "lose")
                return .record(try call.write { try OpportunityActions.lose($0, id, reason: call[1].text ?? "", fields: fields) })
            },
        ]
    }

    static var reports: [ScriptFunction] {
        [
            ScriptFunction("funnel", summary: "crm.opportunities.funnel(filter) → {{stage, count, amount}, ...} in stage order",
                           effect: .read, access: .read("opportunity")) { call in
                let rows = try call.read { try FunnelReport.run($0, ReportFilter(script: call[0], $0, access: call.access)) }
                return .list(rows.map { table(["stage": .text($0.stage), "count": .integer($0.count), "amount": .decimal($0.amount)]) })
            },
            ScriptFunction("conversion", summary: "crm.opportunities.conversion(filter) → {{stage, entered, moved_on, rate, avg_days}, ...}",
                           effect: .read, access: .read("opportunity")) { call in
                let rows = try call.read { try ConversionReport.run($0, ReportFilter(script: call[0], $0, access: call.access)) }
                return .list(rows.map {
                    table(["stage": .text($0.stage), "entered": .integer($0.entered), "moved_on": .integer($0.movedOn), "left": .integer($0.left),
                           "rate": $0.rate.map(Value.decimal) ?? .null, "avg_days": $0.averageDays.map(Value.decimal) ?? .null])
                })
            },
            ScriptFunction("stats", summary: "crm.opportunities.stats(filter) → {won, lost, win_rate, won_amount, avg_deal_size, avg_cycle_days}",
                           effect: .read, access: .read("opportunity")) { call in
                let r = try call.read { try WinStats.run($0, ReportFilter(script: call[0], $0, access: call.access)) }
                return table(["won": .integer(r.won), "lost": .integer(r.lost), "won_amount": .decimal(r.wonAmount),
                              "win_rate": r.winRate.map(Value.decimal) ?? .null, "avg_deal_size": r.averageDealSize.map(Value.decimal) ?? .null,
                              "avg_cycle_days": r.averageCycleDays.map(Value.decimal) ?? .null])
            },
            ScriptFunction("forecast", summary: "crm.opportunities.forecast(filter) → {{month, owner|team, count, amount, weighted, target, won}, ...}",
                           effect: .read, access: .read("opportunity")) { call in
                let rows = try call.read { try ForecastReport.run($0, ReportFilter(script: call[0], $0, access: call.access)) }
                return .list(rows.map {
                    table(["month": .text($0.month), "owner": $0.owner.map(Value.integer) ?? .null, "team": $0.team.map(Value.integer) ?? .null,
                           "count": .integer($0.count), "amount": .decimal($0.amount), "weighted": .decimal($0.weighted),
                           "target": .decimal($0.target), "won": .decimal($0.won)])
                })
            },
            ScriptFunction("stalled", summary: "crm.opportunities.stalled(filter) → opportunities past their stage's max_days (with days_in_stage, max_days)",
                           effect: .read, access: .read("opportunity")) { call in
                let items = try call.read { try StalledDeals.find($0, ReportFilter(script: call[0], $0, access: call.access), now: Date()) }
                return .list(items.map { item in
                    var r = item.record
                    r.values["days_in_stage"] = .integer(Int64(item.daysInStage))
                    r.values["max_days"] = .integer(Int64(item.maxDays))
                    return .record(r)
                })
            },
            ScriptFunction("history", summary: "crm.opportunities.history(id) → the stage history, oldest first",
                           effect: .read, access: .read("opportunity", recordArguments: [0])) { call in
                let id = try argID(call, "history")
                return .list(try call.read { reader in
                    guard try reader.exists("opportunity", id) else { throw KernelError.recordNotFound("opportunity", id) }
                    return try StageHistory.stays(reader, id).map(ScriptValue.record)
                })
            },
        ]
    }

    private static func table(_ fields: [String: Value]) -> ScriptValue { .table(fields.mapValues(ScriptValue.value)) }

    private static func argID(_ call: ScriptCall, _ name: String) throws -> Int64 {
        guard let id = call[0].integer else { throw KernelError(.validation, "crm.opportunities.\(name) needs an opportunity id") }
        return id
    }

    /// A `{field = value}` table of other changes made in the same write.
    private static func values(_ arg: ScriptValue, _ name: String) throws -> [String: Value] {
        switch arg {
        case .value(.null): return [:]
        case .table(let t):
            var out: [String: Value] = [:]
            for (k, v) in t {
                guard case .value(let value) = v else { throw KernelError(.validation, "crm.opportunities.\(name): field \(k) must be a value") }
                out[k] = value
            }
            return out
        default: throw KernelError(.validation, "crm.opportunities.\(name): other changes must be a table {field = value}")
        }
    }
}
