import ArgumentParser
import CRMDataTransfer
import CRMKernel
import Foundation

extension CRM {
    /// `crm import ENTITY FILE`: loads a CSV file or an .xlsx sheet through the shared import engine.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import records from a CSV file or an .xlsx workbook (header row: field names or their Chinese/English labels, or a --map).")
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
        @Option(name: .customLong("batch-size"), help: "Records per transaction.") var batchSize = 1000
        @Flag(name: .customLong("stop-on-error"), help: "Stop at the first bad record (earlier batches are kept).") var stopOnError = false
        @Option(help: "Import as this user: their grants, scope and read-only and hidden fields apply to every record, as in the API (default: the system).") var `as`: String?

        func run() throws {
            try reportingErrors {
                guard let policy = DuplicatePolicy(rawValue: onDuplicate) else {
                    throw KernelError(.validation, "--on-duplicate must be skip, update, merge or create, not '\(onDuplicate)'")
                }
                let ws = try WorkspaceLoader.open(options).workspace
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

        static func defaultErrorFile(_ file: String) -> String {
            let url = URL(fileURLWithPath: file)
            let ext = ImportTable.isWorkbook(file) ? "xlsx" : "csv"
            return url.deletingPathExtension().path + "-errors." + ext
        }
    }

    /// `crm export ENTITY`: every record as CSV to stdout, or to `--out FILE` as CSV or .xlsx.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export records of an entity as CSV (standard output) or to a .xlsx/.csv file.")
        @OptionGroup var options: WorkspaceOptions
        @Argument(help: "Entity name, e.g. customer.") var entity: String
        @Option(help: "Write to this file instead of standard output.") var out: String?
        @Option(help: "csv or xlsx (default: from --out's extension, else csv).") var format: String?
        @Option(name: .customLong("as"), help: "Export as this user: needs the export grant; only the records they see, without the fields hidden from them.")
        var user: String?

        func run() throws {
            try reportingErrors {
                let ws = try WorkspaceLoader.open(options).workspace
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
}

/// Resolves `--as USER` to the acting user.
enum ActingUserResolver {
    static func resolve(_ name: String?, in ws: Workspace) throws -> ActingUser {
        guard let name else { return .system }
        guard let user = try ws.store.find(Query("user", filter: .eq("name", .text(name)), limit: 1)).records.first else {
            throw KernelError(.notFound, "unknown user '\(name)'")
        }
        return ActingUser(id: user.id, name: name, role: user["role"].textValue)
    }

    /// The access of `user` when `--as` was given (the kernel then applies it), else nil: the
    /// system acting for itself.
    static func access(_ user: ActingUser, asked: Bool, in ws: Workspace) throws -> AccessGuard? {
        guard asked else { return nil }
        return try ws.store.read { try AccessGuard(user: user, schema: $0.schema, reader: $0) }
    }
}
