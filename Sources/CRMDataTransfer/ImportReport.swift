import CRMKernel
import Foundation

/// What an import does with duplicates of existing records (`--on-duplicate`).
public enum DuplicatePolicy: String, Sendable, CaseIterable {
    /// Leave the existing record alone and skip the row.
    case skip
    /// Write the row's mapped, non-empty cells over the existing record.
    case update
    /// Merge the row into the existing record under the module's merge rules.
    case merge
    /// Create a new record anyway (the module's own duplicate rules still apply).
    case create
}

/// What happened (or, in a dry run, would happen) to one row.
public struct ImportRowOutcome: Sendable {
    /// The outcome.
    public enum Action: String, Sendable {
        case created, updated, merged, skipped, refused
    }

    /// The row's line or sheet row number.
    public var line: Int
    /// The outcome.
    public var action: Action
    /// The record created, updated or merged into (nil when skipped without one, or refused).
    public var recordID: Int64?
    /// The existing record the row duplicates.
    public var match: DuplicateCandidate?
    /// Why it was refused.
    public var message: String?
    /// The column at fault (zero-based), when the error names a mapped field.
    public var column: Int?

    /// One line for people: `row 4: update #12 深圳华信科技有限公司 (名称)`.
    public func describe(_ table: ImportTable) -> String {
        var text = "\(table.location(line: line, column: column)): \(action.rawValue)"
        if let recordID, action != .refused { text += " #\(recordID)" }
        if let match { text += " (duplicate of #\(match.id) \(match.title), \(match.reason))" }
        if let message { text += ": \(message)" }
        return text
    }
}

/// What an import did.
public struct ImportReport: Sendable {
    /// Row outcomes in file order (for a resumed import: the rows read in this run).
    public var rows: [ImportRowOutcome] = []
    /// Totals by action, including the batches committed before a resume.
    public var counts: [String: Int] = [:]
    /// Transactions committed.
    public var batches = 0
    /// True for a dry run: nothing was written.
    public var dryRun = false
    /// Rows skipped because an earlier run had committed them (`--resume`).
    public var resumedFrom = 0

    /// The number of rows with `action`.
    public func count(_ action: ImportRowOutcome.Action) -> Int { counts[action.rawValue] ?? 0 }

    /// The refused rows.
    public var refused: [ImportRowOutcome] { rows.filter { $0.action == .refused } }

    /// The summary line.
    public func summary(entity: String) -> String {
        let verb = dryRun ? "dry run (nothing written): would import" : "imported"
        return "\(verb) \(count(.created)) \(entity) record(s) in \(batches) batch(es); updated \(count(.updated)), merged \(count(.merged)), skipped \(count(.skipped)), refused \(count(.refused))"
    }

    /// Writes the refused rows as a table the user can fix and import again: the original
    /// columns, then `import_row`, `import_column` and `import_error` (ignored on re-import).
    /// `.xlsx` by extension, else CSV.
    public func writeErrors(_ table: ImportTable, to path: String) throws {
        let header = table.header + ["import_row", "import_column", "import_error"]
        let byLine = Dictionary(table.rows.map { ($0.line, $0.cells) }, uniquingKeysWith: { a, _ in a })
        let rows: [[String]] = refused.map { outcome in
            let column = outcome.column.map { table.header[$0] } ?? ""
            return (byLine[outcome.line] ?? Array(repeating: "", count: table.header.count)) + [String(outcome.line), column, outcome.message ?? ""]
        }
        try TableFile.write(path, sheetName: "errors", header: header, rows: rows)
    }
}
