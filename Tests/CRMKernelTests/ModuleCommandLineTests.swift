import Foundation
import Synchronization
import Testing
@testable import CRMKernel

/// `crm <module> <verb>`: the dispatcher `crm` uses, driven with the words a user types.
struct ModuleCommandLineTests {
    /// Lines printed by a command.
    final class Printed: Sendable {
        let lines = Mutex<[String]>([])
        var text: String { lines.withLock { $0.joined(separator: "\n") } }
        var output: CommandOutput { CommandOutput { line in self.lines.withLock { $0.append(line) } } }
    }

    /// A module `tools` with `tools sync run SOURCE [--limit N] [--dry-run]` (alias `crm sync …`) and `tools sync status`.
    static var plugin: ContributingPlugin {
        let run = PluginCommand(["sync", "run"], summary: "Sync from a source.", arguments: [CommandArgument("SOURCE", help: "Where from.")],
                                options: [CommandOption("limit", valueName: "N", help: "At most N.")],
                                flags: [CommandFlag("dry-run", help: "Change nothing.")], actsAsUser: true, topLevelAlias: true) { context in
            let limit = try context.arguments.option("limit").map { _ in try context.arguments.integer("limit") }
            context.output.line("run \(context.arguments.argument("SOURCE") ?? "-") limit=\(limit.map(String.init) ?? "none") "
                                + "dry=\(context.arguments.flag("dry-run")) as=\(context.user.name)")
        }
        let status = PluginCommand(["sync", "status"], summary: "Show the last sync.", isGroupDefault: true, topLevelAlias: true) { context in
            context.output.line("status of \(context.workspace.directory.lastPathComponent)")
        }
        return ContributingPlugin(id: "tools", commands: [run, status])
    }

    let dir: TempDir
    let workspace: Workspace
    let line: ModuleCommandLine

    init() throws {
        dir = try TempDir()
        let registry = try PluginRegistry([Self.plugin])
        workspace = try Workspace(directory: dir.url.appendingPathComponent("ws"), registry: registry, create: true)
        line = ModuleCommandLine(registry: registry)
    }

    /// Runs `words`; the opener records `--as` and hands the workspace over.
    func run(_ words: [String]) throws -> String {
        let printed = Printed()
        try line.run(words, output: printed.output) { invocation in
            let user = invocation.userName.map { ActingUser(id: 7, name: $0, role: "sales_rep") } ?? .system
            return ModuleCommandLine.Environment(workspace: workspace, user: user, access: nil)
        }
        return printed.text
    }

    @Test func aCommandRunsWithItsParsedArgumentsOptionsFlagsAndUser() throws {
        #expect(line.handles(["tools", "sync"]) && line.handles(["sync", "run"]) && !line.handles(["serve"]))
        #expect(try run(["tools", "sync", "run", "erp", "--limit", "5", "--dry-run", "--as", "lina"]) == "run erp limit=5 dry=true as=lina")
        #expect(try run(["tools", "sync", "run", "--limit=7", "erp"]) == "run erp limit=7 dry=false as=system")
    }

    @Test func theAliasAndTheGroupDefaultReachTheSameCommands() throws {
        #expect(try run(["sync", "run", "erp"]) == "run erp limit=none dry=false as=system")
        #expect(try run(["tools", "sync"]) == "status of ws")
        #expect(try run(["sync"]) == "status of ws")
    }

    @Test func helpListsTheModulesCommandsAndOneCommandsOptions() throws {
        let module = try run(["tools", "--help"])
        #expect(module.contains("crm tools sync run SOURCE [--limit N] [--as USER] [--dry-run]") && module.contains("Sync from a source."))
        #expect(module.contains("crm tools sync status") && module.contains("Aliases: crm sync … = crm tools sync …"))
        #expect(try run(["tools"]) == module)
        #expect(try run(["help", "tools"]) == module)
        let command = try run(["tools", "sync", "run", "-h"])
        #expect(command.contains("Usage: crm tools sync run SOURCE") && command.contains("--dry-run  Change nothing."))
    }

    @Test func unknownVerbsBadOptionsAndMissingArgumentsAreOneClearLine() {
        let unknown = kernelError { _ = try run(["tools", "sink"]) }
        #expect(unknown?.kind == .validation)
        #expect(unknown?.message == "unknown command 'crm tools sink' (known: sync; see crm tools --help)")
        let nested = kernelError { _ = try run(["tools", "sync", "stop"]) }
        #expect(nested?.message.contains("unknown command 'crm tools sync stop' (known: run, status") == true)
        let option = kernelError { _ = try run(["tools", "sync", "run", "erp", "--wet"]) }
        #expect(option?.message == "crm tools sync run: unknown option --wet (known: --limit, --as, --dry-run, --workspace)")
        let missing = kernelError { _ = try run(["tools", "sync", "run"]) }
        #expect(missing?.message.contains("crm tools sync run: missing SOURCE") == true)
        let extra = kernelError { _ = try run(["tools", "sync", "run", "a", "b"]) }
        #expect(extra?.message == "crm tools sync run: unexpected argument 'b'")
        let number = kernelError { _ = try run(["tools", "sync", "run", "a", "--limit", "many"]) }
        #expect(number?.message == "limit: expects a whole number, got 'many'")
        let noValue = kernelError { _ = try run(["tools", "sync", "run", "a", "--limit"]) }
        #expect(noValue?.message == "crm tools sync run: --limit needs a value")
        for text in [unknown, option, missing].compactMap({ $0?.message }) { #expect(!text.contains("\n")) }
    }

    @Test func aDisabledModulesCommandsAreRefused() throws {
        try workspace.disable("tools")
        let error = kernelError { _ = try run(["tools", "sync", "status"]) }
        #expect(error?.kind == .invalidState && error?.message.contains("module tools is disabled") == true)
    }
}
