import ArgumentParser
import CRMKernel
import CRMPlugins
import Foundation

extension CRM {
    /// `crm events [list|retry ID|drain|prune|keep-days [N]]`: the modules' durable event
    /// consumers and the webhooks, where each stands in the outbox, and the outbox's history.
    struct Events: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the durable event consumers and webhooks with their outbox position, lag and last error.",
            subcommands: [List.self, Retry.self, Drain.self, Prune.self, KeepDays.self],
            defaultSubcommand: List.self
        )

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List consumers and webhooks: position (seq), lag, attempts, last error.")
            @OptionGroup var options: WorkspaceOptions

            func run() throws {
                try reportingErrors {
                    let ws = try WorkspaceLoader.open(options).workspace
                    let rows = try ws.store.consumerStatuses().map { s in
                        [s.id, s.events.joined(separator: ","), String(s.seq), String(s.lag), String(s.attempts),
                         s.retryAt.map(DateCoding.iso) ?? "", s.lastError ?? ""]
                    }
                    say(TextTable.render(header: ["consumer", "events", "seq", "lag", "attempts", "retry_at", "last_error"], rows: rows))
                }
            }
        }

        struct Retry: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Run a failed consumer again now, without waiting for its backoff.")
            @OptionGroup var options: WorkspaceOptions
            @Argument(help: "The consumer, <module>.<name> as `crm events` lists it.") var consumer: String

            func run() throws {
                try reportingErrors {
                    let ws = try WorkspaceLoader.open(options).workspace
                    try report(try ws.store.retryConsumer(consumer))
                }
            }
        }

        struct Drain: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Run every consumer over the events waiting for it (crm serve does this on its own).")
            @OptionGroup var options: WorkspaceOptions

            func run() throws {
                try reportingErrors {
                    let ws = try WorkspaceLoader.open(options).workspace
                    try report(ws.store.drainConsumers())
                }
            }
        }

        struct Prune: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Delete outbox entries every consumer and active webhook has handled, keeping the history (setting outbox.keep_days, default 30).")
            @OptionGroup var options: WorkspaceOptions
            @Option(name: .customLong("keep-days"), help: "Days of history to keep this time (default: the workspace setting).") var keepDays: Int?

            func run() throws {
                try reportingErrors {
                    let ws = try WorkspaceLoader.open(options).workspace
                    say("\(try ws.store.pruneOutbox(keepDays: keepDays)) outbox entries deleted")
                }
            }
        }

        struct KeepDays: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "keep-days",
                abstract: "Show or set how many days of handled outbox history to keep (workspace setting outbox.keep_days).")
            @OptionGroup var options: WorkspaceOptions
            @Argument(help: "Days to keep (0 or more).") var days: Int?

            func validate() throws {
                if let days, days < 0 { throw ValidationError("days must be 0 or more") }
            }

            func run() throws {
                try reportingErrors {
                    let ws = try WorkspaceLoader.openWithoutScripts(options)
                    if let days { try ws.store.setSetting(RecordStore.outboxKeepDaysSetting, String(days)) }
                    say(try ws.store.setting(RecordStore.outboxKeepDaysSetting) ?? "\(RecordStore.defaultOutboxKeepDays) (default)")
                }
            }
        }
    }
}

/// Prints what a drain did; fails (exit 1) when a consumer failed.
private func report(_ drain: DrainReport) throws {
    for (id, n) in drain.handled.sorted(by: { $0.key < $1.key }) { say("\(id): \(n) event(s) handled") }
    for (id, message) in drain.failures.sorted(by: { $0.key < $1.key }) { say("\(id): failed: \(message)") }
    if drain.handled.isEmpty && drain.failures.isEmpty { say("nothing waiting") }
    if !drain.failures.isEmpty { throw ExitCode(1) }
}
