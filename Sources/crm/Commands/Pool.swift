import ArgumentParser
import CRMCustomers
import CRMKernel
import Foundation

extension CRM {
    /// `crm pool list` and `crm pool reclaim [--dry-run]`: the 公海 from the command line.
    struct Pool: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The shared customer pools (公海): list them, or run the auto-reclaim now.",
            subcommands: [List.self, Reclaim.self],
            defaultSubcommand: List.self
        )

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the pools and how many customers each holds.")
            @OptionGroup var options: WorkspaceOptions

            func run() throws {
                try reportingErrors {
                    let ws = try WorkspaceLoader.open(options).workspace
                    let pools = try ws.store.read { try CustomerPoolSummary.pools($0) }
                    let rows = pools.map { [$0.name, $0.provinces.isEmpty ? "（其余）" : $0.provinces.joined(separator: "、"), String($0.customers)] }
                    say(TextTable.render(header: ["pool", "provinces", "customers"], rows: rows))
                }
            }
        }

        struct Reclaim: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Return customers past their follow-up or deal deadline to their pools (as the scheduler does hourly).")
            @OptionGroup var options: WorkspaceOptions
            @Flag(name: .customLong("dry-run"), help: "Show what would move; change nothing.") var dryRun = false

            func run() throws {
                try reportingErrors {
                    let ws = try WorkspaceLoader.open(options).workspace
                    let report = dryRun ? try ws.store.read { reader in try PoolReclaim.preview(reader, now: Date()) }
                        : try ws.store.write(as: .system) { tx in try PoolReclaim.run(tx, now: tx.now, dryRun: false) }
                    let rows = report.moves.map { [String($0.id), $0.name, $0.owner.map(String.init) ?? "", $0.reason, $0.pool] }
                    if !rows.isEmpty { say(TextTable.render(header: ["id", "customer", "owner", "reason", "pool"], rows: rows)) }
                    let verb = dryRun ? "would return" : "returned"
                    var line = "\(report.moves.count) customer(s) \(verb) to the pool"
                    if report.due > report.moves.count { line += " (\(report.due) due in all; the rest move in the next runs)" }
                    if !dryRun { line += ", \(report.warned) owner warning(s) sent" }
                    say(line)
                    for skip in report.skipped { say("not moved: customer \(skip.id): \(skip.message)") }
                }
            }
        }
    }

    /// `crm attach FOLLOWUP_ID FILE`: keeps a file with a follow-up, in the workspace folder.
    struct Attach: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Attach a file to a follow-up (kept under the workspace's files/followup/<id>/, size-limited).")
        @OptionGroup var options: WorkspaceOptions
        @Argument(help: "The follow-up's id.") var followup: Int64
        @Argument(help: "The file to attach.") var file: String
        @Option(help: "The name to keep it under (default: the file's name).") var name: String?
        @Option(name: .customLong("as"), help: "Act as this user (login name).") var user: String?

        func run() throws {
            try reportingErrors {
                let host = try WorkspaceLoader.open(options, as: user)
                let ws = host.workspace
                let url = URL(fileURLWithPath: file)
                let data: Data
                do { data = try Data(contentsOf: url) } catch {
                    throw KernelError(.notFound, "cannot read \(file): \(error.localizedDescription)")
                }
                let acting = host.engine.user
                let record = try ws.store.write(as: acting) { tx in
                    try FollowupAttachments.attach(tx, directory: ws.directory, followup: followup, name: name ?? url.lastPathComponent, data: data)
                }
                say("attachment \(record.id): \(record["name"]) (\(data.count) bytes) → \(record["path"])")
            }
        }
    }
}
