import Foundation

/// A parameter a report takes (`period`, `team` ...), with its type and default.
///
/// Values arrive as text (`--param period=2026-11`, `?period=2026-Q4`) or from Lua, and are
/// checked by type before the report runs: a bad value is a validation error naming the parameter.
public struct ReportParameter: Sendable, Hashable, Codable {
    /// What kind of value the parameter takes.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Free text.
        case text
        /// A whole number.
        case integer
        /// A day, `YYYY-MM-DD`.
        case date
        /// A period: `2026-11`, `2026-Q4`, `2026`, `2026-11-05`, `2026-01-01..2026-03-31`, or
        /// `this_month`, `last_month`, `this_quarter`, `last_quarter`, `this_year`, `last_year`.
        case period
        /// A team, by id or name (covers its sub-teams).
        case team
        /// A user, by id or login name.
        case user
    }

    /// The name (`period`), used in `--param period=...` and `$period` in filters.
    public var name: String
    /// Its kind.
    public var kind: Kind
    /// The label shown on forms.
    public var label: LocalizedText
    /// The value used when none is given (text, as a caller would give it); nil: no value.
    public var defaultValue: String?

    /// Creates a parameter.
    public init(_ name: String, _ kind: Kind, label: LocalizedText? = nil, default defaultValue: String? = nil) {
        self.name = name
        self.kind = kind
        self.label = label ?? LocalizedText(name)
        self.defaultValue = defaultValue
    }
}

/// A parameter's checked value.
public enum ReportArgument: Sendable, Hashable {
    /// Text.
    case text(String)
    /// A whole number.
    case integer(Int64)
    /// A day.
    case date(String)
    /// First and last day of a period, inclusive (`YYYY-MM-DD`), and how it was written.
    case period(from: String, to: String, spelled: String)
    /// The ids of a team's members (sub-teams included), and the team's id.
    case team(id: Int64, members: [Int64])
    /// A user id.
    case user(Int64)

    /// The value as a caller would write it (for headings and file names).
    public var display: String {
        switch self {
        case .text(let s), .date(let s): return s
        case .integer(let i): return String(i)
        case .period(_, _, let spelled): return spelled
        case .team(let id, _): return String(id)
        case .user(let id): return String(id)
        }
    }
}

/// The checked arguments of one run, by parameter name (parameters without a value are absent).
public struct ReportArguments: Sendable {
    /// Values by parameter name.
    public var values: [String: ReportArgument]
    /// Today in the workspace time zone (`YYYY-MM-DD`).
    public var today: String

    /// Creates arguments.
    public init(values: [String: ReportArgument] = [:], today: String) {
        self.values = values
        self.today = today
    }

    /// The value of parameter `name`, if it has one.
    public subscript(name: String) -> ReportArgument? { values[name] }

    /// A period argument's day range.
    public func period(_ name: String) -> (from: String, to: String)? {
        if case .period(let from, let to, _)? = values[name] { return (from, to) }
        return nil
    }
}

extension ReportParameter {
    /// Checks `raw` (or the default when `raw` is nil or empty) and turns it into an argument;
    /// nil when there is no value. Throws a validation error naming the parameter.
    public func argument(_ raw: String?, today: String, reader: RecordReader) throws -> ReportArgument? {
        let given = raw.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0.trimmingCharacters(in: .whitespaces) }
        guard let text = given ?? defaultValue else { return nil }
        func bad(_ expected: String) -> KernelError {
            KernelError(.validation, "parameter '\(name)': '\(text)' is not \(expected)",
                        fieldErrors: [FieldError(field: name, message: "wrong value")])
        }
        switch kind {
        case .text: return .text(text)
        case .integer:
            guard let i = Int64(text) else { throw bad("a whole number") }
            return .integer(i)
        case .date:
            guard let range = ReportPeriod.range(text, today: today), range.from == range.to, text.count == 10 else { throw bad("a day (YYYY-MM-DD)") }
            return .date(text)
        case .period:
            guard let range = ReportPeriod.range(text, today: today) else {
                throw bad("a period (2026-11, 2026-Q4, 2026, 2026-01-01..2026-03-31, this_month, last_month, this_quarter, this_year)")
            }
            return .period(from: range.from, to: range.to, spelled: text)
        case .team:
            let id: Int64
            if let n = Int64(text) { id = n } else {
                guard let found = try reader.system.ids("team", where: "name", equals: .text(text), limit: 1).first else { throw bad("a team") }
                id = found
            }
            guard try reader.system.get("team", id) != nil else { throw bad("a team") }
            return .team(id: id, members: try ReportTeams.members(reader.system, team: id))
        case .user:
            if let n = Int64(text), try reader.system.get("user", n) != nil { return .user(n) }
            guard let found = try reader.system.ids("user", where: "name", equals: .text(text), limit: 1).first else { throw bad("a user") }
            return .user(found)
        }
    }
}

/// Team membership for report parameters: a team's users, its sub-teams' included.
enum ReportTeams {
    static func members(_ reader: RecordReader, team: Int64) throws -> [Int64] {
        let teams = try reader.find(Query("team", limit: 100_000)).records
        var covered: Set<Int64> = [team]
        var grew = true
        while grew {
            grew = false
            for t in teams where !covered.contains(t.id) {
                if let parent = t["parent"].integerValue, covered.contains(parent) { covered.insert(t.id); grew = true }
            }
        }
        let users = try reader.find(Query("user", limit: 100_000)).records
        return users.filter { u in u["team"].integerValue.map(covered.contains) ?? false }.map(\.id).sorted()
    }
}
