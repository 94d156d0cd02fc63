import CRMKernel
import Foundation

/// How an import runs.
public struct ImportOptions: Sendable {
    /// What to do with a row that duplicates an existing record.
    public var onDuplicate: DuplicatePolicy = .create
    /// Report what would happen, row by row, and write nothing.
    public var dryRun = false
    /// Rows per transaction (`BulkOptions`'s default).
    public var batchSize = BulkOptions.defaultBatchSize
    /// Continue an interrupted import of the same file from its last committed batch.
    public var resume = false
    /// Stop at the first refused row: its batch is rolled back, earlier batches stay.
    public var stopOnError = false

    /// Creates options.
    public init(onDuplicate: DuplicatePolicy = .create, dryRun: Bool = false, batchSize: Int = BulkOptions.defaultBatchSize, resume: Bool = false,
                stopOnError: Bool = false) {
        self.stopOnError = stopOnError
        self.onDuplicate = onDuplicate
        self.dryRun = dryRun
        self.batchSize = max(1, batchSize)
        self.resume = resume
    }
}

/// Imports a table into an entity of any module: cells normalized (`CellNormalizer`), each row
/// checked against the module's duplicate rules (`ImportDuplicateRule`) and created, updated,
/// merged, skipped or refused, in batches that each commit whole with their journal entry (so
/// `resume` continues exactly after the last committed batch). Every write goes through the
/// kernel as the acting user, with their grants, scope and field limits; a refused row is rolled
/// back alone and reported with its row and column.
public struct ImportRunner {
    let workspace: Workspace
    let entity: EntitySchema
    let table: ImportTable
    let mapping: ImportMapping
    let user: ActingUser
    let access: AccessGuard?
    let options: ImportOptions

    /// Prepares an import of `table` into `entity` as `user` (limited by `access` when given).
    public init(workspace: Workspace, entity: EntitySchema, table: ImportTable, mapping: ImportMapping,
                user: ActingUser, access: AccessGuard?, options: ImportOptions) {
        self.workspace = workspace
        self.entity = entity
        self.table = table
        self.mapping = mapping
        self.user = user
        self.access = access
        self.options = options
    }

    /// The journal key of this import: entity, sheet and a checksum of the file's bytes.
    public func journalKey() throws -> String {
        guard let data = FileManager.default.contents(atPath: table.file) else { throw KernelError(.notFound, "\(table.file): cannot open file") }
        return "\(entity.name):\(table.sheet ?? ""):\(Digests.sha256Hex(data))"
    }

    /// Runs the import; `progress` is called after each batch with rows done and rows in all.
    public func run(progress: ((Int, Int) -> Void)? = nil) throws -> ImportReport {
        try access?.require(.create, on: entity.name)
        if options.onDuplicate == .update || options.onDuplicate == .merge { try access?.require(.update, on: entity.name) }
        let rule = options.onDuplicate == .create ? nil : try workspace.importDuplicateRule(for: entity.name)
        if options.onDuplicate != .create && rule == nil {
            throw KernelError(.validation, "\(entity.name) has no duplicate rules (no module declares them); use --on-duplicate create")
        }
        var report = ImportReport()
        report.dryRun = options.dryRun
        if options.dryRun {
            try dryRun(rule, &report)
            return report
        }
        let key = try journalKey()
        var start = 0
        if options.resume, let journal = try workspace.store.importProgress(key) {
            start = journal.nextRow
            report.counts = journal.counts
            report.resumedFrom = start
        } else if !options.resume {
            try workspace.store.clearImportProgress(key)
        }
        try workspace.store.bulkWriting { try runBatches(from: start, rule, key, &report, progress: progress) }
        return report
    }

