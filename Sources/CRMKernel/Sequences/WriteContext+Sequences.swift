import Foundation
import GRDB

extension WriteContext {
    /// The next number of sequence `name` (e.g. `"order"` → `HT-20261202-0001`), counted in this
    /// transaction.
    ///
    /// The counter lives in the database (`_sequence`, one row per sequence and period) and is
    /// incremented by one statement inside the caller's write transaction: SQLite lets one writer
    /// at a time, across processes too, so two writers never get the same number, and a rolled-back
    /// transaction gives its number back (no gaps). Dates are those of the transaction's time in
    /// the workspace time zone (setting `time_zone`, default Asia/Shanghai).
    ///
    /// Throws `notFound` for a sequence no enabled module declares.
    public func nextNumber(_ name: String) throws -> String {
        guard let pattern = schema.sequences[name] else {
            let known = schema.sequences.keys.sorted()
            throw KernelError(.notFound, "unknown sequence '\(name)'" + (known.isEmpty ? " (no enabled module declares one)" : " (known: \(known.joined(separator: ", ")))"))
        }
        let calendar = try systemReader.workspaceCalendar()
        let period = pattern.period(at: now, calendar: calendar)
        let value = try Int64.fetchOne(db.cachedStatement(sql: """
            INSERT INTO _sequence (name, period, value) VALUES (?, ?, 1)
            ON CONFLICT(name, period) DO UPDATE SET value = value + 1 RETURNING value
            """), arguments: [name, period]) ?? 1
        return pattern.format(value, at: now, calendar: calendar)
    }
}
