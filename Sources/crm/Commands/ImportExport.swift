import ArgumentParser
import CRMKernel
import CSV
import Foundation

extension CRM {
    /// `crm import ENTITY FILE`: loads a CSV file through the kernel's bulk path.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import records from a CSV file (header row: field names or their Chinese/English labels).")
        @OptionGroup var options: WorkspaceOptions
        @Argument(help: "Entity name, e.g. customer.") var entity: String
        @Argument(help: "CSV file (UTF-8).") var file: String
        @Option(name: .customLong("batch-size"), help: "Records per transaction.") var batchSize = 1000
        @Flag(name: .customLong("stop-on-error"), help: "Stop at the first bad record (earlier batches are kept).") var stopOnError = false
        @Option(help: "Import as this user: their grants, scope and read-only and hidden fields apply to every record, as in the API (default: the system).") var `as`: String?

        func run() throws {
            try reportingErrors {
                let ws = try WorkspaceLoader.open(options).workspace
                let schema = try ws.store.schema.entity(entity)
                let user = try ActingUserResolver.resolve(`as`, in: ws)
                let access = try ActingUserResolver.access(user, asked: `as` != nil, in: ws)
                try access?.require(.create, on: entity)
                let text = try CSVImport.text(file)
                let columns = try CSVImport.mapHeader(try CSVImport.header(file, text), entity: schema, file: file)
                try CSVImport.checkStructure(file, text, width: columns.count)
                let rows = try CSVImport.rows(file, text, columns: columns)
                let result = try ws.store.bulkCreate(entity, rows, as: user, access: access,
                                                     options: BulkOptions(batchSize: batchSize, stopOnError: stopOnError))
                say("imported \(result.created) \(entity) record(s) in \(result.batches) batch(es)")
                if !result.failures.isEmpty {
                    for f in result.failures.prefix(20) {
                        FileHandle.standardError.write(Data("\(file):\(f.index + 2): \(f.error.description)\n".utf8))
                    }
                    throw KernelError(.validation, "\(result.failures.count) record(s) rejected (first shown above with file:line); the others were imported")
                }
            }
        }
    }

    /// `crm export ENTITY`: writes every record as CSV to stdout.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export records of an entity as CSV to standard output.")
        @OptionGroup var options: WorkspaceOptions
        @Argument(help: "Entity name, e.g. customer.") var entity: String
        @Option(name: .customLong("as"), help: "Export as this user: needs the export grant; only the records they see, without the fields hidden from them.")
        var user: String?

        func run() throws {
            try reportingErrors {
                let ws = try WorkspaceLoader.open(options).workspace
                let schema = try ws.store.schema.entity(entity)
                var query = Query(entity, limit: 1000)
                let acting = try ActingUserResolver.resolve(user, in: ws)
                let access = try ActingUserResolver.access(acting, asked: user != nil, in: ws)
                try access?.require(.export, on: entity)
                // Secret fields never leave in an export, whoever asks.
                let hidden = schema.secretFieldNames.union(access?.hiddenFields(entity) ?? [])
                let names = schema.fields.map(\.name).filter { !hidden.contains($0) }
                let out = FileHandle.standardOutput
                out.write(Data((names.map(CSVImport.quote).joined(separator: ",") + "\n").utf8))
                while true {
                    let page = try ws.store.find(query, as: access)
                    var chunk = ""
                    for r in page.records {
                        chunk += names.map { n in n == "id" ? String(r.id) : CSVImport.quote(CSVImport.cell(r[n])) }.joined(separator: ",") + "\n"
                    }
                    out.write(Data(chunk.utf8))
                    guard let next = page.nextCursor else { break }
                    query.after = next
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
