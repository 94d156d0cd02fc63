import CRMKernel
import Foundation

/// The customers module's commands: `crm customers pool list|reclaim` and
/// `crm customers attach`, also reachable as `crm pool …` and `crm attach …` (the names they
/// had before modules brought their own commands).
enum CustomerCommands {
    static var all: [PluginCommand] { [poolList, poolReclaim, attach] }

    /// `crm customers pool list` (also `crm customers pool`, `crm pool`).
    static var poolList: PluginCommand {
        PluginCommand(["pool", "list"], summary: "List the shared customer pools (公海) and how many customers each holds.",
                      isGroupDefault: true, topLevelAlias: true) { context in
            let pools = try context.store.read { try CustomerPoolSummary.pools($0) }
            let rows = pools.map { [$0.name, $0.provinces.isEmpty ? "（其余）" : $0.provinces.joined(separator: "、"), String($0.customers)] }
            context.output.table(header: ["pool", "provinces", "customers"], rows: rows)
        }
    }

    /// `crm customers pool reclaim [--dry-run]` (also `crm pool reclaim`).
    static var poolReclaim: PluginCommand {
        PluginCommand(["pool", "reclaim"],
                      summary: "Return customers past their follow-up or deal deadline to their pools (as the scheduler does hourly).",
                      flags: [CommandFlag("dry-run", help: "Show what would move; change nothing.")], topLevelAlias: true) { context in
            let dryRun = context.arguments.flag("dry-run")
            // The reclaim is work the system does for itself, whoever starts it from the command line.
            let report = dryRun ? try context.store.read { try PoolReclaim.preview($0, now: Date()) }
                : try context.store.write(as: .system) { tx in try PoolReclaim.run(tx, now: tx.now, dryRun: false) }
            let rows = report.moves.map { [String($0.id), $0.name, $0.owner.map(String.init) ?? "", $0.reason, $0.pool] }
            if !rows.isEmpty { context.output.table(header: ["id", "customer", "owner", "reason", "pool"], rows: rows) }
            var line = "\(report.moves.count) customer(s) \(dryRun ? "would return" : "returned") to the pool"
            if report.due > report.moves.count { line += " (\(report.due) due in all; the rest move in the next runs)" }
            if !dryRun { line += ", \(report.warned) owner warning(s) sent" }
            context.output.line(line)
            for skip in report.skipped { context.output.line("not moved: customer \(skip.id): \(skip.message)") }
        }
    }

    /// `crm customers attach FOLLOWUP_ID FILE [--name NAME] [--as USER]` (also `crm attach …`).
    static var attach: PluginCommand {
        PluginCommand(["attach"],
                      summary: "Attach a file to a follow-up (kept under the workspace's files/followup/<id>/, size-limited).",
                      arguments: [CommandArgument("FOLLOWUP_ID", help: "The follow-up's id."),
                                  CommandArgument("FILE", help: "The file to attach.")],
                      options: [CommandOption("name", valueName: "NAME", help: "The name to keep it under (default: the file's name).")],
                      actsAsUser: true, topLevelAlias: true) { context in
            let followup = try context.arguments.integer("FOLLOWUP_ID")
            let url = context.file(context.arguments.argument("FILE") ?? "")
            let data: Data
            do { data = try Data(contentsOf: url) } catch {
                throw KernelError(.notFound, "cannot read \(url.path): \(error.localizedDescription)")
            }
            let record = try FollowupAttachments.attach(context.store, access: context.access, as: context.user,
                                                        directory: context.workspace.directory, followup: followup,
                                                        name: context.arguments.option("name") ?? url.lastPathComponent, data: data)
            context.output.line("attachment \(record.id): \(record["name"]) (\(data.count) bytes) → \(record["path"])")
        }
    }
}
