import CRMKernel
import Foundation

/// Routing a ticket for real, in its transaction: team by the rules, agent by skill and open
/// load or in turn among available agents, the rotation kept in `service_route_cursor`.
enum TicketRouting {
    /// Where a ticket went.
    struct Decision: Sendable, Hashable {
        var team: Int64?
        var assignee: Int64?
        var rule: String?
    }

    /// Routes ticket `id` and saves team, assignee, rule and the assigned status; notifies the
    /// assignee at once. A ticket that already has an assignee keeps it.
    @discardableResult
    static func route(_ tx: WriteContext, ticket id: Int64, force: Bool = false) throws -> Decision {
        let reader = tx.reader.system
        guard let ticket = try reader.get("ticket", id) else { throw KernelError.recordNotFound("ticket", id) }
        if !force, let a = ticket["assignee"].integerValue { return Decision(team: ticket["team"].integerValue, assignee: a, rule: nil) }
        let decision = try decide(tx, ticket: ticket.values, excluding: force ? ticket["assignee"].integerValue : nil)
        let statuses = ServiceRules.inForce(tx.schema).statuses
        var changes: [String: Value] = ["routing_rule": decision.rule.map(Value.text) ?? .null]
        if let team = decision.team { changes["team"] = .integer(team) }
        if let a = decision.assignee {
            changes["assignee"] = .integer(a)
            changes["owner"] = .integer(a)
            if ticket["status"].textValue == statuses.new { changes["status"] = .text(statuses.assigned) }
        }
        try tx.asSystem { _ = try tx.update("ticket", id, changes) }
        return decision
    }

    /// Tells the assignee of a ticket at once (once per ticket and assignee).
    static func notifyAssignee(_ tx: WriteContext, ticket: Record) throws {
        guard let a = ticket["assignee"].integerValue else { return }
        _ = try tx.asSystem {
            try Notifications.send(Notifications.Message(
                user: a, kind: "ticket.assigned", title: "新工单 \(ticket["number"].textValue ?? "#\(ticket.id)")：\(ticket["subject"].textValue ?? "")",
                entity: "ticket", recordID: ticket.id, key: "ticket.assigned.\(ticket.id).\(a)"), in: tx)
        }
    }

    /// The decision for `ticket` with the counters in `tx` (moves the rotation).
    static func decide(_ tx: WriteContext, ticket: [String: Value], excluding: Int64? = nil) throws -> Decision {
        let reader = tx.reader.system
        let routing = RoutingRules.inForce(tx.schema)
        let facts = try TicketFacts.of(ticket, reader)
        let rule = routing.rules.first { $0.matches(facts) }
        guard let teamName = rule?.team ?? routing.defaultTeam else { return Decision(team: nil, assignee: nil, rule: nil) }
        // A rule naming a team that does not exist (yet) leaves the ticket unassigned rather than
        // refusing it: nothing a customer sends is lost to a configuration slip.
        guard let team = try reader.ids("team", where: "name", equals: .text(teamName), limit: 1).first else {
            return Decision(team: nil, assignee: nil, rule: (rule?.name ?? "默认团队") + "（无此团队：\(teamName)）")
        }
        let agents = try available(reader, team: team).filter { $0.id != excluding }
        let skilled = agents.filter { a in facts.skills.contains { a.skills.contains($0) } }
        let pool = skilled.isEmpty ? agents : skilled
        guard !pool.isEmpty else { return Decision(team: team, assignee: nil, rule: rule?.name) }
        let cursor = try reader.find(Query("service_route_cursor", filter: .eq("team", .integer(team)), limit: 1)).records.first
        let position = Int(cursor?["position"].integerValue ?? 0)
        let chosen: Agent
        switch rule?.strategy ?? routing.strategy {
        case .roundRobin:
            chosen = pool[position % pool.count]
        case .skillLoad:
            let statuses = ServiceRules.inForce(tx.schema).statuses
            var best: (Agent, Int)? = nil
            // Ties go in turn: start looking at the rotation's position.
            for k in 0..<pool.count {
                let a = pool[(position + k) % pool.count]
                let load = try reader.count("ticket", filter: .all([.eq("assignee", .integer(a.id)),
                                                                    .condition(field: "status", op: .in, value: .list(statuses.open))]))
                if best == nil || load < best!.1 { best = (a, load) }
            }
            chosen = best!.0
        }
        try tx.asSystem {
            if let cursor {
                _ = try tx.update("service_route_cursor", cursor.id, ["position": .integer(Int64(position + 1)),
                                                                      "routed": .integer((cursor["routed"].integerValue ?? 0) + 1)])
            } else {
                _ = try tx.create("service_route_cursor", ["team": .integer(team), "position": .integer(1), "routed": .integer(1), "owner": .null])
            }
        }
        return Decision(team: team, assignee: chosen.id, rule: rule?.name ?? "默认团队")
    }

    /// An available agent with their skills.
    struct Agent { var id: Int64; var skills: [String] }

    /// Active members of the team (and its sub-teams) marked available, by id.
    static func available(_ reader: RecordReader, team: Int64) throws -> [Agent] {
        let teams = try reader.teamSubtree([team])
        let users = try reader.find(Query("user", filter: .all([.condition(field: "team", op: .in, value: .list(teams.map(String.init))),
                                                                .eq("service_available", .bool(true)), .eq("active", .bool(true))]),
                                          sort: [SortKey("id")], limit: 10_000)).records
        return users.map { u in
            var skills: [String] = []
            if case .list(let l) = u["service_skills"] { skills = l }
            return Agent(id: u.id, skills: skills)
        }
    }
}
