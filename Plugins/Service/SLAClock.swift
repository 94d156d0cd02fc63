import CRMKernel
import Foundation

/// A ticket's SLA state, computed from its status history when read: working time on the
/// policy's calendar while the ticket is in a running status (not paused, not finished).
/// Nothing here is stored, so a changed calendar or policy applies to every open ticket at once.
public struct SLAState: Sendable, Hashable {
    /// One target's state.
    public struct Target: Sendable, Hashable {
        /// The target in working seconds.
        public var target: Int
        /// Working seconds used so far (or until met).
        public var elapsed: Int
        /// Whether the target was reached (responded, solved).
        public var done: Bool
        /// `ok`, `warning`, `breached`, `met` (done in time) or `paused`.
        public var state: String
        /// When it falls due if the clock keeps running (nil once done or while paused).
        public var dueAt: Date?

        /// Percent of the target used.
        public var percent: Int { target > 0 ? elapsed * 100 / target : 0 }
    }

    /// The policy's priority and grade, nil when no policy applies.
    public var policy: SLAPolicies.Policy?
    /// First response.
    public var response: Target?
    /// Resolution.
    public var resolution: Target?
    /// Whether the clock is paused now.
    public var paused: Bool

    /// The worse of the two targets' states (`breached` > `warning` > `ok`/`paused` > `met`).
    public var overall: String {
        let states = [response?.state, resolution?.state].compactMap { $0 }
        for s in ["breached", "warning", "paused", "ok", "met"] where states.contains(s) { return s }
        return "none"
    }

    /// As a script table.
    var script: ScriptValue {
        func t(_ x: Target?) -> ScriptValue {
            guard let x else { return .null }
            var m: [String: ScriptValue] = ["target": .value(.integer(Int64(x.target))), "elapsed": .value(.integer(Int64(x.elapsed))),
                                            "done": .value(.bool(x.done)), "state": .value(.text(x.state)), "percent": .value(.integer(Int64(x.percent)))]
            if let d = x.dueAt { m["due_at"] = .value(.datetime(d)) }
            return .table(m)
        }
        return .table(["response": t(response), "resolution": t(resolution), "paused": .value(.bool(paused)), "state": .value(.text(overall))])
    }
}

/// Computing `SLAState` from a ticket and its `ticket_status` rows.
public enum SLAClock {
    /// One stay in a status.
    public struct Stay: Sendable, Hashable {
        /// The status.
        public var status: String
        /// When it was entered.
        public var at: Date

        /// Creates a stay.
        public init(status: String, at: Date) {
            self.status = status
            self.at = at
        }
    }

    /// The state of `ticket` at `now`, reading its history and customer.
    public static func state(_ reader: RecordReader, ticket: Record, now: Date) throws -> SLAState {
        try state(reader, id: ticket.id, values: ticket.values, pending: nil, now: now)
    }

    /// The state of ticket `id` with `values`, as if `pending` were appended to its history.
    static func state(_ reader: RecordReader, id: Int64, values: [String: Value], pending: Stay?, now: Date) throws -> SLAState {
        let r = reader.system
        // Only the two fields the clock reads: a long history is mostly decoding otherwise.
        let rows = try r.find(Query("ticket_status", filter: .eq("ticket", .integer(id)), sort: [SortKey("at"), SortKey("id")], limit: 10_000),
                              only: ["status", "at"]).records
        var stays = rows.compactMap { row -> Stay? in
            guard let s = row["status"].textValue, case .datetime(let at) = row["at"] else { return nil }
            return Stay(status: s, at: at)
        }
        if let pending { stays.append(pending) }
        var grade: String? = nil
        if let c = values["customer"]?.integerValue { grade = try r.get("customer", c)?["grade"].textValue }
        let sla = SLAPolicies.inForce(reader.schema)
        let clock = BusinessClock(try reader.schema.businessCalendar(sla.calendar), zone: try reader.workspaceCalendar().timeZone)
        return try compute(ticket: values, stays: stays, grade: grade, sla: sla,
                           statuses: ServiceRules.inForce(reader.schema).statuses, clock: clock, now: now)
    }

    /// The state from given stays (oldest first), without reading anything.
    public static func compute(ticket: [String: Value], stays: [Stay], grade: String?, sla: SLAPolicies, statuses: ServiceStatus,
                               clock: BusinessClock, now: Date) throws -> SLAState {
        guard let policy = sla.policy(priority: ticket["priority"]?.textValue, grade: grade) else {
            return SLAState(policy: nil, response: nil, resolution: nil, paused: false)
        }
        var respondedAt: Date? = nil
        if case .datetime(let f)? = ticket["first_response_at"] { respondedAt = f }
        let finished = Set(statuses.finished), paused = Set(sla.pause)
        // Running spans: [start, end) of stays neither paused nor finished. A history repeats a
        // few statuses: a status seen before with the same bytes keeps its answer (hashing a
        // Chinese status for the sets normalizes it every time).
        var spans: [(Date, Date)] = []
        var seen: [(status: String, running: Bool)] = []
        for (i, stay) in stays.enumerated() {
            let running: Bool
            if let hit = seen.first(where: { $0.status.utf8.elementsEqual(stay.status.utf8) }) { running = hit.running }
            else {
                running = !finished.contains(stay.status) && !paused.contains(stay.status)
                seen.append((stay.status, running))
            }
            guard running else { continue }
            let end = i + 1 < stays.count ? stays[i + 1].at : now
            if end > stay.at { spans.append((stay.at, min(end, now))) }
        }
        let current = stays.last?.status
        let isPaused = current.map(paused.contains) ?? false
        let isFinished = current.map(finished.contains) ?? false
        func used(until limit: Date) throws -> Int {
            var total = 0
            for (a, b) in spans where a < limit { total += try clock.workingSeconds(from: a, to: min(b, limit)) }
            return total
        }
        func target(_ seconds: Int, elapsed: Int, done: Bool, running: Bool) throws -> SLAState.Target {
            let state: String
            if done { state = elapsed <= seconds ? "met" : "breached" }
            else if elapsed >= seconds { state = "breached" }
            else if elapsed * 100 >= seconds * sla.warnPercent { state = "warning" }
            else { state = running ? "ok" : "paused" }
            let due = (!done && running && elapsed < seconds) ? try clock.adding(workingSeconds: seconds - elapsed, to: now) : nil
            return SLAState.Target(target: seconds, elapsed: elapsed, done: done, state: state, dueAt: due)
        }
        let responseDone = respondedAt != nil || isFinished
        let resolutionUsed = try used(until: now)
        // Not responded before now: the response clock is the resolution clock (counted once).
        let responseUsed: Int
        if let r = respondedAt, r < now { responseUsed = try used(until: r) } else { responseUsed = resolutionUsed }
        return SLAState(policy: policy,
                        response: try target(policy.responseSeconds, elapsed: responseUsed, done: responseDone, running: !isPaused),
                        resolution: try target(policy.resolutionSeconds, elapsed: resolutionUsed, done: isFinished, running: !isPaused && !isFinished),
                        paused: isPaused)
    }
}
