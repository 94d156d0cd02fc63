import CRMKernel
import Foundation

/// Stage conversion (阶段转化率) and dwell time (停留时长) from the stage history.
///
/// For each stage: how many stays began in it (入口), how many of those moved on to a later,
/// not-lost stage (出口), the rate 出口/入口 × 100%, and the average days of the stays that
/// ended. Period filters on when the stay began.
enum ConversionReport {
    /// One stage's figures.
    struct Row: Sendable, Hashable {
        var stage: String
        var entered: Int64
        var movedOn: Int64
        var left: Int64
        /// movedOn / entered × 100, one decimal; nil when nothing entered and for won and lost stages.
        var rate: Decimal?
        /// Average days in the stage of the stays that ended, one decimal; nil when none ended.
        var averageDays: Decimal?
    }

    static func run(_ reader: RecordReader, _ filter: ReportFilter) throws -> [Row] {
        let pipelines = try PipelineLookup(reader.schema).scope(filter.pipeline)
        var parts = try filter.historyParts("conversion")
        if let period = filter.period {
            let calendar = try WorkspaceCalendar(reader)
            let end = calendar.calendar.date(byAdding: .day, value: 1, to: try calendar.start(of: period.to))!
            parts += [.condition(field: "at", op: .ge, value: .datetime(try calendar.start(of: period.from))),
                      .condition(field: "at", op: .lt, value: .datetime(end))]
        }
        let rows = try reader.aggregate("opportunity_stage", groupBy: [GroupKey("to_stage"), GroupKey("next_stage")],
                                        measures: [.count, .sum("dwell_seconds")], filter: parts.isEmpty ? nil : .all(parts))
        var figures: [String: (entered: Int64, movedOn: Int64, left: Int64, seconds: Int64)] = [:]
        for r in rows {
            let stage = r.group["to_stage"]?.textValue ?? "", next = r.group["next_stage"]?.textValue ?? ""
            let n = r.values[0].integerValue ?? 0
            figures[stage, default: (0, 0, 0, 0)].entered += n
            if !next.isEmpty {
                figures[stage, default: (0, 0, 0, 0)].left += n
                figures[stage, default: (0, 0, 0, 0)].seconds += r.values[1].integerValue ?? 0
                if isForward(pipelines, stage, next) { figures[stage, default: (0, 0, 0, 0)].movedOn += n }
            }
        }
        let terminal = Set(PipelineLookup.stages(pipelines, outcome: .won) + PipelineLookup.stages(pipelines, outcome: .lost))
        return PipelineLookup.stageOrder(pipelines).map { stage in
            let f = figures[stage] ?? (0, 0, 0, 0)
            return Row(stage: stage, entered: f.entered, movedOn: f.movedOn, left: f.left,
                       rate: f.entered > 0 && !terminal.contains(stage) ? (Decimal(f.movedOn) * 100 / Decimal(f.entered)).rounded(scale: 1) : nil,
                       averageDays: f.left > 0 ? (Decimal(f.seconds) / Decimal(f.left) / 86_400).rounded(scale: 1) : nil)
        }
    }

    /// Whether `to` comes after `from` in one of the pipelines and is not a lost stage.
    static func isForward(_ pipelines: [Pipeline], _ from: String, _ to: String) -> Bool {
        pipelines.contains { p in
            let names = p.stages.map(\.name)
            guard let i = names.firstIndex(of: from), let j = names.firstIndex(of: to) else { return false }
            return j > i && p.stages[j].outcome != .lost
        }
    }
}
