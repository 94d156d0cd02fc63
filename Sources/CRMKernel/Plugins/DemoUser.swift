import Foundation

/// A user a module wants in a demo workspace (`crm init --demo`), with the team it works in.
public struct DemoUser: Sendable, Hashable {
    /// Login name (`lina`); demo data finds the user by it or by role.
    public var login: String
    /// Display name (李娜).
    public var displayName: String
    /// Role id (a stock role such as `sales_rep`).
    public var role: String
    /// Name of the team (created when missing), or nil.
    public var team: String?
    /// Mobile number, or nil.
    public var phone: String?

    /// Declares a demo user.
    public init(login: String, displayName: String, role: String, team: String? = nil, phone: String? = nil) {
        self.login = login
        self.displayName = displayName
        self.role = role
        self.team = team
        self.phone = phone
    }
}

extension Workspace {
    /// Fills the workspace with the enabled modules' demo users (and their teams), then each
    /// enabled module's demo data in dependency order. Users already there are reused by login
    /// name. Returns the number of records created.
    @discardableResult
    public func seedDemo(seed: UInt64 = 42) throws -> Int {
        let before = try countRecords()
        let enabled = try enabledModules()
        let active = registry.plugins.filter { enabled.contains($0.manifest.id) }
        var users: [String: Int64] = [:], roles: [String: String] = [:]
        try store.write(as: .system) { tx in
            for user in active.flatMap(\.demoUsers) where users[user.login] == nil {
                roles[user.login] = user.role
                if let id = try tx.reader.ids("user", where: "name", equals: .text(user.login)).first { users[user.login] = id; continue }
                var values: [String: Value] = ["name": .text(user.login), "display_name": .text(user.displayName), "role": .text(user.role)]
                if let team = user.team {
                    values["team"] = .integer(try tx.reader.ids("team", where: "name", equals: .text(team)).first
                                              ?? tx.create("team", ["name": .text(team)]).id)
                }
                if let phone = user.phone { values["phone"] = .text(phone) }
                users[user.login] = try tx.create("user", values).id
            }
        }
        var demo = DemoContext(users: users, roles: roles, seed: seed)
        for plugin in active {
            try store.write(as: .system) { tx in try plugin.seedDemo(tx, &demo) }
        }
        return try countRecords() - before
    }

    private func countRecords() throws -> Int {
        try store.schema.entityNames.reduce(0) { $0 + (try store.count($1)) }
    }
}
