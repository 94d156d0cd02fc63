import ArgumentParser
import CRMKernel
import Foundation

extension CRM {
    /// `crm jobs [list|run [ID...]]`: the modules' periodic work, which `crm serve` runs on its own.
    struct Jobs: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the enabled modules' scheduled jobs, or run them once now.",
            subcommands: [List.self, RunNow.self],
            defaultSubcommand: List.self
        )

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the scheduled jobs of the enabled modules.")
            @OptionGroup var options: WorkspaceOptions

            func run() throws {
                try reportingErrors {
                    let ws = try WorkspaceLoader.open(options).workspace
                    let rows = try ws.scheduledJobs().map { [$0.id, "\(Int($0.interval))s", $0.label.zh] }
                    say(TextTable.render(header: ["job", "every", "what"], rows: rows))
                }
            }
        }

        struct RunNow: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the scheduled jobs (all, or those named) once now.")
            @OptionGroup var options: WorkspaceOptions
            @Argument(help: "Job ids (default: every job).") var ids: [String] = []

            func run() throws {
                try reportingErrors {
                    let ws = try WorkspaceLoader.open(options).workspace
                    let results = try ws.runJobs(only: ids.isEmpty ? nil : Set(ids))
                    for r in results { say("\(r.id): \(r.succeeded ? "" : "failed: ")\(r.summary)") }
                    if results.contains(where: { !$0.succeeded }) { throw ExitCode(1) }
                }
            }
        }
    }
}
