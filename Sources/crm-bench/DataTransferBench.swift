import CRMDataTransfer
import CRMKernel
import CRMScripting
import Foundation

/// Data in and out (issue 18): .xlsx import with 查重 against the same import from CSV, an
/// .xlsx export of the whole book (time and peak memory), and a backup while reads go on.
enum DataTransferBench {
    struct Results: Codable {
        var importRows = 0
        var csvImportRowsPerSecond = 0.0
        var xlsxImportRowsPerSecond = 0.0
        var exportRecords = 0
        var xlsxExportSeconds = 0.0
        var peakRSSAfterExportMiB = 0.0
        var backupSeconds = 0.0
        var readsDuringBackup = 0
        var xlsxToCSVRatio: Double { csvImportRowsPerSecond > 0 ? xlsxImportRowsPerSecond / csvImportRowsPerSecond : 0 }
    }

    /// Imports `importCount` rows from CSV and from .xlsx (`--on-duplicate skip`, so every row
    /// is checked against the duplicate rules) into fresh workspaces, then exports and backs up
    /// `host`'s workspace.
    static func measure(_ data: CustomerData, importCount: Int, host: ScriptHost, in root: URL) throws -> Results {
        var results = Results()
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let rows = data.prefix(importCount)
        let fields = ["name", "contact_name", "phone", "industry", "source", "grade", "city", "tags"]
        let csv = root.appendingPathComponent("customers.csv"), xlsx = root.appendingPathComponent("customers.xlsx")
        var text = fields.joined(separator: ",") + "\n"
        let writer = try XLSXWriter(url: xlsx)
        try writer.addHeader(fields)
        for chunk in rows.chunks(of: 10_000) {
            for row in rows.rows(chunk) {
                let cells = fields.map { RecordExporter.text(row[$0] ?? .null) }
                text += cells.map(TableFile.csvQuote).joined(separator: ",") + "\n"
                try writer.addRow(cells.map { $0.isEmpty ? .empty : .text($0) })
            }
        }
        try writer.finish()
        try text.write(to: csv, atomically: true, encoding: .utf8)
        text = ""
        results.importRows = rows.count
        for (file, isXLSX) in [(csv, false), (xlsx, true)] {
            let ws = try KernelBench.importWorkspace(root.appendingPathComponent(isXLSX ? "xlsx-ws" : "csv-ws"), scripts: true).workspace
            defer { ws.close() }
            let start = Date()
            let table = try ImportTable.read(file.path)
            let schema = try ws.store.schema.entity("customer")
            let mapping = try ImportMapping.resolve(table, entity: schema, map: nil, access: nil)
            let report = try ImportRunner(workspace: ws, entity: schema, table: table, mapping: mapping, user: .system, access: nil,
                                          options: ImportOptions(onDuplicate: .skip)).run()
            let rate = Double(report.count(.created)) / Date().timeIntervalSince(start)
            if isXLSX { results.xlsxImportRowsPerSecond = rate } else { results.csvImportRowsPerSecond = rate }
        }

        let exportStart = Date()
        let schema = try host.workspace.store.schema.entity("customer")
        results.exportRecords = try RecordExporter(store: host.workspace.store, entity: schema, access: nil)
            .writeWorkbook(to: root.appendingPathComponent("export.xlsx"))
        results.xlsxExportSeconds = Date().timeIntervalSince(exportStart)
        results.peakRSSAfterExportMiB = PeakMemory.mebibytes()

        // Reads go on in another thread while the backup runs.
        let done = Flag()
        let reader = Thread {
            var n = 0
            while !done.isSet { if (try? host.workspace.store.find(Query("customer", limit: 20))) != nil { n += 1 } }
            done.count = n
        }
        reader.start()
        let backupStart = Date()
        try WorkspaceBackup.write(host.workspace, to: root.appendingPathComponent("backup.zip"), version: "bench")
        results.backupSeconds = Date().timeIntervalSince(backupStart)
        done.set()
        while done.count < 0 { Thread.sleep(forTimeInterval: 0.01) }
        results.readsDuringBackup = done.count
        return results
    }

    /// A stop signal and a result shared with the reading thread.
    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var stopped = false
        private var value = -1
        var isSet: Bool { lock.withLock { stopped } }
        func set() { lock.withLock { stopped = true } }
        var count: Int {
            get { lock.withLock { value } }
            set { lock.withLock { value = newValue } }
        }
    }
}
