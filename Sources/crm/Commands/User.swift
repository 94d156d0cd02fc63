import ArgumentParser
import CRMKernel
import CRMPlugins
import CRMServer
import Foundation

extension CRM {
    /// `crm user add NAME --role ROLE [--team TEAM]`.
    struct UserCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage users.", subcommands: [Add.self, List.self, Password.self])

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Add a user with a role (and a team, created if new).")
            @OptionGroup var options: WorkspaceOptions
            @Argument(help: "Login name.") var name: String
            @Option(help: "Role id: \(KernelEntities.stockRoles.map(\.id).joined(separator: ", ")).") var role: String
            @Option(help: "Team name.") var team: String?
            @Option(name: .customLong("display-name"), help: "Name shown to people (e.g. 张伟).") var displayName: String?
            @Option(help: "Initial password; the user must change it at first sign-in.") var password: String?

            func run() throws {
                try reportingErrors {
                    let ws = try WorkspaceLoader.open(options).workspace
                    if let password { try CredentialCodec.checkStrength(password, userName: name, store: ws.store) }
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
                    if let password { try Accounts(store: ws.store).setPassword(password, for: user.id, initial: true, by: .system) }
                    say("added user \(name) (id \(user.id), role \(role))")
                }
            }
        }

        struct Password: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "passwd",
                abstract: "Set a user's password (read from --password or the first line of stdin).")
            @OptionGroup var options: WorkspaceOptions
            @Argument(help: "Login name.") var name: String
            @Option(help: "The new password (prefer stdin: it stays out of the shell history).") var password: String?
            @Flag(help: "Make it an initial password the user must change at first sign-in.") var initial = false

            func run() throws {
                try reportingErrors {
                    guard let secret = password ?? readLine(strippingNewline: true), !secret.isEmpty else {
                        throw KernelError(.validation, "no password given (use --password or pipe it on stdin)")
                    }
                    let ws = try WorkspaceLoader.open(options).workspace
                    let accounts = Accounts(store: ws.store)
                    try accounts.setPassword(secret, for: try accounts.user(named: name).id, initial: initial, by: .system)
                    say("password set for \(name)\(initial ? " (to be changed at first sign-in)" : "")")
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
