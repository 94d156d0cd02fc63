import ArgumentParser
import CRMCommandSupport
import CRMKernel
import Foundation

/// `crm export ENTITY`: every record as CSV to stdout, or to `--out FILE` as CSV or .xlsx.
/// `Opener` opens the workspace as every `crm` command does; the built-in list supplies it.
public struct ExportCommand<Opener: WorkspaceOpening>: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "export", abstract: "Export records of an entity as CSV (standard output) or to a .xlsx/.csv file.")
    }

    /// A command as parsed from the command line.
    public init() {}

    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "Entity name, e.g. customer.") var entity: String
    @Option(help: "Write to this file instead of standard output.") var out: String?
    @Option(help: "csv or xlsx (default: from --out's extension, else csv).") var format: String?
    @Option(name: .customLong("as"), help: "Export as this user: needs the export grant; only the records they see, without the fields hidden from them.")
    var user: String?

    public func run() throws {
        try reportingErrors {
            let ws = try Opener.openWorkspace(options.directory)
            let schema = try ws.store.schema.entity(entity)
            let acting = try ActingUserResolver.resolve(user, in: ws)
            let access = try ActingUserResolver.access(acting, asked: user != nil, in: ws)
            let chosen = try format.map { f in
                guard let v = ExportFormat(rawValue: f) else { throw KernelError(.validation, "--format must be csv or xlsx, not '\(f)'") }
                return v
            } ?? out.map(ExportFormat.forFile) ?? .csv
            let exporter = RecordExporter(store: ws.store, entity: schema, access: access)
            switch (chosen, out) {
            case (.xlsx, nil):
                throw KernelError(.validation, "an .xlsx export needs --out FILE")
            case (.xlsx, let path?):
                let n = try exporter.writeWorkbook(to: URL(fileURLWithPath: path))
                FileHandle.standardError.write(Data("exported \(n) \(entity) record(s) to \(path)\n".utf8))
            case (.csv, let path?):
                guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
                    throw KernelError(.storage, "\(path): cannot write the file")
                }
                defer { try? handle.close() }
                let n = try exporter.writeCSV { handle.write(Data($0.utf8)) }
                FileHandle.standardError.write(Data("exported \(n) \(entity) record(s) to \(path)\n".utf8))
            case (.csv, nil):
                let stdout = FileHandle.standardOutput
                try exporter.writeCSV { stdout.write(Data($0.utf8)) }
            }
        }
    }
}
