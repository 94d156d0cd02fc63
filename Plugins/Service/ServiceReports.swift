import CRMKernel
import Foundation

/// The SLA report and CSAT, by team, agent, category or month, over the figures kept on each
/// ticket when it was solved (`sla_*`) and the ratings given; open tickets are counted live from
/// their clocks (those already breached).
enum ServiceReports {
    /// Groupings the reports offer, and the ticket field each uses.
    static let slaGroups: [String: GroupKey] = ["team": GroupKey("team"), "agent": GroupKey("assignee"),
                                                "category": GroupKey("category"), "month": GroupKey("solved_at", bucket: .month)]
    static let csatGroups: [String: GroupKey] = ["team": GroupKey("team"), "agent": GroupKey("agent"), "month": GroupKey("rated_at", bucket: .month)]

    /// Arguments `{by = "team", from = "2026-11-01", to = "2026-11-30"}` checked.
    static func arguments(_ reader: RecordReader, _ value: ScriptValue, groups: [String: GroupKey], dateField: String, function: String) throws -> (String, GroupKey, [Filter]) {
        let t = value.fields ?? [:]
        let by = t["by"]?.text ?? "team"
        guard let key = groups[by] else {
            throw KernelError(.validation, "crm.service.\(function): by expects one of \(groups.keys.sorted().joined(separator: ", "))",
                              fieldErrors: [FieldError(field: "by", message: "unknown grouping '\(by)'")])
        }
        var filters: [Filter] = [.condition(field: dateField, op: .isNotEmpty, value: .null)]
        for (name, op) in [("from", FilterOperator.ge), ("to", FilterOperator.lt)] {
            guard let text = t[name]?.text else { continue }
            guard let day = CivilDate(text) else {
                throw KernelError(.validation, "crm.service.\(function): \(name) expects yyyy-MM-dd", fieldErrors: [FieldError(field: name, message: "expects yyyy-MM-dd")])
            }
            let bound = name == "to" ? day.adding(days: 1) : day
            let calendar = try reader.workspaceCalendar()
            guard let instant = calendar.date(from: DateComponents(year: bound.year, month: bound.month, day: bound.day)) else {
                throw KernelError(.validation, "crm.service.\(function): \(name) is not a day", fieldErrors: [FieldError(field: name, message: "is not a day")])
            }
            filters.append(.condition(field: dateField, op: op, value: .datetime(instant)))
        }
        return (by, key, filters)
    }

    static func int(_ v: Value?) -> Int64 {
        switch v {
        case .integer(let i)?: return i
        case .real(let d)?: return Int64(d.rounded())
        case .decimal(let d)?: return Int64(truncating: NSDecimalNumber(decimal: d))
        case .bool(let b)?: return b ? 1 : 0
        default: return 0
        }
    }

    static func label(_ reader: RecordReader, _ by: String, _ v: Value?) throws -> ScriptValue {
        guard let v, !v.isEmpty else { return .value(.text("（无）")) }
        switch by {
        case "team": return .value(.text(try v.integerValue.flatMap { try reader.system.get("team", $0)?["name"].textValue } ?? v.description))
        case "agent": return .value(.text(try v.integerValue.flatMap { try reader.system.get("user", $0)?["display_name"].textValue } ?? v.description))
        default: return .value(v)
        }
    }

    /// `crm.service.sla_report{by, from, to}`: per group, tickets solved, solved within SLA,
    /// breached, the breach rate in percent, average working seconds to respond and to solve.
    static func sla(_ reader: RecordReader, _ args: ScriptValue) throws -> ScriptValue {
        let (by, key, filters) = try arguments(reader, args, groups: slaGroups, dateField: "solved_at", function: "sla_report")
        let measured = filters + [.condition(field: "sla_breached", op: .isNotEmpty, value: .null)]
        let rows = try reader.aggregate("ticket", groupBy: [key], measures: [.count, .avg("sla_response_seconds"), .avg("sla_resolution_seconds")],
                                        filter: .all(measured))
        // Breaches counted, not summed: a boolean's sum reads back as a boolean.
        var breaches: [Value: Int64] = [:]
        for r in try reader.aggregate("ticket", groupBy: [key], measures: [.count], filter: .all(measured + [.eq("sla_breached", .bool(true))])) {
            breaches[r.group[key.field] ?? .null] = int(r.values.first)
        }
        return .list(try rows.map { row in
            let solved = int(row.values.first), breached = breaches[row.group[key.field] ?? .null] ?? 0
            return .table(["group": try label(reader, by, row.group[key.field]), "key": .value(row.group[key.field] ?? .null),
                           "solved": .value(.integer(solved)), "breached": .value(.integer(breached)), "met": .value(.integer(solved - breached)),
                           "breach_percent": .value(.integer(solved > 0 ? (breached * 100 + solved / 2) / solved : 0)),
                           "avg_response_seconds": .value(.integer(int(row.values.count > 1 ? row.values[1] : nil))),
                           "avg_resolution_seconds": .value(.integer(int(row.values.count > 2 ? row.values[2] : nil)))])
        })
    }

    /// `crm.service.csat{by, from, to}`: per group, ratings, average score (×100, an integer),
    /// satisfied (4 or 5) and CSAT in percent.
    static func csat(_ reader: RecordReader, _ args: ScriptValue) throws -> ScriptValue {
        let (by, key, filters) = try arguments(reader, args, groups: csatGroups, dateField: "rated_at", function: "csat")
        let all = try reader.aggregate("ticket_rating", groupBy: [key], measures: [.count, .sum("score")], filter: .all(filters))
        let happy = try reader.aggregate("ticket_rating", groupBy: [key], measures: [.count],
                                         filter: .all(filters + [.condition(field: "score", op: .ge, value: .integer(4))]))
        var satisfied: [Value: Int64] = [:]
        for r in happy { satisfied[r.group[key.field] ?? .null] = int(r.values.first) }
        return .list(try all.map { row in
            let n = int(row.values.first), sum = int(row.values.count > 1 ? row.values[1] : nil), ok = satisfied[row.group[key.field] ?? .null] ?? 0
            return .table(["group": try label(reader, by, row.group[key.field]), "key": .value(row.group[key.field] ?? .null),
                           "ratings": .value(.integer(n)), "score_sum": .value(.integer(sum)),
                           "average_x100": .value(.integer(n > 0 ? (sum * 100 + n / 2) / n : 0)),
                           "satisfied": .value(.integer(ok)), "csat_percent": .value(.integer(n > 0 ? (ok * 100 + n / 2) / n : 0))])
        })
    }
}
