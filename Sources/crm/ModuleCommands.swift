import CRMKernel
import CRMPlugins
import CRMServer
import Foundation

/// The entry point: modules' commands (`crm customers pool reclaim`, and the aliases
/// `crm pool …`, `crm attach …`) go to the kernel's dispatcher; everything else to `CRM`.
@main
enum CRMEntry {
    static func main() async {
        let words = Array(CommandLine.arguments.dropFirst())
        // The server's handlers run on the event loop that read the request (no thread switch
        // each way); first thing, before any task starts. Other commands keep Swift's pool.
        if words.first == "serve" { EventLoopExecutor.install() }
        if let status = ModuleCommands.run(words) { exit(status) }
        await CRM.main()
    }
}

/// Runs modules' commands through `ModuleCommandLine` with the workspace opened as `crm` opens it.
enum ModuleCommands {
    /// Runs `words` if they name a module command; returns the exit status, or nil when they are
    /// for the core commands. A registry refused at start-up (a clashing command, route or page)
    /// stops every command with the module and the name.
    static func run(_ words: [String]) -> Int32? {
        let registry: PluginRegistry
        do { registry = try BuiltInPlugins.registry() } catch {
            return fail(error)
        }
        let dispatcher = ModuleCommandLine(registry: registry)
        guard dispatcher.handles(words) else { return nil }
        let output = CommandOutput { say($0) }
        do {
            try dispatcher.run(words, output: output) { invocation in
                let host = try WorkspaceLoader.open(directory: WorkspaceOptions.directory(for: invocation.parsed.workspace),
                                                    as: invocation.userName)
                let user = host.engine.user
                var access: AccessGuard?
                if user.id != nil {
                    let guardian = try host.workspace.store.read { reader in try AccessGuard(user: user, schema: reader.schema, reader: reader) }
                    access = guardian.isAdministrator ? nil : guardian
                }
                return ModuleCommandLine.Environment(workspace: host.workspace, user: user, access: access, owner: host)
            }
            return 0
        } catch {
            return fail(error)
        }
    }

    /// Prints `error` as one line on stderr and returns its exit status.
    static func fail(_ error: any Error) -> Int32 {
        if let kernel = error as? KernelError {
            FileHandle.standardError.write(Data(("error: " + kernel.description + "\n").utf8))
            return crmExitCode(for: kernel.kind)
        }
        FileHandle.standardError.write(Data(("error: \(error)\n").utf8))
        return 1
    }

    /// The modules' commands, for `crm --help`.
    static var overview: String {
        guard let registry = try? BuiltInPlugins.registry() else { return "" }
        let dispatcher = ModuleCommandLine(registry: registry)
        var lines = ["Module commands (crm MODULE --help for details):"]
        for (usage, summary) in dispatcher.overview() { lines.append("  crm \(usage) — \(summary)") }
        let aliases = dispatcher.aliases()
        if !aliases.isEmpty { lines.append("Aliases: " + aliases.map { "crm \($0) …" }.joined(separator: ", ") + " (the same commands without the module name)") }
        return lines.joined(separator: "\n")
    }
}
