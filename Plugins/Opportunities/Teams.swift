import CRMKernel
import Foundation

/// Teams and their members, for report filters and for finding a user's manager.
enum Teams {
    /// A team id from an id or a team name.
    static func id(_ reader: RecordReader, _ value: ScriptValue) throws -> Int64 {
        if let id = value.integer {
            guard try reader.exists("team", id) else { throw KernelError.recordNotFound("team", id) }
            return id
        }
        guard let name = value.text, let id = try reader.ids("team", where: "name", equals: .text(name), limit: 1).first else {
            throw KernelError(.notFound, "no team \(value)", entity: "team")
        }
        return id
    }

    /// Users of the team and its sub-teams.
    static func members(_ reader: RecordReader, team: Int64) throws -> [Int64] {
        try reader.teamMembers(try reader.teamSubtree([team]))
    }

    /// The user's manager: `user.manager`, else the manager of the user's team (or a parent team);
    /// never the user themself.
    static func manager(_ reader: RecordReader, of user: Int64) throws -> Int64? {
        guard let u = try reader.get("user", user) else { return nil }
        if case .integer(let m) = u["manager"], m != user { return m }
        var team = u["team"].integerValue
        var hops = 0
        while let t = team, hops < 32, let record = try reader.get("team", t) {
            if case .integer(let m) = record["manager"], m != user { return m }
            team = record["parent"].integerValue
            hops += 1
        }
        return nil
    }
}
