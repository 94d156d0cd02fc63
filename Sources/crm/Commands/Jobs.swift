import ArgumentParser
import CRMKernel
import CRMPlugins
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
            static let configuration = CommandConfiguration(abstract: "List the scheduled jobs of the enabled modules: schedule, last run, next run.")
            @OptionGroup var options: WorkspaceOptions

            func run() throws {
                try reportingErrors {
                    let ws = try WorkspaceLoader.open(options).workspace
                    let now = Date()
                    let calendar = try ws.store.read { try $0.workspaceCalendar() }
                    let rows = try ws.jobStatuses(now: now).map { s in
                        [s.job.id, s.job.schedule.description,
                         s.lastRun.map { Self.local($0, calendar) + (s.lastResult?.succeeded == false ? " (failed)" : "") } ?? "never",
                         s.nextRun <= now ? "due" : Self.local(s.nextRun, calendar), s.job.label.zh]
                    }
                    say(TextTable.render(header: ["job", "schedule", "last run", "next run", "what"], rows: rows))
                }
            }

            /// `2026-12-02 08:00` in the workspace time zone.
            static func local(_ date: Date, _ calendar: Calendar) -> String {
                let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
                return String(format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
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
