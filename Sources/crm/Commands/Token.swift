import ArgumentParser
import CRMKernel
import CRMPlugins
import CRMServer
import Foundation

extension CRM {
    /// `crm token create USER` (prints the token alone on stdout), `crm token list USER`,
    /// `crm token revoke ID`.
    struct Token: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create, list and revoke API tokens.",
                                                        subcommands: [Create.self, List.self, Revoke.self])

        struct Create: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Create an API token for a user; prints the token alone.",
                discussion: """
                    The token expires after --expires-days days (default \(TokenLifetime.defaultDays), at most \(TokenLifetime.maximumDays)). \
                    A user who must still change an initial password gets a token that can do nothing but change it \
                    (POST /api/v1/auth/password); a note on stderr says so.
                    """)
            @OptionGroup var options: WorkspaceOptions
            @Argument(help: "Login name.") var user: String
            @Option(help: "What the token is for.") var label = "api"
            @Option(name: .customLong("expires-days"), help: "Days until it expires (1-\(TokenLifetime.maximumDays); default \(TokenLifetime.defaultDays)).")
            var expiresDays: Int?

            func validate() throws {
                if let days = expiresDays, !(1...TokenLifetime.maximumDays).contains(days) {
                    throw ValidationError("--expires-days must be a whole number of days from 1 to \(TokenLifetime.maximumDays) (default \(TokenLifetime.defaultDays))")
                }
            }

            func run() throws {
                try reportingErrors {
                    let ws = try WorkspaceLoader.open(options).workspace
                    let expires = try TokenLifetime.expiry(days: expiresDays, field: "--expires-days")
                    let made = try Accounts(store: ws.store).createToken(for: user, label: label, expiresAt: expires, by: .system)
                    print(made.token)
                    if made.limitedToPasswordChange {
                        FileHandle.standardError.write(Data("note: \(user) must change the initial password first; until then this token can only do that (POST /api/v1/auth/password)\n".utf8))
                    }
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
