import ArgumentParser
import CRMDataTransfer
import CRMKernel
import Foundation

extension CRM {
    /// `crm backup FILE`: a consistent one-file backup, also while a server runs.
    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a one-file backup of the workspace (database, scripts, attachments, manifest with checksums); safe while the server runs.")
        @OptionGroup var options: WorkspaceOptions
        @Argument(help: "The backup file to write (a .zip archive).") var file: String

        func run() throws {
            try reportingErrors {
                let ws = try WorkspaceLoader.open(options).workspace
                let started = Date()
                let manifest = try WorkspaceBackup.write(ws, to: URL(fileURLWithPath: file), version: CRMVersion.string)
                let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
                say("backed up \(ws.directory.path) to \(file) (\(manifest.checksums.count) file(s), \(seconds) s)")
            }
        }
    }

    /// `crm restore FILE --workspace DIR`: checks a backup, then puts it in place.
    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Restore a backup into a workspace folder after checking its checksums, integrity and version (--force to replace a workspace).")
        @OptionGroup var options: WorkspaceOptions
        @Argument(help: "The backup file written by `crm backup`.") var file: String
        @Flag(help: "Replace the workspace already in the folder.") var force = false

        func run() throws {
            try reportingErrors {
                let manifest = try WorkspaceBackup.restore(URL(fileURLWithPath: file), into: options.directory, force: force)
                // Opening runs the kernel's and modules' migrations: an older backup is brought up to date.
                _ = try WorkspaceLoader.open(options)
                say("restored \(file) (crm \(manifest.version), \(manifest.createdAt)) into \(options.directory.path)")
            }
        }
    }
}
