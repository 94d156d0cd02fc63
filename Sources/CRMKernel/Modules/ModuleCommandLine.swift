import Foundation

/// The dispatcher of `crm <module> <verb> ...`: finds the plugin command the words name, parses
/// them against its declaration, opens the workspace through the caller and runs it.
///
/// Framework-neutral: `crm` hands it the words after the executable's name; tests call it the
/// same way with their own opener and output.
public struct ModuleCommandLine: Sendable {
    /// The plugins whose commands are reachable.
    public let registry: PluginRegistry

    /// Creates the dispatcher for `registry`.
    public init(registry: PluginRegistry) { self.registry = registry }

    /// What the caller opens before a command runs: the module, the command, `--workspace` and `--as`.
    public struct Invocation: Sendable {
        /// The module id.
        public var module: String
        /// The command.
        public var command: PluginCommand
        /// The parsed words.
        public var parsed: ParsedCommand
        /// `--as USER`, when the command takes it and it was given.
        public var userName: String? { parsed.option("as") }
    }

    /// The opened workspace a command runs in.
    public struct Environment {
        /// The workspace, script pack applied.
        public var workspace: Workspace
        /// Who acts.
        public var user: ActingUser
        /// Their permissions; nil for the system and administrators.
        public var access: AccessGuard?
        /// Anything that must stay alive while the command runs (the script host).
        public var owner: AnyObject?
        /// The directory relative file arguments are read from.
        public var currentDirectory: URL

        /// Creates an environment.
        public init(workspace: Workspace, user: ActingUser, access: AccessGuard?, owner: AnyObject? = nil,
                    currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) {
            self.workspace = workspace
            self.user = user
            self.access = access
            self.owner = owner
            self.currentDirectory = currentDirectory
        }
    }

    /// Whether `words` are for this dispatcher: they start with a module id, a top-level alias
    /// (`pool`, `attach`) or `help <module>`.
    public func handles(_ words: [String]) -> Bool {
        guard let first = words.first else { return false }
        if first == "help", words.count > 1 { return registry.plugin(words[1]) != nil }
        return registry.plugin(first) != nil || aliasOwner(first) != nil
    }

    /// Runs the command `words` name (`["customers", "pool", "reclaim", "--dry-run"]`), or prints
    /// help. Usage mistakes are `validation` errors of one line naming the command.
    public func run(_ words: [String], output: CommandOutput, open: (Invocation) throws -> Environment) throws {
        guard let first = words.first else { throw KernelError(.validation, "no module named") }
        let module: String
        var rest: [String]
        if first == "help", words.count > 1 {
            module = words[1]
            rest = Array(words.dropFirst(2)) + ["--help"]
        } else if registry.plugin(first) != nil {
            module = first
            rest = Array(words.dropFirst())
        } else if let owner = aliasOwner(first) {
            module = owner
            rest = words
        } else {
            throw KernelError(.validation, "unknown command '\(first)'")
        }
        guard let plugin = registry.plugin(module) else { throw KernelError(.notFound, "unknown module '\(module)'") }
        let commands = plugin.commands
        var path: [String] = []
        while let word = rest.first, !word.hasPrefix("-"), commands.contains(where: { $0.path.starts(with: path + [word]) }) {
            path.append(word)
            rest.removeFirst()
            if commands.contains(where: { $0.path == path }) { break }
        }
        var found = commands.first { $0.path == path }
        if found == nil {
            let wantsHelp = rest.isEmpty || rest.contains("--help") || rest.contains("-h")
            if let next = rest.first, !next.hasPrefix("-") {
                let known = commands.filter { $0.path.starts(with: path) }.map { $0.path.dropFirst(path.count).first ?? "" }
                throw KernelError(.validation, "unknown command '\((["crm", module] + path + [next]).joined(separator: " "))' "
                                  + "(known: \(Array(Set(known)).sorted().joined(separator: ", ")); see crm \(module) --help)")
            }
            if let fallback = commands.first(where: { $0.isGroupDefault && $0.path.dropLast() == path[...] }), !path.isEmpty,
               !(rest.contains("--help") || rest.contains("-h")) {
                found = fallback
            } else if wantsHelp {
                output.line(help(plugin, under: path))
                return
            } else {
                throw KernelError(.validation, "crm \(([module] + path).joined(separator: " ")): name a command (see crm \(module) --help)")
            }
        }
        guard let command = found else { return }
        let parsed = try ParsedCommand.parse(rest, for: command, module: module)
        if parsed.wantsHelp {
            output.line(help(command, module: module))
            return
        }
        let environment = try open(Invocation(module: module, command: command, parsed: parsed))
        guard try environment.workspace.enabledModules().contains(module) else {
            throw KernelError(.invalidState, "module \(module) is disabled in this workspace (crm modules enable \(module))")
        }
        let context = CommandContext(workspace: environment.workspace, user: environment.user, access: environment.access,
                                     arguments: parsed, output: output, currentDirectory: environment.currentDirectory)
        try withExtendedLifetime(environment.owner) { try command.run(context) }
    }

