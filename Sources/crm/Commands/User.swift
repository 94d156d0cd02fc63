import ArgumentParser
import CRMKernel

extension CRM {
    /// `crm user add NAME --role ROLE [--team TEAM]`.
    struct UserCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage users.", subcommands: [Add.self, List.self])

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Add a user with a role (and a team, created if new).")
            @OptionGroup var options: WorkspaceOptions
            @Argument(help: "Login name.") var name: String
            @Option(help: "Role id: \(KernelEntities.stockRoles.map(\.id).joined(separator: ", ")).") var role: String
            @Option(help: "Team name.") var team: String?
            @Option(name: .customLong("display-name"), help: "Name shown to people (e.g. 张伟).") var displayName: String?

            func run() throws {
                try reportingErrors {
                    let ws = try WorkspaceLoader.open(options).workspace
                    let user = try ws.store.write(as: .system) { tx -> Record in
                        var values: [String: Value] = ["name": .text(name), "role": .text(role)]
                        if let displayName { values["display_name"] = .text(displayName) }
                        if let team {
                            let id = try tx.reader.ids("team", where: "name", equals: .text(team)).first
                                ?? tx.create("team", ["name": .text(team)]).id
                            values["team"] = .integer(id)
                        }
                        return try tx.create("user", values)
                    }
                    say("added user \(name) (id \(user.id), role \(role))")
                }
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List users.")
            @OptionGroup var options: WorkspaceOptions

            func run() throws {
                try reportingErrors {
                    let ws = try WorkspaceLoader.open(options).workspace
                    let users = try ws.store.find(Query("user", sort: [SortKey("name")])).records
                    say(TextTable.render(header: ["id", "name", "display name", "role", "team"], rows: users.map {
                        [String($0.id), $0["name"].description, $0["display_name"].isEmpty ? "" : $0["display_name"].description,
                         $0["role"].description, $0["team"].isEmpty ? "" : $0["team"].description]
                    }))
                }
            }
        }
    }
}
