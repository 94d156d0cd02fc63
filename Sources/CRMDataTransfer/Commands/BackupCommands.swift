import ArgumentParser
import CRMCommandSupport
import CRMKernel
import Foundation

/// `crm backup FILE`: a consistent one-file backup, also while a server runs.
/// `Opener` opens the workspace as every `crm` command does; the built-in list supplies it.
public struct BackupCommand<Opener: WorkspaceOpening>: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "backup",
            abstract: "Write a one-file backup of the workspace (database, scripts, attachments, manifest with checksums); safe while the server runs.")
    }

    /// A command as parsed from the command line.
    public init() {}

    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The backup file to write (a .zip archive).") var file: String

    public func run() throws {
        try reportingErrors {
            let ws = try Opener.openWorkspace(options.directory)
            let started = Date()
            let manifest = try WorkspaceBackup.write(ws, to: URL(fileURLWithPath: file), version: CRMVersion.string)
            let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
            say("backed up \(ws.directory.path) to \(file) (\(manifest.checksums.count) file(s), \(seconds) s)")
        }
    }
}

/// `crm restore FILE --workspace DIR`: checks a backup, then puts it in place.
/// `Opener` opens the restored workspace, which runs the kernel's and modules' migrations.
public struct RestoreCommand<Opener: WorkspaceOpening>: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "restore",
            abstract: "Restore a backup into a workspace folder after checking its checksums, integrity and version (--force to replace a workspace).")
    }

    /// A command as parsed from the command line.
    public init() {}

    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The backup file written by `crm backup`.") var file: String
    @Flag(help: "Replace the workspace already in the folder.") var force = false

    public func run() throws {
        try reportingErrors {
            let manifest = try WorkspaceBackup.restore(URL(fileURLWithPath: file), into: options.directory, force: force)
            // Opening runs the kernel's and modules' migrations: an older backup is brought up to date.
            _ = try Opener.openWorkspace(options.directory)
            say("restored \(file) (crm \(manifest.version), \(manifest.createdAt)) into \(options.directory.path)")
        }
    }
}
