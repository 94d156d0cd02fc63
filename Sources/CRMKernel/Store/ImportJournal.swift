import Foundation
import GRDB

/// How far a resumable import got: the next input row to read and what the committed batches did.
public struct ImportProgress: Sendable, Equatable {
    /// The import's key (entity and a checksum of the file).
    public var key: String
    /// Zero-based index of the first data row not yet committed.
    public var nextRow: Int
    /// What the committed batches did, by outcome (`created`, `updated` …).
    public var counts: [String: Int]
}

extension WriteContext {
    /// Records, in this transaction, that an import reached `nextRow`: the journal commits with
    /// the batch it describes, so a resumed import neither skips nor repeats a row.
    public func recordImportProgress(_ key: String, entity: String, file: String, nextRow: Int, counts: [String: Int]) throws {
        let json = String(decoding: try JSONEncoder().encode(counts), as: UTF8.self)
        try db.execute(sql: """
            INSERT INTO _import_journal (key, entity, file, next_row, counts, updated_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(key) DO UPDATE SET next_row = excluded.next_row, counts = excluded.counts, updated_at = excluded.updated_at
            """, arguments: [key, entity, file, nextRow, json, nowText])
    }

    /// Marks this transaction as an import, so modules' hooks apply their import rules (the
    /// customers module's duplicate rules have an `on.import` switch), as `bulkCreate` does.
    public func markImport() { isBulk = true }
}

extension RecordStore {
    /// The journal entry of an unfinished import, if any.
    public func importProgress(_ key: String) throws -> ImportProgress? {
        try translate {
            try pool.read { db in
                guard let row = try Row.fetchOne(db, sql: "SELECT next_row, counts FROM _import_journal WHERE key = ?", arguments: [key]) else { return nil }
                let counts = (try? JSONDecoder().decode([String: Int].self, from: Data((row["counts"] as String).utf8))) ?? [:]
                return ImportProgress(key: key, nextRow: row["next_row"], counts: counts)
            }
        }
    }

    /// Forgets an import's journal entry (it finished, or the user starts it over).
    public func clearImportProgress(_ key: String) throws {
        try translate { try pool.write { db in try db.execute(sql: "DELETE FROM _import_journal WHERE key = ?", arguments: [key]) } }
    }
}
