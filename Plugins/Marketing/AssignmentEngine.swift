import CRMKernel
import Foundation

/// The counters assignment reads and moves: kept in the database for real assignments
/// (`DatabaseAssignmentState`), in memory for a simulation (`SimulatedAssignmentState`).
protocol AssignmentState {
    /// Leads given to `user` on `day` (yyyy-MM-dd).
    func daily(_ user: Int64, day: String) throws -> Int
    /// Leads given to `user` in the 30 days ending on `day`.
    func monthly(_ user: Int64, day: String) throws -> Int
    /// Open leads `user` holds.
    func open(_ user: Int64) throws -> Int
    /// Where rule `rule`'s rotation stands.
    func position(_ rule: String) throws -> Int
    /// Records one lead given to `user` on `day` by `rule` (rotation moved to `nextPosition`).
    mutating func record(_ user: Int64, day: String, rule: String, nextPosition: Int) throws
}

/// The outcome of placing one lead.
struct AssignmentDecision: Sendable, Hashable {
    /// The user the lead goes to; nil: the lead pool.
    var owner: Int64?
    /// The rule that placed it; nil when none matched (default owner or pool).
    var rule: String?
    /// Users of matching rules passed over because a cap was reached.
    var capped: [Int64]
}

/// Places leads by the rules in force: the first rule whose condition matches and that has a
/// user available (not on leave, under both caps) wins; else the default owner; else the pool.
struct AssignmentEngine {
    let rules: AssignmentRules
    /// User ids by login, for the rules' members.
    let users: [String: Int64]
    /// Users on leave (never given leads).
    let onLeave: Set<Int64>

    /// An engine for the rules in force, resolving every login they name through `reader`.
    init(reader: RecordReader) throws {
        let rules = AssignmentRules.inForce(reader.schema)
        var logins = Set(rules.rules.flatMap { $0.members.map(\.login) })
        if let d = rules.defaultOwner { logins.insert(d) }
        try self.init(reader: reader, rules: rules, logins: logins)
    }

    /// An engine for `rules` that knows only the users of `logins` (those `logins(_:for:)`
    /// names for one lead are all its decision can look at).
    init(reader: RecordReader, rules: AssignmentRules, logins: Set<String>) throws {
        self.rules = rules
        var users: [String: Int64] = [:], leave = Set<Int64>()
        for login in logins {
            // Login names are unique: an index probe, then the one record.
            guard let id = try reader.system.ids("user", where: "name", equals: .text(login), limit: 1).first,
                  let user = try reader.system.get("user", id) else { continue }
            if user["active"] == .bool(false) { continue }
            users[login] = user.id
            if user["on_leave"] == .bool(true) { leave.insert(user.id) }
        }
        self.users = users
        self.onLeave = leave
    }

    /// The logins a decision for `lead` can look at: the members of the rules whose condition
    /// it meets, and the default owner. Nil when there are none: no rule applies and there is
    /// no default owner, so the lead goes to the pool whatever the users and counters say.
    static func logins(_ rules: AssignmentRules, for lead: LeadFacts) -> Set<String>? {
        var logins = Set<String>(), anyRule = false
        for rule in rules.rules where rule.condition.matches(lead) {
            anyRule = true
            logins.formUnion(rule.members.map(\.login))
        }
        if let d = rules.defaultOwner { logins.insert(d) }
        return anyRule || rules.defaultOwner != nil ? logins : nil
    }

    /// Decides where a lead goes on `day`, recording the assignment in `state`.
    func assign(_ lead: LeadFacts, day: String, state: inout some AssignmentState) throws -> AssignmentDecision {
        var capped: [Int64] = []
        for rule in rules.rules where rule.condition.matches(lead) {
            let members = rule.members.compactMap { m in users[m.login].map { (id: $0, weight: m.weight) } }.filter { !onLeave.contains($0.id) }
            var available: [(index: Int, id: Int64, weight: Int)] = []
            for (index, m) in members.enumerated() {
                if let cap = rule.dailyCap, try state.daily(m.id, day: day) >= cap { capped.append(m.id); continue }
                if let cap = rule.monthlyCap, try state.monthly(m.id, day: day) >= cap { capped.append(m.id); continue }
                available.append((index, m.id, m.weight))
            }
            guard !available.isEmpty else { continue }
            let start = try state.position(rule.name)
            var chosen = available[0]
            switch rule.strategy {
            case .roundRobin:
                let count = members.count
                chosen = available.min { ($0.index - start + count * 2) % count < ($1.index - start + count * 2) % count }!
            case .leastOpen:
                var best: (Int, Int)? = nil
                for candidate in available {
                    let load = try state.open(candidate.id)
                    if best == nil || load < best!.0 { best = (load, candidate.index); chosen = candidate }
                }
            case .weighted:
                // The user furthest below their share: fewest 30-day leads per unit of weight.
                var best: Double? = nil
                for candidate in available {
                    let ratio = Double(try state.monthly(candidate.id, day: day) + 1) / Double(candidate.weight)
                    if best == nil || ratio < best! { best = ratio; chosen = candidate }
                }
            }
            try state.record(chosen.id, day: day, rule: rule.name, nextPosition: (chosen.index + 1) % max(members.count, 1))
            return AssignmentDecision(owner: chosen.id, rule: rule.name, capped: capped)
        }
        let fallback = rules.defaultOwner.flatMap { users[$0] }.flatMap { onLeave.contains($0) ? nil : $0 }
        return AssignmentDecision(owner: fallback, rule: nil, capped: capped)
    }

    /// The workspace day (yyyy-MM-dd) of `date`. For a Gregorian calendar after 1582 (when
    /// Foundation's calendar turns Julian), integer arithmetic on the zone's offset: the same
    /// day as `Calendar.dateComponents`, which costs about as much as the rest of an assignment.
    static func day(_ date: Date, calendar: Calendar) -> String {
        if calendar.identifier == .gregorian {
            let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + calendar.timeZone.secondsFromGMT(for: date)
            let civil = CivilDate(ordinal: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
            if civil.year > 1582 && civil.year <= 9999 { return civil.description }
        }
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    /// The day 29 days before `day` (the first day of its 30-day window).
    static func windowStart(_ day: String) -> String {
        guard let date = dayFormatter.date(from: day) else { return day }
        return dayFormatter.string(from: date.addingTimeInterval(-29 * 86_400))
    }

    static let dayFormatter: DateFormatter = {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f
    }()
}
