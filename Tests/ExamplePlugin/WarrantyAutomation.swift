import CRMKernel
import Foundation

/// What the warranty module does on its own: a daily job and a durable reaction to events.
enum WarrantyAutomation {
    /// Days a claim may stay 处理中 without a change before the daily job closes it.
    static let staleDays = 30

    /// `warranty.close_stale`, daily at 02:00 in the workspace time zone: closes claims left
    /// 处理中 for `staleDays` days without a change.
    static var closeStaleJob: ScheduledJob {
        ScheduledJob(id: "warranty.close_stale", label: LocalizedText("关闭长期未处理的保修申请", en: "Close stale warranty claims"),
                     schedule: .daily(at: "02:00")) { tx, now in
            let cutoff = now.addingTimeInterval(-Double(staleDays) * 86_400)
            let stale = try tx.reader.find(Query("warranty_claim", filter: .all([
                .eq("status", .text("处理中")), .condition(field: "updated_at", op: .lt, value: .datetime(cutoff)),
            ]), limit: 10_000)).records
            for claim in stale { try tx.update("warranty_claim", claim.id, ["status": .text("已关闭")]) }
            return "\(stale.count) claim(s) closed"
        }
    }

    /// `warranty.customer_name`: keeps each claim's copy of its customer's name in step — when a
    /// claim is created and when a customer is renamed (the customers module's record events,
    /// read from the durable outbox).
    static var customerNameCopy: EventConsumer {
        EventConsumer("customer_name", events: ["warranty_claim.after_create", "customer.after_update"],
                      summary: "保修申请中的客户名称随客户更新") { event, tx in
            switch event.entity {
            case "customer":
                guard event.previous["name"] != nil, let id = event.recordID, let name = event.payload["name"] else { return }
                let claims = try tx.reader.find(Query("warranty_claim", filter: .eq("customer", .integer(id)), limit: 10_000)).records
                for claim in claims { try tx.update("warranty_claim", claim.id, ["customer_name": name]) }
            default:
                guard let id = event.recordID, let claim = try tx.reader.get("warranty_claim", id),
                      case .integer(let customer) = claim["customer"],
                      let name = try tx.reader.get("customer", customer)?["name"] else { return }
                try tx.update("warranty_claim", id, ["customer_name": name])
            }
        }
    }
}
