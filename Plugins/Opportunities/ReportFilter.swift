import CRMKernel
import Foundation

/// The filter every opportunity report takes, from Lua as a table:
/// `{owner = 12, team = 3 or "华南一组", pipeline = "default", period = "2026-11" | "2026-Q4" | "2026"
/// | {from = "2026-01-01", to = "2026-03-31"}, as_of = "2026-10-01", by = "month" | "owner" | "team"}`.
///
/// A team covers its sub-teams; owner and team narrow to the opportunities those users own.
/// Any other key is a field condition on the opportunity, as in `crm.find` (`{industry = ...}`);
/// reports read from the stage history (as_of, conversion) refuse those.
struct ReportFilter: Sendable {
    /// Owners to keep (nil: everyone).
    var owners: [Int64]?
    /// The pipeline to report on (nil: all).
    var pipeline: String?
    /// First and last day of the period, inclusive (`YYYY-MM-DD`).
    var period: (from: String, to: String)?
    /// Report the state at the end of this day instead of now (funnel).
    var asOf: String?
    /// Grouping of the forecast: month, owner or team.
    var by = "month"
    /// Other conditions on opportunity fields.
    var fields: Filter?

    static let keys: Set<String> = ["owner", "team", "pipeline", "period", "as_of", "by"]

    /// No filter.
    init() {}

    /// Reads a script's filter table; with `access`, the report covers only the opportunities
    /// the caller may see.
    init(script value: ScriptValue, _ reader: RecordReader, access: AccessGuard?) throws {
        self = try ReportFilter(script: value, reader)
        if let access, let visible = access.visibleOwners(try reader.schema.entity("opportunity")) {
            owners = (owners.map { Set($0).intersection(visible) } ?? Set(visible)).sorted()
        }
    }

    /// Reads a script's filter table (nil or an empty table: everything).
    init(script value: ScriptValue, _ reader: RecordReader) throws {
        guard case .table(let t) = value else {
            if case .value(.null) = value { return }
            if case .list(let l) = value, l.isEmpty { return }
            throw KernelError(.validation, "a report filter is a table such as {team = 3, period = \"2026-Q4\"}")
        }
        let rest = t.filter { !Self.keys.contains($0.key) }
        if !rest.isEmpty {
            fields = try Filter(script: .table(rest))
            _ = try reader.count("opportunity", filter: fields)  // unknown fields fail here, not later
        }
        var owners: Set<Int64>?
        if let owner = t["owner"], owner != .null {
            guard let id = owner.integer else { throw KernelError(.validation, "filter owner must be a user id") }
            owners = [id]
        }
        if let team = t["team"], team != .null {
            let members = try Set(Teams.members(reader, team: try Teams.id(reader, team)))
            owners = owners.map { $0.intersection(members) } ?? members
        }
        self.owners = owners.map { $0.sorted() }
        pipeline = t["pipeline"]?.text
        if let p = t["period"], p != .null { period = try Self.period(p) }
        if let asOf = t["as_of"], asOf != .null {
            guard let day = asOf.text, day.split(separator: "-").count == 3 else { throw KernelError(.validation, "as_of is a day such as \"2026-10-01\"") }
            _ = try Self.period(asOf)
            self.asOf = day
        }
        if let by = t["by"]?.text {
            guard ["month", "owner", "team"].contains(by) else { throw KernelError(.validation, "filter by must be month, owner or team") }
            self.by = by
        }
    }

    /// The conditions every report over opportunities applies: owner, pipeline, other fields.
    var opportunityParts: [Filter] {
        var parts: [Filter] = []
        if let owners = ownerFilter() { parts.append(owners) }
        if let pipeline { parts.append(.eq("pipeline", .text(pipeline))) }
        if let fields { parts.append(fields) }
        return parts
    }

    /// The conditions on stage-history rows: owner and pipeline (field conditions are refused).
    func historyParts(_ report: String) throws -> [Filter] {
        guard fields == nil else {
            throw KernelError(.validation, "\(report) reads the stage history: filter by owner, team, pipeline and period only")
        }
        var parts: [Filter] = []
        if let owners = ownerFilter() { parts.append(owners) }
        if let pipeline { parts.append(.eq("pipeline", .text(pipeline))) }
        return parts
    }

    /// The owner condition on `field`, or nil.
    func ownerFilter(_ field: String = "owner") -> Filter? {
        owners.map { .condition(field: field, op: .in, value: .list($0.map(String.init))) }
    }

    /// `YYYY-MM-DD` day ranges for `2026-11`, `2026-Q4`, `2026`, `2026-11-05` or `{from=, to=}`.
    static func period(_ value: ScriptValue) throws -> (from: String, to: String) {
        if case .table(let t) = value, let from = t["from"]?.text, let to = t["to"]?.text {
            _ = try period(.value(.text(from))); _ = try period(.value(.text(to)))
            return (from, to)
        }
        guard let text = value.text else { throw KernelError(.validation, "a period is \"2026-11\", \"2026-Q4\", \"2026\" or {from = ..., to = ...}") }
        let parts = text.split(separator: "-").map(String.init)
        guard let year = Int(parts.first ?? ""), (1900...9999).contains(year) else {
            throw KernelError(.validation, "'\(text)' is not a period (2026-11, 2026-Q4, 2026 or 2026-11-05)")
        }
        let y = String(format: "%04d", year)
        switch parts.count {
        case 1: return ("\(y)-01-01", "\(y)-12-31")
        case 2 where parts[1].hasPrefix("Q"):
            guard let q = Int(parts[1].dropFirst()), (1...4).contains(q) else { break }
            return ("\(y)-" + String(format: "%02d", q * 3 - 2) + "-01", "\(y)-" + String(format: "%02d-%02d", q * 3, lastDay(year, q * 3)))
        case 2:
            guard let m = Int(parts[1]), (1...12).contains(m) else { break }
            return ("\(y)-" + String(format: "%02d", m) + "-01", "\(y)-" + String(format: "%02d-%02d", m, lastDay(year, m)))
        case 3:
            guard let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m), (1...31).contains(d) else { break }
            return (text, text)
        default: break
        }
        throw KernelError(.validation, "'\(text)' is not a period (2026-11, 2026-Q4, 2026 or 2026-11-05)")
    }

    /// The number of days of month `m` of `year`.
    static func lastDay(_ year: Int, _ m: Int) -> Int {
        switch m {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `field` between the period's first and last day (dates compare as text).
    func periodFilter(_ field: String) -> Filter? {
        period.map { .all([.condition(field: field, op: .ge, value: .text($0.from)), .condition(field: field, op: .le, value: .text($0.to))]) }
    }
}
