import ArgumentParser
import CRMKernel
import CRMPlugins
import Foundation

extension CRM {
    /// `crm messages [list|send-pending|retry ID|settings [set KEY VALUE]]`: the outbox of
    /// e-mails and text messages that `crm serve` sends on its own.
    struct Messages: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List queued and sent e-mails and text messages, send what is due, retry failures, configure SMTP and SMS.",
            subcommands: [List.self, SendPending.self, Retry.self, Settings.self],
            defaultSubcommand: List.self
        )

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List messages, newest first: channel, recipient, subject, status, attempts, last error.")
            @OptionGroup var options: WorkspaceOptions
            @Option(help: "Only this status: 待发送, 发送中, 已发送 or 失败.") var status: String?
            @Option(help: "Only messages from this source (e.g. campaign:3).") var source: String?
            @Option(help: "How many.") var limit = 50

            func run() throws {
                try reportingErrors {
                    var wanted: MessageStatus?
                    if let status {
                        guard let s = MessageStatus(rawValue: status) else {
                            throw KernelError(.validation, "--status: expected one of \(MessageStatus.allCases.map(\.rawValue).joined(separator: ", ")), got '\(status)'")
                        }
                        wanted = s
                    }
                    let ws = try WorkspaceLoader.open(options).workspace
                    let list = try ws.store.read { try CRMKernel.Messages.list(status: wanted, source: source, limit: limit, in: $0) }
                    let rows = list.map { m in
                        [String(m.id), m["channel"].description, m["to"].description, String(m["subject"].description.prefix(40)),
                         m["status"].description, m["attempts"].description, m["sent_at"].description, String(m["last_error"].description.prefix(60))]
                    }
                    say(TextTable.render(header: ["id", "channel", "to", "subject", "status", "attempts", "sent_at", "last_error"], rows: rows))
                }
            }
        }

        struct SendPending: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "send-pending",
                                                            abstract: "Send the messages that are due now, once (crm serve does this every second).")
            @OptionGroup var options: WorkspaceOptions
            @Option(help: "Most messages to send in this run.") var limit = 500

            func run() async throws {
                var delivery: MessageDelivery?
                try reportingErrors { delivery = MessageDelivery(store: try WorkspaceLoader.open(options).workspace.store) }
                guard let delivery else { return }
                do {
                    let report = try await delivery.deliverDue(limit: limit)
                    say(report.description)
                    if report.failed > 0 { throw ExitCode(1) }
                } catch let error as ExitCode {
                    throw error
                } catch {
                    try reportingErrors { throw error }
                }
            }
        }

        struct Retry: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Queue a failed message again (attempts start over).")
            @OptionGroup var options: WorkspaceOptions
            @Argument(help: "The message id.") var id: Int64

            func run() throws {
                try reportingErrors {
                    let ws = try WorkspaceLoader.open(options).workspace
                    let record = try ws.store.write(as: .system) { tx in try CRMKernel.Messages.retry(id, in: tx) }
                    say("message \(record.id): \(record["status"])")
                }
            }
        }

        struct Settings: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Show the SMTP and SMS settings (secrets masked), or set one: crm messages settings set KEY VALUE.",
                subcommands: [Show.self, Set.self], defaultSubcommand: Show.self)

            struct Show: ParsableCommand {
                static let configuration = CommandConfiguration(abstract: "Show every message setting with its meaning.")
                @OptionGroup var options: WorkspaceOptions

                func run() throws {
                    try reportingErrors {
                        let ws = try WorkspaceLoader.open(options).workspace
                        let rows = try MessageSettings.keys.map { k -> [String] in
                            let value = try ws.store.setting(k.key) ?? ""
                            return [k.key, k.secret && !value.isEmpty ? "******" : value, k.help]
                        }
                        say(TextTable.render(header: ["key", "value", "meaning"], rows: rows))
                    }
                }
            }

            struct Set: ParsableCommand {
                static let configuration = CommandConfiguration(abstract: "Set one message setting (an empty value clears it).")
                @OptionGroup var options: WorkspaceOptions
                @Argument(help: "The key, e.g. messages.email.host.") var key: String
                @Argument(help: "The value.") var value: String

                func run() throws {
                    try reportingErrors {
                        let ws = try WorkspaceLoader.open(options).workspace
                        try MessageSettings.set(key, value, in: ws.store)
                        say("\(key) set")
                    }
                }
            }
        }
    }
}