    /// The batches from row `start` on, each a transaction that also records the progress made.
    func runBatches(from start: Int, _ rule: ImportDuplicateRule?, _ key: String, _ report: inout ImportReport,
                    progress: ((Int, Int) -> Void)?) throws {
        var index = start
        while index < table.rows.count {
            let end = min(index + options.batchSize, table.rows.count)
            let counts = report.counts
            let outcomes = try workspace.store.writeAttempts(as: user, access: access) { tx, savepoints -> [ImportRowOutcome] in
                tx.markImport()
                var outcomes: [ImportRowOutcome] = []
                var batchCounts = counts
                for row in table.rows[index..<end] {
                    let outcome = try apply(row, rule, tx, savepoints: savepoints)
                    if options.stopOnError, outcome.action == .refused {
                        let kept = counts.values.reduce(0, +)
                        throw KernelError(.validation, "\(table.location(line: row.line)): \(outcome.message ?? "refused") (stopped; \(kept) row(s) of earlier batches were kept)")
                    }
                    batchCounts[outcome.action.rawValue, default: 0] += 1
                    outcomes.append(outcome)
                }
                try tx.recordImportProgress(key, entity: entity.name, file: table.file, nextRow: end, counts: batchCounts)
                return outcomes
            }
            for outcome in outcomes { report.counts[outcome.action.rawValue, default: 0] += 1 }
            report.rows += outcomes
            report.batches += 1
            index = end
            progress?(index, table.rows.count)
        }
    }

    /// Every row in one transaction that is rolled back at the end: rows see the rows before
    /// them (a duplicate inside the file is found), and nothing is kept.
    func dryRun(_ rule: ImportDuplicateRule?, _ report: inout ImportReport) throws {
        var outcomes: [ImportRowOutcome] = []
        do {
            try workspace.store.writeAttempts(as: user, access: access) { tx, savepoints in
                tx.markImport()
                outcomes.removeAll()
                for row in table.rows { outcomes.append(try apply(row, rule, tx, savepoints: savepoints)) }
                throw DryRunRollback()
            }
        } catch is DryRunRollback {}
        report.rows = outcomes
        for outcome in outcomes { report.counts[outcome.action.rawValue, default: 0] += 1 }
    }

    /// One row: normalized, matched, written (`WriteContext.attempt`: a refused row undoes
    /// alone); a refusal is an outcome, not an error.
    func apply(_ row: ImportTable.Row, _ rule: ImportDuplicateRule?, _ tx: WriteContext, savepoints: Bool) throws -> ImportRowOutcome {
        var values: [String: Value] = [:]
        for (i, cell) in row.cells.enumerated() where i < mapping.columns.count {
            guard let name = mapping.columns[i], !cell.isEmpty, let field = entity.fieldsByName[name] else { continue }
            switch CellNormalizer.value(cell, field) {
            case .success(let v): values[name] = v
            case .failure(let e):
                return ImportRowOutcome(line: row.line, action: .refused, message: "\(entity.name).\(e.description)", column: i)
            }
        }
        var match: DuplicateCandidate?
        do {
            if let rule { match = try rule.find(tx.reader, values).first }
            switch (options.onDuplicate, match) {
            case (.create, _), (_, nil):
                let record = try tx.attempt(savepoint: savepoints) { try tx.create(entity.name, values) }
                return ImportRowOutcome(line: row.line, action: .created, recordID: record.id)
            case (.skip, let m?):
                return ImportRowOutcome(line: row.line, action: .skipped, recordID: m.id, match: m)
            case (.update, let m?):
                let record = try tx.attempt(savepoint: savepoints) { try tx.update(entity.name, m.id, values) }
                return ImportRowOutcome(line: row.line, action: .updated, recordID: record.id, match: m)
            case (.merge, let m?):
                let record = try tx.attempt(savepoint: savepoints) { try rule?.merge?(tx, m.id, values) ?? defaultMerge(tx, m.id, values) }
                return ImportRowOutcome(line: row.line, action: .merged, recordID: record.id, match: m)
            }
        } catch let error as KernelError {
            let column = error.fieldErrors.first.flatMap { fe in mapping.columns.firstIndex(of: fe.field) }
            return ImportRowOutcome(line: row.line, action: .refused, match: match, message: error.description, column: column)
        }
    }

    /// The kernel's merge for modules without their own: the existing record's empty fields
    /// are filled from the row; list fields are united.
    func defaultMerge(_ tx: WriteContext, _ id: Int64, _ values: [String: Value]) throws -> Record {
        guard let existing = try tx.reader.get(entity.name, id) else { throw KernelError.recordNotFound(entity.name, id) }
        var changes: [String: Value] = [:]
        for (name, value) in values {
            if case .list(let theirs) = value, case .list(let mine) = existing[name] {
                changes[name] = .list(mine + theirs.filter { !mine.contains($0) })
            } else if existing[name].isEmpty {
                changes[name] = value
            }
        }
        return try tx.update(entity.name, id, changes)
    }
}

private struct DryRunRollback: Error {}
