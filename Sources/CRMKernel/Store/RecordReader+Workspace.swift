import Foundation

extension RecordReader {
    /// The default workspace time zone.
    static let defaultTimeZone = "Asia/Shanghai"
    /// Built once: looking a zone up reads the tz database, too slow for every write of an import.
    static let defaultCalendar = gregorian(TimeZone(identifier: defaultTimeZone) ?? TimeZone(secondsFromGMT: 8 * 3600)!)

    private static func gregorian(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    /// The workspace's Gregorian calendar, in its time zone (setting `time_zone`, default
    /// Asia/Shanghai): what "today" and "this month" mean for quotas, reminders and reports.
    public func workspaceCalendar() throws -> Calendar {
        guard let name = try setting("time_zone"), name != Self.defaultTimeZone, let zone = TimeZone(identifier: name) else {
            return Self.defaultCalendar
        }
        return Self.gregorian(zone)
    }

    /// The business calendar `name` (see `Schema.businessCalendar`) in the workspace time zone.
    public func businessClock(_ name: String = "default") throws -> BusinessClock {
        BusinessClock(try schema.businessCalendar(name), zone: try workspaceCalendar().timeZone)
    }

    /// `teams` and all their sub-teams, at any depth (one query per level).
    public func teamSubtree(_ teams: [Int64]) throws -> [Int64] {
        var all = teams, seen = Set(teams), frontier = teams
        while !frontier.isEmpty, all.count < 10_000 {
            let children = try find(Query("team", filter: .condition(field: "parent", op: .in, value: .list(frontier.map(String.init))),
                                          limit: 10_000)).records.map(\.id).filter { seen.insert($0).inserted }
            all += children
            frontier = children
        }
        return all
    }

    /// The users whose team is one of `teams`.
    public func teamMembers(_ teams: [Int64]) throws -> [Int64] {
        guard !teams.isEmpty else { return [] }
        return try find(Query("user", filter: .condition(field: "team", op: .in, value: .list(teams.map(String.init))),
                              limit: 100_000)).records.map(\.id)
    }
}
