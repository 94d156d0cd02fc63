import CRMKernel
import Foundation

/// Auto-reclaim (自动回收): owned customers left without a follow-up for N days, or without a
/// deal for M days since they were assigned (N and M per 客户等级), go back to their pool; their
/// owners are warned K days before.
///
/// The customers due are found by one count and one page query whose filter has a branch per
/// grade rule over indexed columns (`owner`, `grade`, `last_followup_at`, `assigned_at`,
/// `lifecycle`), evaluated in SQLite: no customer is loaded unless it moves or is warned. A run moves at most `max_per_run`
/// customers (the scheduler runs again within the hour), so one transaction stays short.
public enum PoolReclaim {
    /// One customer that moves (or would, in a dry run).
    public struct Move: Sendable, Hashable {
        /// The customer's id.
        public var id: Int64
        /// Its name.
        public var name: String
        /// Its owner before the move.
        public var owner: Int64?
        /// Why it moves, e.g. 超过30天未跟进.
        public var reason: String
        /// The pool it goes to.
        public var pool: String
    }

    /// What a run did (or would do).
    public struct Report: Sendable, Hashable {
        /// The customers moved (at most `max_per_run`), by id.
        public var moves: [Move] = []
        /// How many customers are due in all (more than `moves` when the run was capped).
        public var due = 0
        /// Owners warned in this run (notifications sent; none in a dry run).
        public var warned = 0
        /// Customers that could not move (a company rule refused the save), with the reason; they
        /// stay with their owners and are tried again next run.
        public var skipped: [Skip] = []
    }

    /// A customer that was due but could not move.
    public struct Skip: Sendable, Hashable {
        /// The customer's id.
        public var id: Int64
        /// The error that refused the move.
        public var message: String
    }

    /// Seconds each query of a reclaim pass may run (a request's query gets 2).
    static let queryLimit: Double = 60

    /// What a run at `now` would move, read without taking the write lock (a dry run).
    public static func preview(_ reader: RecordReader, now: Date) throws -> Report {
        try plan(reader, PoolRules.inForce(reader.schema), now: now).report
    }

    /// The customers due at `now` (at most `max_per_run`, by id) and the report listing them.
    /// A pass over the whole book, not a request: its queries may take up to `queryLimit` each.
    private static func plan(_ reader: RecordReader, _ rules: PoolRules, now: Date) throws -> (report: Report, records: [Record]) {
        let due = dueFilter(rules, now: now)
        var report = Report()
        let (count, records) = try QueryBudget.withLimit(queryLimit) {
            (try reader.count("customer", filter: due),
             try reader.find(Query("customer", filter: due, sort: [SortKey("id")], limit: rules.maxPerRun)).records)
        }
        report.due = count
        report.moves = records.map { customer in
            Move(id: customer.id, name: customer["name"].textValue ?? "", owner: customer["owner"].integerValue,
                 reason: reason(customer, rules, now: now) ?? "超期未跟进", pool: rules.pool(forProvince: customer["province"].textValue))
        }
        return (report, records)
    }

    /// Finds the customers due at `now` and, unless `dryRun`, moves them to their pools (audited,
    /// one `pool_event` each) and warns the owners of those due within `warn_days`.
    public static func run(_ tx: WriteContext, now: Date, dryRun: Bool) throws -> Report {
        let rules = PoolRules.inForce(tx.schema)
        var (report, records) = try plan(tx.reader, rules, now: now)
        guard !dryRun else { return report }
        let planned = report.moves
        report.moves = []
        for (customer, move) in zip(records, planned) {
            do {
                try tx.update("customer", customer.id, ["owner": .null])
            } catch let error as KernelError where [.validation, .conflict, .forbidden].contains(error.kind) {
                // One record a company rule now refuses (say, a phone stored before the rule) must
                // not hold back every other reclaim.
                report.skipped.append(Skip(id: customer.id, message: error.description))
                continue
            }
            try PoolRecords.record(tx, customer: customer.id, action: PoolAction.reclaim, user: tx.user.id, previousOwner: customer["owner"],
                                   pool: move.pool, reason: move.reason)
            report.moves.append(move)
        }
        if rules.warnDays > 0 { report.warned = try warn(tx, rules, now: now) }
        return report
    }

