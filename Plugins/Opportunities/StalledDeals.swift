import CRMKernel
import Foundation

/// Stalled opportunities (停滞预警): open ones that stayed in a stage longer than its `max_days`,
/// and the hourly job that tells their owners and the owners' managers.
enum StalledDeals {
    /// One stalled opportunity.
    struct Item: Sendable, Hashable {
        var record: Record
        var stage: String
        var enteredAt: Date
        var daysInStage: Int
        var maxDays: Int
    }

    /// Opportunities past their stage's `max_days` at `now`, longest-stalled first. Each stage is
    /// one range scan of the (stage, stage_entered_at) index.
    static func find(_ reader: RecordReader, _ filter: ReportFilter, now: Date, limit: Int = 10_000) throws -> [Item] {
        var items: [Item] = []
        for pipeline in try PipelineLookup(reader.schema).scope(filter.pipeline) {
            for stage in pipeline.openStages {
                guard let maxDays = stage.maxDays, maxDays > 0 else { continue }
                let cutoff = now.addingTimeInterval(-Double(maxDays) * 86_400)
                var parts: [Filter] = [.eq("stage", .text(stage.name)), .eq("pipeline", .text(pipeline.name)),
                                       .condition(field: "stage_entered_at", op: .lt, value: .datetime(cutoff))]
                if let owners = filter.ownerFilter() { parts.append(owners) }
                if let fields = filter.fields { parts.append(fields) }
                for r in try reader.find(Query("opportunity", filter: .all(parts), sort: [SortKey("stage_entered_at")], limit: limit)).records {
                    guard case .datetime(let entered) = r["stage_entered_at"] else { continue }
                    items.append(Item(record: r, stage: stage.name, enteredAt: entered,
                                      daysInStage: Int(now.timeIntervalSince(entered) / 86_400), maxDays: maxDays))
                }
            }
        }
        return Array(items.sorted { ($0.enteredAt, $0.record.id) < ($1.enteredAt, $1.record.id) }.prefix(limit))
    }

    /// `opportunities.stalled_warnings`: every morning at 09:00 (workspace time), notifies the owner and the owner's manager
    /// of each stalled opportunity, once per stall (the key holds the stage entry time).
    static var job: ScheduledJob {
        ScheduledJob(id: "opportunities.stalled_warnings", label: LocalizedText("商机停滞预警", en: "Stalled opportunity warnings"),
                     schedule: .daily(at: "09:00")) { tx, now in
            let stalled = try find(tx.reader, ReportFilter(), now: now)
            var sent = 0
            for item in stalled {
                guard let owner = item.record["owner"].integerValue else { continue }
                var recipients = [owner]
                if let manager = try Teams.manager(tx.reader, of: owner) { recipients.append(manager) }
                let name = item.record["name"].textValue ?? "#\(item.record.id)"
                for user in recipients {
                    let message = Notifications.Message(
                        user: user, kind: "opportunity.stalled", title: "商机停滞：\(name)",
                        body: "「\(name)」在「\(item.stage)」阶段已停留 \(item.daysInStage) 天，超过上限 \(item.maxDays) 天。",
                        entity: "opportunity", recordID: item.record.id,
                        key: "opportunity.stalled:\(item.record.id):\(Int64(item.enteredAt.timeIntervalSince1970)):\(user)")
                    if try Notifications.send(message, in: tx) != nil { sent += 1 }
                }
            }
            return "\(stalled.count) stalled opportunities, \(sent) notifications sent"
        }
    }
}