    /// The module owning top-level alias `word`, or nil.
    func aliasOwner(_ word: String) -> String? {
        registry.plugins.first { $0.commands.contains { $0.topLevelAlias && $0.path.first == word } }?.manifest.id
    }

    /// Every module command as `(usage, summary)`, for `crm --help`.
    public func overview() -> [(usage: String, summary: String)] {
        registry.plugins.flatMap { p in p.commands.map { (p.manifest.id + " " + $0.path.joined(separator: " "), $0.summary) } }
    }

    /// The top-level aliases, for `crm --help`.
    public func aliases() -> [String] {
        var seen: [String] = []
        for p in registry.plugins { for c in p.commands where c.topLevelAlias { if let w = c.path.first, !seen.contains(w) { seen.append(w) } } }
        return seen
    }

    /// The help of a module (or of a group of its commands): its commands with their summaries.
    func help(_ plugin: any Plugin, under path: [String]) -> String {
        let id = plugin.manifest.id
        let commands = plugin.commands.filter { $0.path.starts(with: path) }
        var lines = ["crm \(([id] + path).joined(separator: " ")) — \(plugin.manifest.name.zh) (\(plugin.manifest.name.en)): \(plugin.manifest.summary.en)", ""]
        if commands.isEmpty { lines.append("This module adds no commands.") } else {
            lines.append("Commands:")
            let width = commands.map { TextTable.displayWidth($0.usage(module: id)) }.max() ?? 0
            for c in commands {
                let usage = c.usage(module: id)
                lines.append("  " + usage + String(repeating: " ", count: width - TextTable.displayWidth(usage) + 2) + c.summary)
            }
        }
        let aliased = commands.filter(\.topLevelAlias).compactMap(\.path.first)
        if !aliased.isEmpty {
            lines.append("")
            lines.append("Aliases: " + Array(Set(aliased)).sorted().map { "crm \($0) … = crm \(id) \($0) …" }.joined(separator: "; "))
        }
        lines.append("")
        lines.append("Every command takes --workspace DIR (default: $CRM_WORKSPACE or ./workspace) and -h/--help.")
        return lines.joined(separator: "\n")
    }

    /// The help of one command: usage, summary, arguments, options and flags.
    func help(_ command: PluginCommand, module: String) -> String {
        var lines = ["Usage: " + command.usage(module: module), "", command.summary]
        if !command.arguments.isEmpty {
            lines.append("")
            lines.append("Arguments:")
            for a in command.arguments { lines.append("  \(a.name)  \(a.help)") }
        }
        lines.append("")
        lines.append("Options:")
        for o in command.allOptions { lines.append("  --\(o.name) \(o.valueName)  \(o.help)") }
        for f in command.flags { lines.append("  --\(f.name)  \(f.help)") }
        lines.append("  --workspace DIR  Workspace folder (default: $CRM_WORKSPACE or ./workspace).")
        lines.append("  -h, --help  Show this help.")
        return lines.joined(separator: "\n")
    }
}
