import ArgumentParser
import CRMCommandSupport
import CRMKernel
import Foundation

/// `crm import ENTITY FILE`: loads a CSV file or an .xlsx sheet through the shared import engine.
/// `Opener` opens the workspace as every `crm` command does; the built-in list supplies it.
public struct ImportCommand<Opener: WorkspaceOpening>: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "import",
            abstract: "Import records from a CSV file or an .xlsx workbook (header row: field names or their Chinese/English labels, or a --map).")
    }

    /// A command as parsed from the command line.
    public init() {}

    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "Entity name, e.g. customer.") var entity: String
    @Argument(help: "CSV file (UTF-8) or .xlsx workbook.") var file: String
    @Option(help: "The sheet of a workbook to read, by name or number (default: the first).") var sheet: String?
    @Option(help: "Column mapping: a JSON file {\"表头\": \"field\" or null}, or the name of a map saved with --save-map.") var map: String?
    @Option(name: .customLong("save-map"), help: "Save the mapping used under this name for later imports.") var saveMap: String?
    @Option(name: .customLong("on-duplicate"), help: "Rows duplicating an existing record (module's duplicate rules): skip, update, merge or create.")
    var onDuplicate: String = "create"
    @Flag(name: .customLong("dry-run"), help: "Report row by row what would be created, updated, skipped and refused; write nothing.") var dryRun = false
    @Flag(help: "Continue an interrupted import of the same file from its last committed batch.") var resume = false
    @Option(help: "Where to write the refused rows (.xlsx or .csv) to fix and import again (default: FILE-errors.csv/.xlsx beside the input).")
    var errors: String?
    @Option(name: .customLong("batch-size"), help: "Records per transaction.") var batchSize = BulkOptions.defaultBatchSize
    @Flag(name: .customLong("stop-on-error"), help: "Stop at the first bad record (earlier batches are kept).") var stopOnError = false
    @Option(help: "Import as this user: their grants, scope and read-only and hidden fields apply to every record, as in the API (default: the system).") var `as`: String?

    public func run() throws {
        try reportingErrors {
            guard let policy = DuplicatePolicy(rawValue: onDuplicate) else {
                throw KernelError(.validation, "--on-duplicate must be skip, update, merge or create, not '\(onDuplicate)'")
            }
            let ws = try Opener.openWorkspace(options.directory)
            let schema = try ws.store.schema.entity(entity)
            let user = try ActingUserResolver.resolve(`as`, in: ws)
            let access = try ActingUserResolver.access(user, asked: `as` != nil, in: ws)
            try access?.require(.create, on: entity)
            let table = try ImportTable.read(file, sheet: sheet)
            let mapPath = map.map { ImportMapping.path(for: $0, workspace: ws.directory) }
            let loaded = try mapPath.map(ImportMapping.load)
            let mapping = try ImportMapping.resolve(table, entity: schema, map: loaded, mapName: mapPath ?? "map", access: access)
            if let saveMap {
                var saved: [String: String?] = [:]
                for (i, column) in table.header.enumerated() where !column.isEmpty { saved[column] = .some(mapping.columns[i]) }
                try ImportMapping.save(saved, to: ImportMapping.savedMapsDirectory(ws.directory).appendingPathComponent(saveMap + ".json"))
            }
            let runner = ImportRunner(workspace: ws, entity: schema, table: table, mapping: mapping, user: user, access: access,
                                      options: ImportOptions(onDuplicate: policy, dryRun: dryRun, batchSize: batchSize, resume: resume,
                                                              stopOnError: stopOnError))
            let meter = ProgressMeter(label: "\(entity) rows")
            let report = try runner.run(progress: dryRun ? nil : meter.update)
            meter.finish()
            if report.resumedFrom > 0 { say("resumed after row \(report.resumedFrom) of \(table.rows.count) (committed by an earlier run)") }
            if dryRun {
                for row in report.rows { say(row.describe(table)) }
            } else {
                for row in report.rows where row.action != .created && row.action != .refused { say(row.describe(table)) }
            }
            say(report.summary(entity: entity))
            let refused = report.refused
            if !refused.isEmpty {
                for row in refused.prefix(20) {
                    FileHandle.standardError.write(Data("\(table.location(line: row.line)): \(row.message ?? "refused")\n".utf8))
                }
                let errorFile = errors ?? Self.defaultErrorFile(file)
                try report.writeErrors(table, to: errorFile)
                let kept = dryRun ? "nothing was written" : "the others were imported"
                throw KernelError(.validation, "\(refused.count) record(s) rejected (first shown above); \(kept); fix them in \(errorFile) and import that file again")
            }
        }
    }

    /// Where the refused rows go when `--errors` is not given: beside the input.
    static func defaultErrorFile(_ file: String) -> String {
        let url = URL(fileURLWithPath: file)
        let ext = ImportTable.isWorkbook(file) ? "xlsx" : "csv"
        return url.deletingPathExtension().path + "-errors." + ext
    }
}
