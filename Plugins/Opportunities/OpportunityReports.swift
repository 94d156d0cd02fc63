import CRMKernel
import Foundation

/// The module's built-in reports in the workspace report catalog (`crm report run
/// opportunities.funnel`, `/api/v1/reports/opportunities.forecast/run`): the funnel and the
/// weighted forecast, with the same filters as `crm.opportunities.funnel` / `forecast`.
enum OpportunityReports {
    static var all: [ReportDefinition] { [funnel, forecast] }

    static let commonParameters = [
        ReportParameter("period", .period, label: LocalizedText("期间", en: "Period")),
        ReportParameter("team", .team, label: LocalizedText("团队", en: "Team")),
        ReportParameter("pipeline", .text, label: LocalizedText("销售流程", en: "Pipeline")),
    ]

    static var funnel: ReportDefinition {
        ReportDefinition(name: "opportunities.funnel", title: LocalizedText("销售漏斗", en: "Sales funnel"),
                         parameters: commonParameters, entities: ["opportunity"], origin: .module("opportunities")) { context in
            let rows = try FunnelReport.run(context.reader, try filter(context))
            let en = context.language == "en"
            return ReportTable(name: "opportunities.funnel", title: en ? "Sales funnel" : "销售漏斗",
                               columns: [ReportTable.Column("stage", en ? "Stage" : "阶段", .text),
                                         ReportTable.Column("count", en ? "Count" : "数量", .integer),
                                         ReportTable.Column("amount", en ? "Amount" : "金额", .money)],
                               rows: rows.map { [.text(stageLabel($0.stage, context)), .integer($0.count), .decimal($0.amount)] },
                               chart: ReportTable.Chart(.funnel, label: "stage", value: "amount"), arguments: arguments(context))
        }
    }

    static var forecast: ReportDefinition {
        var parameters = commonParameters
        parameters[0].defaultValue = "this_year"
        parameters.append(ReportParameter("by", .text, label: LocalizedText("按", en: "By"), default: "month"))
        return ReportDefinition(name: "opportunities.forecast", title: LocalizedText("销售预测", en: "Sales forecast"),
                                parameters: parameters, entities: ["opportunity"], origin: .module("opportunities")) { context in
            let f = try filter(context)
            let rows = try ForecastReport.run(context.reader, f)
            let en = context.language == "en"
            var columns = [ReportTable.Column("month", en ? "Month" : "月份", .text)]
            if f.by != "month" { columns.append(ReportTable.Column(f.by, f.by == "team" ? (en ? "Team" : "团队") : (en ? "Owner" : "负责人"), .text)) }
            columns += [ReportTable.Column("count", en ? "Open deals" : "在谈数量", .integer),
                        ReportTable.Column("amount", en ? "Open amount" : "在谈金额", .money),
                        ReportTable.Column("weighted", en ? "Weighted" : "加权金额", .money),
                        ReportTable.Column("target", en ? "Target" : "目标", .money),
                        ReportTable.Column("won", en ? "Won" : "赢单金额", .money)]
            let table = rows.map { r -> [Value] in
                var row: [Value] = [.text(r.month.isEmpty ? (en ? "(no date)" : "(无日期)") : r.month)]
                if f.by == "owner" { row.append(.text(title("user", r.owner, context))) }
                if f.by == "team" { row.append(.text(title("team", r.team, context))) }
                return row + [.integer(r.count), .decimal(r.amount), .decimal(r.weighted), .decimal(r.target), .decimal(r.won)]
            }
            return ReportTable(name: "opportunities.forecast", title: en ? "Sales forecast" : "销售预测", columns: columns, rows: table,
                               chart: ReportTable.Chart(.bar, label: "month", value: "weighted"), arguments: arguments(context))
        }
    }

    /// The report arguments as the module's `ReportFilter` (limited to what the caller may see).
    static func filter(_ context: ReportContext) throws -> ReportFilter {
        var t: [String: ScriptValue] = [:]
        if let p = context.arguments.period("period") { t["period"] = .table(["from": .value(.text(p.from)), "to": .value(.text(p.to))]) }
        if case .team(let id, _)? = context.arguments["team"] { t["team"] = .value(.integer(id)) }
        if case .text(let pipeline)? = context.arguments["pipeline"] { t["pipeline"] = .value(.text(pipeline)) }
        if case .text(let by)? = context.arguments["by"] {
            guard ["month", "owner", "team"].contains(by) else {
                throw KernelError(.validation, "parameter 'by': '\(by)' is not month, owner or team",
                                  fieldErrors: [FieldError(field: "by", message: "month, owner or team")])
            }
            t["by"] = .value(.text(by))
        }
        return try ReportFilter(script: .table(t), context.reader, access: context.access)
    }

    static func arguments(_ context: ReportContext) -> [(name: String, label: String, value: String)] {
        context.arguments.values.keys.sorted().compactMap { k in context.arguments[k].map { (k, k, $0.display) } }
    }

    static func stageLabel(_ stage: String, _ context: ReportContext) -> String {
        let pipelines = (try? PipelineLookup(context.reader.schema).scope(nil)) ?? []
        for p in pipelines { if let s = p.stages.first(where: { $0.name == stage }) { return s.label.text(for: context.language) } }
        return stage
    }

    static func title(_ entity: String, _ id: Int64?, _ context: ReportContext) -> String {
        guard let id else { return context.language == "en" ? "(none)" : "(空)" }
        guard let r = (try? context.reader.get(entity, id)) ?? nil else { return "#\(id)" }
        let name = entity == "user" ? r["display_name"] : r["name"]
        return name.isEmpty ? "#\(id)" : name.description
    }
}
