import CRMKernel
import Foundation

/// The module's periodic work: solved tickets close themselves after N days, and the SLA
/// clock's warnings and breaches run the escalation actions declared in Lua (once each).
enum ServiceJobs {
    static var autoClose: ScheduledJob {
        ScheduledJob(id: "service.auto_close", label: LocalizedText("已解决工单自动关闭", en: "Close solved tickets"), schedule: .every(3600)) { tx, now in
            "\(try closeSolved(tx, now: now)) ticket(s) closed"
        }
    }

    static var escalation: ScheduledJob {
        ScheduledJob(id: "service.sla_escalation", label: LocalizedText("SLA预警与超时升级", en: "SLA warnings and escalations"), schedule: .every(300)) { tx, now in
            let r = try escalate(tx, now: now)
            return "\(r.warned) warning(s), \(r.breached) breach(es)"
        }
    }

    /// Closes tickets solved more than `auto_close_days` ago.
    static func closeSolved(_ tx: WriteContext, now: Date) throws -> Int {
        let rules = ServiceRules.inForce(tx.schema)
        guard rules.autoCloseDays > 0 else { return 0 }
        let cutoff = now.addingTimeInterval(-Double(rules.autoCloseDays) * 86_400)
        let page = try tx.reader.system.find(Query("ticket", filter: .all([.eq("status", .text(rules.statuses.solved)),
                                                                          .condition(field: "solved_at", op: .lt, value: .datetime(cutoff))]), limit: 5000))
        try tx.asSystem { for t in page.records { _ = try tx.update("ticket", t.id, ["status": .text(rules.statuses.closed)]) } }
        return page.records.count
    }

    /// Runs the warning and breach actions of open tickets whose clock reached them.
    static func escalate(_ tx: WriteContext, now: Date) throws -> (warned: Int, breached: Int) {
        let sla = SLAPolicies.inForce(tx.schema)
        let statuses = ServiceRules.inForce(tx.schema).statuses
        var warned = 0, breached = 0, after: String? = nil
        repeat {
            let page = try tx.reader.system.find(Query("ticket", filter: .condition(field: "status", op: .in, value: .list(statuses.open)),
                                                       sort: [SortKey("id")], limit: 1000, after: after))
            for t in page.records {
                let done = Set((t["sla_escalated"].textValue ?? "").split(separator: ",").map(String.init))
                guard !done.contains("breach") else { continue }
                let state = try SLAClock.state(tx.reader, ticket: t, now: now).overall
                if state == "breached" {
                    try run(sla.onBreach, kind: "breach", tx, ticket: t, done: done)
                    breached += 1
                } else if state == "warning", !done.contains("warning") {
                    try run(sla.onWarning, kind: "warning", tx, ticket: t, done: done)
                    warned += 1
                }
            }
            after = page.nextCursor
        } while after != nil
        return (warned, breached)
    }

    /// Runs `actions` for `ticket` and records that `kind` was done.
    static func run(_ actions: [SLAPolicies.Action], kind: String, _ tx: WriteContext, ticket t: Record, done: Set<String>) throws {
        let number = t["number"].textValue ?? "#\(t.id)"
        let title = (kind == "breach" ? "SLA超时：" : "SLA预警：") + "工单 \(number) \(t["subject"].textValue ?? "")"
        var changes: [String: Value] = ["sla_escalated": .text(done.union([kind]).sorted().joined(separator: ","))]
        try tx.asSystem {
            for action in actions {
                switch action {
                case .notifyAssignee:
                    if let a = t["assignee"].integerValue {
                        try Notifications.send(.init(user: a, kind: "ticket.sla_\(kind)", title: title, entity: "ticket", recordID: t.id, key: "ticket.sla.\(kind).\(t.id).\(a)"), in: tx)
                    }
                case .notifyManager:
                    for m in try managers(tx.reader.system, ticket: t) {
                        try Notifications.send(.init(user: m, kind: "ticket.sla_\(kind)", title: title, entity: "ticket", recordID: t.id, key: "ticket.sla.\(kind).\(t.id).m\(m)"), in: tx)
                    }
                case .raisePriority:
                    let order = ServiceEntities.priorities
                    if let p = t["priority"].textValue, let i = order.firstIndex(of: p), i > 0 { changes["priority"] = .text(order[i - 1]) }
                case .reassign:
                    let d = try TicketRouting.decide(tx, ticket: t.values, excluding: t["assignee"].integerValue)
                    if let a = d.assignee { changes["assignee"] = .integer(a); changes["owner"] = .integer(a) }
                }
            }
            _ = try tx.update("ticket", t.id, changes)
        }
    }

    /// Who hears of an escalation: the assignee's manager, else the team's manager (up the
    /// tree), else every active service manager.
    static func managers(_ reader: RecordReader, ticket t: Record) throws -> [Int64] {
        var team = t["team"].integerValue
        if let a = t["assignee"].integerValue, let u = try reader.get("user", a) {
            if let m = u["manager"].integerValue, m != a { return [m] }
            team = team ?? u["team"].integerValue
        }
        var hops = 0
        while let id = team, hops < 32, let rec = try reader.get("team", id) {
            if let m = rec["manager"].integerValue, m != t["assignee"].integerValue { return [m] }
            team = rec["parent"].integerValue
            hops += 1
        }
        return try reader.find(Query("user", filter: .all([.eq("role", .text("service_manager")), .eq("active", .bool(true))]), limit: 20)).records.map(\.id)
    }
}
