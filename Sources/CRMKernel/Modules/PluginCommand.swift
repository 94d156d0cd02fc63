import Foundation

/// A command a plugin adds to the `crm` executable as `crm <module id> <path...>`
/// (`crm customers pool reclaim --dry-run`), declared without any command-line framework:
/// `crm` parses the words against this declaration and calls `run`.
public struct PluginCommand: Sendable {
    /// The words after the module id: `["pool", "reclaim"]`. Lowercase identifiers (`-` allowed).
    public var path: [String]
    /// One line shown by `crm <module> --help`.
    public var summary: String
    /// Positional arguments, in order.
    public var arguments: [CommandArgument]
    /// Options taking a value (`--name VALUE`).
    public var options: [CommandOption]
    /// Switches without a value (`--dry-run`).
    public var flags: [CommandFlag]
    /// Whether the command accepts `--as USER` to act as a user (default: it runs as the system).
    public var actsAsUser: Bool
    /// Whether the command also answers to its group's path alone (`crm customers pool` runs `pool list`).
    public var isGroupDefault: Bool
    /// Whether the command is also reachable without the module id (`crm pool list`): only for
    /// commands that existed before module commands did, kept as documented aliases.
    public var topLevelAlias: Bool
    /// The work. Throw `KernelError` for refused input; print through `context.output`.
    public var run: @Sendable (CommandContext) throws -> Void

    /// Creates a command.
    public init(_ path: [String], summary: String, arguments: [CommandArgument] = [], options: [CommandOption] = [],
                flags: [CommandFlag] = [], actsAsUser: Bool = false, isGroupDefault: Bool = false, topLevelAlias: Bool = false,
                run: @escaping @Sendable (CommandContext) throws -> Void) {
        self.path = path
        self.summary = summary
        self.arguments = arguments
        self.options = options
        self.flags = flags
        self.actsAsUser = actsAsUser
        self.isGroupDefault = isGroupDefault
        self.topLevelAlias = topLevelAlias
        self.run = run
    }

    /// Every option the command accepts, `--as` included when it acts as a user.
    var allOptions: [CommandOption] {
        options + (actsAsUser ? [CommandOption("as", valueName: "USER", help: "Act as this user (login name).")] : [])
    }

    /// The usage line: `crm customers attach FOLLOWUP_ID FILE [--name NAME] [--as USER]`.
    public func usage(module: String) -> String {
        var words = ["crm", module] + path
        words += arguments.map { $0.required ? $0.name : "[\($0.name)]" }
        words += allOptions.map { "[--\($0.name) \($0.valueName)]" }
        words += flags.map { "[--\($0.name)]" }
        return words.joined(separator: " ")
    }
}

/// A positional argument of a plugin command.
public struct CommandArgument: Sendable, Hashable {
    /// Its name in usage and help, uppercase by convention (`FOLLOWUP_ID`).
    public var name: String
    /// One line on what it is.
    public var help: String
    /// Whether it must be given.
    public var required: Bool

    /// Creates an argument.
    public init(_ name: String, help: String, required: Bool = true) {
        self.name = name
        self.help = help
        self.required = required
    }
}

/// An option of a plugin command that takes a value: `--name VALUE` or `--name=VALUE`.
public struct CommandOption: Sendable, Hashable {
    /// The long name without dashes.
    public var name: String
    /// The value's name in usage (`NAME`).
    public var valueName: String
    /// One line on what it does.
    public var help: String

    /// Creates an option.
    public init(_ name: String, valueName: String = "VALUE", help: String) {
        self.name = name
        self.valueName = valueName
        self.help = help
    }
}

/// A switch of a plugin command: `--dry-run`.
public struct CommandFlag: Sendable, Hashable {
    /// The long name without dashes.
    public var name: String
    /// One line on what it does.
    public var help: String

    /// Creates a flag.
    public init(_ name: String, help: String) {
        self.name = name
        self.help = help
    }
}

/// What a plugin command runs with: the opened workspace, who acts, the parsed words and where
/// to print. Kernel types only, so a module needs nothing but `CRMKernel`.
public struct CommandContext: Sendable {
    /// The workspace, opened with its script pack applied (company settings in force).
    public let workspace: Workspace
    /// The acting user (`--as USER`), or the system.
    public let user: ActingUser
    /// The acting user's permissions; nil for the system and administrators.
    public let access: AccessGuard?
    /// The parsed arguments, options and flags.
    public let arguments: ParsedCommand
    /// Where output goes (stdout for `crm`).
    public let output: CommandOutput
    /// The directory relative file arguments are read from.
    public let currentDirectory: URL

    /// Creates a context (the dispatcher does).
    public init(workspace: Workspace, user: ActingUser, access: AccessGuard?, arguments: ParsedCommand,
                output: CommandOutput, currentDirectory: URL) {
        self.workspace = workspace
        self.user = user
        self.access = access
        self.arguments = arguments
        self.output = output
        self.currentDirectory = currentDirectory
    }

    /// The workspace's store.
    public var store: RecordStore { workspace.store }

    /// A file argument as a URL, relative paths taken from the current directory.
    public func file(_ path: String) -> URL {
        URL(fileURLWithPath: path, relativeTo: currentDirectory).standardizedFileURL
    }
}

/// Where a plugin command prints: a line sink the caller chooses (stdout, or a buffer in tests).
public struct CommandOutput: Sendable {
    private let sink: @Sendable (String) -> Void

    /// Creates an output writing each line to `sink`.
    public init(_ sink: @escaping @Sendable (String) -> Void) { self.sink = sink }

    /// Prints a line (or several, joined by newlines).
    public func line(_ text: String) { sink(text) }

    /// Prints an aligned table.
    public func table(header: [String], rows: [[String]]) { sink(TextTable.render(header: header, rows: rows)) }
}
