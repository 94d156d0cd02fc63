import CRMKernel
import Foundation

/// Assignment counters in the database (`lead_assignment_count`, `lead_rule_cursor`), read and
/// moved in the assigning transaction: two servers or a restart never skew them.
struct DatabaseAssignmentState: AssignmentState {
    let tx: WriteContext
    /// Counter rows and rotations already read in this assignment (`nil` inside: no row yet):
    /// a rule's caps, its rotation and the recording read the same rows.
    private let seen = SeenRows()

    init(tx: WriteContext) { self.tx = tx }

    func daily(_ user: Int64, day: String) throws -> Int {
        try row(user, day).flatMap { $0["count"].integerValue }.map(Int.init) ?? 0
    }

    func monthly(_ user: Int64, day: String) throws -> Int {
        let rows = try tx.reader.system.aggregate("lead_assignment_count", measures: [.sum("count")], filter: .all([
            .eq("user", .integer(user)), .condition(field: "day", op: .ge, value: .text(AssignmentEngine.windowStart(day))),
            .condition(field: "day", op: .le, value: .text(day)),
        ]))
        return Int(rows.first?.values.first?.integerValue ?? 0)
    }

    func open(_ user: Int64) throws -> Int {
        try tx.reader.system.count("lead", filter: .all([.eq("owner", .integer(user)),
                                                         .condition(field: "status", op: .in, value: .list(MarketingStatus.open))]))
    }

    func position(_ rule: String) throws -> Int {
        try cursor(rule).flatMap { $0["position"].integerValue }.map(Int.init) ?? 0
    }

    mutating func record(_ user: Int64, day: String, rule: String, nextPosition: Int) throws {
        // The rows change here: what is read after is read again.
        defer { seen.counts = [:]; seen.cursors = [:] }
        try tx.asSystem {
            if let existing = try row(user, day) {
                _ = try tx.update("lead_assignment_count", existing.id, ["count": .integer((existing["count"].integerValue ?? 0) + 1)])
            } else {
                _ = try tx.create("lead_assignment_count", ["user": .integer(user), "day": .text(day), "count": .integer(1), "owner": .null])
            }
            if let c = try cursor(rule) {
                _ = try tx.update("lead_rule_cursor", c.id, ["position": .integer(Int64(nextPosition))])
            } else {
                _ = try tx.create("lead_rule_cursor", ["rule": .text(rule), "position": .integer(Int64(nextPosition)), "owner": .null])
            }
        }
    }

    private func row(_ user: Int64, _ day: String) throws -> Record? {
        let key = "\(user)|\(day)"
        if let known = seen.counts[key] { return known }
        let found = try tx.reader.system.find(Query("lead_assignment_count", filter: .all([.eq("user", .integer(user)), .eq("day", .text(day))]), limit: 1)).records.first
        seen.counts[key] = .some(found)
        return found
    }

    private func cursor(_ rule: String) throws -> Record? {
        if let known = seen.cursors[rule] { return known }
        let found = try tx.reader.system.find(Query("lead_rule_cursor", filter: .eq("rule", .text(rule)), limit: 1)).records.first
        seen.cursors[rule] = .some(found)
        return found
    }
}

/// The rows one `DatabaseAssignmentState` has read, by user and day and by rule.
private final class SeenRows {
    var counts: [String: Record?] = [:]
    var cursors: [String: Record?] = [:]
}

/// Assignment counters in memory, for `simulate_assignment`: they start empty and only the
/// simulated assignments move them.
struct SimulatedAssignmentState: AssignmentState {
    var perDay: [Int64: [String: Int]] = [:]
    var openLeads: [Int64: Int] = [:]
    var positions: [String: Int] = [:]

    func daily(_ user: Int64, day: String) throws -> Int { perDay[user]?[day] ?? 0 }

    func monthly(_ user: Int64, day: String) throws -> Int {
        let start = AssignmentEngine.windowStart(day)
        return perDay[user]?.reduce(0) { $0 + ($1.key >= start && $1.key <= day ? $1.value : 0) } ?? 0
    }

    func open(_ user: Int64) throws -> Int { openLeads[user] ?? 0 }

    func position(_ rule: String) throws -> Int { positions[rule] ?? 0 }

    mutating func record(_ user: Int64, day: String, rule: String, nextPosition: Int) throws {
        perDay[user, default: [:]][day, default: 0] += 1
        openLeads[user, default: 0] += 1
        positions[rule] = nextPosition
        // Only the window matters: days older than 30 are dropped so the sums stay short.
        if perDay[user]!.count > 40 {
            let start = AssignmentEngine.windowStart(day)
            perDay[user] = perDay[user]!.filter { $0.key >= start }
        }
    }
}
