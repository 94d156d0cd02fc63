import ArgumentParser
import CRMKernel
import CRMServer
import Foundation

extension CRM {
    /// `crm token create USER` (prints the token alone on stdout), `crm token list USER`,
    /// `crm token revoke ID`.
    struct Token: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create, list and revoke API tokens.",
                                                        subcommands: [Create.self, List.self, Revoke.self])

        struct Create: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create a long-lived API token for a user; prints the token alone.")
            @OptionGroup var options: WorkspaceOptions
            @Argument(help: "Login name.") var user: String
            @Option(help: "What the token is for.") var label = "api"
            @Option(name: .customLong("expires-days"), help: "Days until it expires (default: never).") var expiresDays: Int?

            func run() throws {
                try reportingErrors {
                    let ws = try WorkspaceLoader.open(options).workspace
                    let expires = expiresDays.map { Date().addingTimeInterval(Double($0) * 86400) }
                    let made = try Accounts(store: ws.store).createToken(for: user, label: label, expiresAt: expires)
                    print(made.token)
                }
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List a user's tokens (never the tokens themselves).")
            @OptionGroup var options: WorkspaceOptions
            @Argument(help: "Login name.") var user: String

            func run() throws {
                try reportingErrors {
                    let ws = try WorkspaceLoader.open(options).workspace
                    let u = try Accounts(store: ws.store).user(named: user)
                    say(TextTable.render(header: ["id", "kind", "label", "created", "expires", "state"], rows: try ws.store.tokens(of: u.id).map {
                        [String($0.id), $0.kind, $0.label, DateCoding.iso($0.createdAt), $0.expiresAt.map(DateCoding.iso) ?? "never",
                         $0.revokedAt != nil ? "revoked" : (($0.expiresAt.map { $0 <= Date() } ?? false) ? "expired" : "live")]
                    }))
                }
            }
        }

        struct Revoke: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Revoke a token by its id (from `crm token list`).")
            @OptionGroup var options: WorkspaceOptions
            @Argument(help: "Token id.") var id: Int64

            func run() throws {
                try reportingErrors {
                    let ws = try WorkspaceLoader.openWithoutScripts(options)
                    guard try ws.store.revokeToken(id: id) else { throw KernelError(.notFound, "no live token \(id)") }
                    say("revoked token \(id)")
                }
            }
        }
    }
}
