import CRMDataTransfer
import CRMKernel
import Foundation
import Hummingbird

/// `/api/v1/imports`: the web interface's import: upload a CSV or .xlsx file (the raw body) with
/// the entity and options in the query, get an id and a row-by-row preview (a dry run as the
/// caller), then commit it. Same access as the records API: the caller's create (and update)
/// grants, scope, and hidden and read-only fields apply, and a mapping to a field hidden from
/// them is refused.
extension APIServer {
    /// What an upload asked for, kept beside the file until it is committed.
    struct PendingImport: Codable {
        var entity: String
        var format: String
        var sheet: String?
        var map: String?
        var onDuplicate: String
        var userID: Int64?
    }

    func addImportRoutes(_ router: Router<CRMRequestContext>) {
        let imports = router.group("/api/v1/imports")
        imports.post("") { request, context in
            await self.respond {
                let p = try self.principal(request)  // 401 before the body is read
                let q = request.uri.queryParameters
                guard let entity = q["entity"].map(String.init) else { throw APIError(.badRequest, "the query needs entity=ENTITY") }
                let format = q["format"].map(String.init) ?? "csv"
                guard format == "csv" || format == "xlsx" else { throw APIError(.badRequest, "format must be csv or xlsx") }
                var req = request
                let buffer: ByteBuffer
                do { buffer = try await req.collectBody(upTo: context.maxUploadSize) } catch {
                    throw APIError(.contentTooLarge, "the upload is larger than \(context.maxUploadSize) bytes", type: "too-large")
                }
                guard buffer.readableBytes > 0 else { throw APIError(.badRequest, "the body must be the CSV or .xlsx file") }
                let pending = PendingImport(entity: entity, format: format, sheet: q["sheet"].map(String.init), map: q["map"].map(String.init),
                                            onDuplicate: q["on_duplicate"].map(String.init) ?? "create", userID: p.user.id)
                let data = Data(buffer.readableBytesView)
                return try await self.blocking {
                    let id = UUID().uuidString.lowercased()
                    let folder = self.importsFolder()
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                    let file = folder.appendingPathComponent("\(id).\(format)")
                    try data.write(to: file)
                    try JSONEncoder().encode(pending).write(to: folder.appendingPathComponent("\(id).json"))
                    do {
                        let (report, table) = try self.runImport(pending, file: file, p, dryRun: true)
                        return Self.json(.created, self.importJSON(id: id, report, table))
                    } catch {
                        try? FileManager.default.removeItem(at: file)
                        try? FileManager.default.removeItem(at: folder.appendingPathComponent("\(id).json"))
                        throw error
                    }
                }
            }
        }
        imports.post(":id/commit") { request, context in
            let id = try context.parameters.require("id")
            return await self.authed(request, context) { p in
                guard id.allSatisfy({ $0.isHexDigit || $0 == "-" }) else { throw APIError(.notFound, "no pending import \(id)") }
                let folder = self.importsFolder()
                guard let meta = FileManager.default.contents(atPath: folder.appendingPathComponent("\(id).json").path),
                      let pending = try? JSONDecoder().decode(PendingImport.self, from: meta), pending.userID == p.user.id else {
                    throw APIError(.notFound, "no pending import \(id)")
                }
                let file = folder.appendingPathComponent("\(id).\(pending.format)")
                let (report, table) = try self.runImport(pending, file: file, p, dryRun: false)
                try? FileManager.default.removeItem(at: file)
                try? FileManager.default.removeItem(at: folder.appendingPathComponent("\(id).json"))
                return Self.json(.ok, self.importJSON(id: id, report, table))
            }
        }
    }

    /// Rows per transaction of an uploaded import: fewer than `crm import`'s, since the API's
    /// writes wait while a batch holds the writer (about 0.15 s for 1,000 customers).
    static let uploadBatchSize = 1000

    func importsFolder() -> URL { host.workspace.directory.appendingPathComponent("imports/uploads") }

    func runImport(_ pending: PendingImport, file: URL, _ p: Principal, dryRun: Bool) throws -> (ImportReport, ImportTable) {
        guard let policy = DuplicatePolicy(rawValue: pending.onDuplicate) else {
            throw KernelError(.validation, "on_duplicate must be skip, update, merge or create")
        }
        let workspace = host.workspace
        let schema = try workspace.store.schema.entity(pending.entity)
        try p.access.require(.create, on: pending.entity)
        var table = try ImportTable.read(file.path, sheet: pending.sheet)
        table.file = "upload"
        let map = try pending.map.map { try ImportMapping.load(ImportMapping.path(for: $0, workspace: workspace.directory)) }
        let mapping = try ImportMapping.resolve(table, entity: schema, map: map, mapName: pending.map ?? "map", access: p.access)
        table.file = file.path
        let runner = ImportRunner(workspace: workspace, entity: schema, table: table, mapping: mapping, user: p.user, access: p.access,
                                  options: ImportOptions(onDuplicate: policy, dryRun: dryRun, batchSize: Self.uploadBatchSize))
        var report = try runner.run()
        if !dryRun { try workspace.store.clearImportProgress(try runner.journalKey()) }
        report.dryRun = dryRun
        table.file = "upload"
        return (report, table)
    }

    func importJSON(id: String, _ report: ImportReport, _ table: ImportTable) -> JSONWriter {
        var w = JSONWriter()
        w.raw("{\"id\":"); w.string(id)
        w.raw(",\"dry_run\":"); w.raw(report.dryRun ? "true" : "false")
        w.raw(",\"counts\":{")
        for (i, action) in ["created", "updated", "merged", "skipped", "refused"].enumerated() {
            if i > 0 { w.raw(",") }
            w.string(action); w.raw(":\(report.counts[action] ?? 0)")
        }
        w.raw("},\"rows\":[")
        for (i, row) in report.rows.enumerated() {
            if i > 0 { w.raw(",") }
            w.raw("{\"row\":\(row.line),\"action\":"); w.string(row.action.rawValue)
            if let rid = row.recordID { w.raw(",\"record_id\":\(rid)") }
            if let column = row.column { w.raw(",\"column\":"); w.string(table.header[column]) }
            if let m = row.match {
                w.raw(",\"match\":{\"id\":\(m.id),\"title\":"); w.string(m.title); w.raw(",\"reason\":"); w.string(m.reason); w.raw("}")
            }
            if let message = row.message { w.raw(",\"message\":"); w.string(message) }
            w.raw("}")
        }
        w.raw("]}")
        return w
    }
}
