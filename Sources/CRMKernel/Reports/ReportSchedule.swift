import Foundation

/// When and to whom a report is e-mailed: once per ISO week, on `weekday` (1 Monday … 7 Sunday,
/// in the workspace time zone) or at the job's first run later that week, to each address in
/// `to`, with the report's parameters given as text (`period = "last_month"`). Part of a spec:
/// `schedule = {weekday = 1, to = {...}, params = {...}}` in `crm.report`, `"schedule": {"weekday": 1,
/// "to": [...], "params": {...}}` in a saved report's JSON.
public struct ReportSchedule: Sendable, Hashable, Codable {
    /// ISO weekday: 1 Monday … 7 Sunday.
    public var weekday: Int
    /// E-mail addresses.
    public var to: [String]
    /// Parameter values as text; parameters not listed take their defaults.
    public var params: [String: String]

    /// Creates a schedule.
    public init(weekday: Int, to: [String], params: [String: String] = [:]) {
        self.weekday = weekday
        self.to = to
        self.params = params
    }

    private enum CodingKeys: String, CodingKey { case weekday, to, params }

    /// Decodes a schedule; `params` may be left out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        weekday = try c.decode(Int.self, forKey: .weekday)
        to = try c.decode([String].self, forKey: .to)
        params = try c.decodeIfPresent([String: String].self, forKey: .params) ?? [:]
    }

    /// Checks the weekday, the addresses and that each parameter is one of `parameters`.
    func validate(name: String, parameters: [ReportParameter]) throws(KernelError) {
        func fail(_ field: String, _ message: String) -> KernelError {
            KernelError(.validation, "crm.report '\(name)': schedule: \(message)", fieldErrors: [FieldError(field: "schedule.\(field)", message: message)])
        }
        guard (1...7).contains(weekday) else { throw fail("weekday", "weekday \(weekday) is not 1 (Monday) … 7 (Sunday)") }
        guard !to.isEmpty else { throw fail("to", "to lists no e-mail address") }
        for address in to where !Self.looksLikeEmail(address) { throw fail("to", "'\(address)' is not an e-mail address") }
        let known = Set(parameters.flatMap { [$0.name, Self.camel($0.name)] })
        for key in params.keys.sorted() where !known.contains(key) { throw fail("params", "unknown parameter '\(key)'") }
    }

    /// The value given for parameter `name` (saved JSON is read with snake_case conversion, which
    /// also turns `team_id` keys into `teamId`: both spellings are looked up).
    func value(for name: String) -> String? { params[name] ?? params[Self.camel(name)] }

    static func camel(_ name: String) -> String {
        let parts = name.split(separator: "_")
        guard let first = parts.first else { return name }
        return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    static func looksLikeEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !s.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" })
    }

    /// The ISO week of `date` in `calendar`'s time zone (`2026-W49`) and its ISO weekday (1 … 7).
    static func isoWeek(of date: Date, in calendar: Calendar) -> (week: String, weekday: Int) {
        var iso = Calendar(identifier: .iso8601)
        iso.timeZone = calendar.timeZone
        let c = iso.dateComponents([.yearForWeekOfYear, .weekOfYear, .weekday], from: date)
        let weekday = ((c.weekday ?? 2) + 5) % 7 + 1  // Foundation: 1 Sunday … 7 Saturday
        return (String(format: "%04d-W%02d", c.yearForWeekOfYear ?? 1970, c.weekOfYear ?? 1), weekday)
    }
}
