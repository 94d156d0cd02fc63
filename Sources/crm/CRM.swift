import ArgumentParser
import CRMKernel
import Foundation

/// The `crm` command: one executable for every operator task. Modules' own commands
/// (`crm <module> <verb>`) are dispatched before this parser sees the words (`CRMEntry`).
struct CRM: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crm",
        abstract: "A self-hosted CRM shaped with Lua scripts.",
        discussion: ModuleCommands.overview,
        version: CRMVersion.string,
        subcommands: [Init.self, Serve.self, Modules.self, Jobs.self, UserCommand.self, Token.self,
                      Import.self, Export.self, Backup.self, Restore.self, Scripts.self, Repl.self, Run.self, Version.self, Events.self,
                      Report.self, Messages.self]
    )
}

/// The version printed by `crm version`.
enum CRMVersion {
    static let string = "0.1.0"
}

/// `--workspace DIR`, shared by every command.
struct WorkspaceOptions: ParsableArguments {
    @Option(name: .long, help: "Workspace folder (default: $CRM_WORKSPACE or ./workspace).")
    var workspace: String?

    /// The workspace folder chosen by option, environment or default.
    var directory: URL { Self.directory(for: workspace) }

    /// The workspace folder for a `--workspace` value (nil: environment, then default).
    static func directory(for option: String?) -> URL {
        let path = option ?? ProcessInfo.processInfo.environment["CRM_WORKSPACE"] ?? "./workspace"
        return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
    }
}

/// Runs a command body; any error becomes one line on stderr and a non-zero exit status.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ExitCode {
        throw error
    } catch let error as KernelError {
        FileHandle.standardError.write(Data(("error: " + error.description + "\n").utf8))
        throw ExitCode(crmExitCode(for: error.kind))
    } catch {
        FileHandle.standardError.write(Data(("error: \(error)\n").utf8))
        throw ExitCode(1)
    }
}

/// Exit codes by error kind, in one place.
func crmExitCode(for kind: KernelError.Kind) -> Int32 {
    switch kind {
    case .validation: return 2
    case .notFound: return 3
    case .conflict: return 4
    case .forbidden: return 5
    case .scriptFailed: return 6
    case .invalidState: return 7
    case .storage: return 8
    case .staleVersion: return 4
    }
}

/// Prints a line to stdout.
func say(_ text: String) {
    print(text)
}