    /// Sends `pool.warning` to the owners of customers due within `warn_days` (not due yet);
    /// one notification per customer and due date. Returns how many were sent.
    static func warn(_ tx: WriteContext, _ rules: PoolRules, now: Date) throws -> Int {
        let soon = Filter.all([dueFilter(rules, now: now.addingTimeInterval(Double(rules.warnDays) * 86_400)), .not(dueFilter(rules, now: now))])
        var sent = 0
        let days = DateFormatter()
        days.dateFormat = "yyyy-MM-dd"
        days.locale = Locale(identifier: "en_US_POSIX")
        days.timeZone = try tx.reader.workspaceCalendar().timeZone
        for customer in try tx.reader.find(Query("customer", filter: soon, sort: [SortKey("id")], limit: rules.maxPerRun)).records {
            guard let owner = customer["owner"].integerValue, let (at, reason) = dueDate(customer, rules) else { continue }
            let day = days.string(from: at)
            let name = customer["name"].textValue ?? "#\(customer.id)"
            let message = Notifications.Message(user: owner, kind: "pool.warning", title: "客户「\(name)」将于 \(day) 退回公海",
                                                body: "\(reason)，到期将自动退回公海；跟进或成交可避免回收。",
                                                entity: "customer", recordID: customer.id, key: "pool:\(customer.id):warn:\(owner):\(day)")
            if try Notifications.send(message, in: tx) != nil { sent += 1 }
        }
        return sent
    }

    /// Owned customers due for reclaim at `now`: one branch per grade rule.
    static func dueFilter(_ rules: PoolRules, now: Date) -> Filter {
        var branches: [Filter] = []
        let listed = rules.byGrade.keys.sorted()
        for grade in listed {
            if let f = ruleFilter(rules.byGrade[grade]!, now: now) { branches.append(.all([.eq("grade", .text(grade)), f])) }
        }
        if let f = ruleFilter(rules.reclaimDefault, now: now) {
            let others: Filter = listed.isEmpty ? .all([])
                : .any([.condition(field: "grade", op: .notIn, value: .list(listed)), .condition(field: "grade", op: .isEmpty, value: .null)])
            branches.append(.all([others, f]))
        }
        guard !branches.isEmpty else { return .any([]) }
        return .all([.condition(field: "owner", op: .isNotEmpty, value: .null), .any(branches)])
    }

    /// One rule: no follow-up since the cutoff (and assigned before it), or no deal since assigned.
    static func ruleFilter(_ rule: PoolRules.Reclaim, now: Date) -> Filter? {
        var parts: [Filter] = []
        if let days = rule.noFollowupDays {
            let cutoff = Value.datetime(now.addingTimeInterval(-Double(days) * 86_400))
            parts.append(.all([
                .any([.condition(field: "last_followup_at", op: .isEmpty, value: .null),
                      .condition(field: "last_followup_at", op: .lt, value: cutoff)]),
                assignedBefore(cutoff),
            ]))
        }
        if let days = rule.noDealDays {
            let cutoff = Value.datetime(now.addingTimeInterval(-Double(days) * 86_400))
            parts.append(.all([.condition(field: "lifecycle", op: .ne, value: .text(CustomerLifecycle.won)), assignedBefore(cutoff)]))
        }
        return parts.isEmpty ? nil : .any(parts)
    }

    /// Assigned before `cutoff` (created before it, when never stamped).
    private static func assignedBefore(_ cutoff: Value) -> Filter {
        .any([.condition(field: "assigned_at", op: .lt, value: cutoff),
              .all([.condition(field: "assigned_at", op: .isEmpty, value: .null), .condition(field: "created_at", op: .lt, value: cutoff)])])
    }

    /// When the customer falls due under its grade's rule, and why (the earliest rule).
    static func dueDate(_ customer: Record, _ rules: PoolRules) -> (Date, String)? {
        let rule = rules.reclaim(grade: customer["grade"].textValue)
        guard let assigned = date(customer["assigned_at"]) ?? date(customer["created_at"]) else { return nil }
        var found: [(Date, String)] = []
        if let n = rule.noFollowupDays {
            let anchor = max(assigned, date(customer["last_followup_at"]) ?? assigned)
            found.append((anchor.addingTimeInterval(Double(n) * 86_400), "超过\(n)天未跟进"))
        }
        if let m = rule.noDealDays, customer["lifecycle"] != .text(CustomerLifecycle.won) {
            found.append((assigned.addingTimeInterval(Double(m) * 86_400), "超过\(m)天未成交"))
        }
        return found.min { $0.0 < $1.0 }
    }

    /// Why a due customer moves.
    static func reason(_ customer: Record, _ rules: PoolRules, now: Date) -> String? {
        guard let (at, reason) = dueDate(customer, rules), at <= now else { return nil }
        return reason
    }

    private static func date(_ v: Value) -> Date? {
        if case .datetime(let d) = v { return d }
        return nil
    }
}

extension PoolReclaim {
    /// `customers.pool_reclaim`: the hourly reclaim pass, as the system.
    static var job: ScheduledJob {
        ScheduledJob(id: "customers.pool_reclaim", label: LocalizedText("公海自动回收与到期提醒", en: "Pool auto-reclaim and warnings"),
                     interval: 3600) { tx, now in
            let r = try run(tx, now: now, dryRun: false)
            let skipped = r.skipped.isEmpty ? "" : ", \(r.skipped.count) refused by company rules (first: customer \(r.skipped[0].id): \(r.skipped[0].message))"
            return "\(r.moves.count) customer(s) returned to the pool (\(r.due) due), \(r.warned) owner warning(s) sent" + skipped
        }
    }
}
