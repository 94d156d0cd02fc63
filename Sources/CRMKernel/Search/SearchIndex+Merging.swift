import Foundation
import GRDB
import Synchronization

/// FTS5 keeps an index as segments, one more per write transaction, and merges them as part of
/// the writes (`automerge`): the work is counted up and done in bursts, so every so often one
/// commit merges a few hundred pages at once. For the API's group commit that was 5–11 ms of
/// CPU inside a single commit, with every create of the batch and of the queue behind it
/// waiting (the slowest 1 % of creates). The kernel turns FTS5's own merging off and does the
/// work in smaller, more even slices: once an index has had `mergeEveryRows` rows written since
/// its last merge, the transaction that crossed the mark ends with FTS5's `merge` command over
/// a few pages per row (which merges only levels holding enough segments). A slice per
/// transaction would be smoother still, but each partial merge rewrites the first leaf of every
/// input segment, which made single-record transactions pay for it.
///
/// A writer that answers its callers before it merges (the API's group commit) defers the work
/// (`RecordStore.deferringSearchMerges`) and merges in a transaction of its own right after
/// (`RecordStore.mergeOwedSearchIndexes`): the writes of the batch that crossed the mark no
/// longer wait for it. A merge still holds the writer, and one that reaches the doclist of a
/// common bigram (有限, 公司) at a high level merges it whole; the index's shards
/// (`SearchIndex+Shards.swift`) bound that doclist to 65,536 records. Merges are owed and done
/// per shard table.
extension SearchIndex {
    /// Pages of merge work per row written to an index. A row adds a fraction of a page to a new
    /// segment and each level rewrites it once, so this keeps up with the writes.
    static let mergePagesPerRow = 2
    /// Rows written to an index between two merges of it.
    static let mergeEveryRows = 40
    /// Rows an index may be owed while its writer defers the merges (`RecordStore.deferringSearchMerges`):
    /// past this a transaction merges anyway, so a writer that falls behind never lets the segments pile up.
    static let deferredMergeLimit = 8 * mergeEveryRows
    /// Set while the writes on this thread leave their merge work owed (`RecordStore.deferringSearchMerges`).
    @TaskLocal static var mergesDeferred = false

    /// Turns FTS5's automatic merging off for one shard of this index (stored in the table's
    /// own configuration; written only when it differs, so opening a workspace writes nothing).
    func takeOverMerging(_ db: Database, shard: Int) throws {
        guard isActive else { return }
        let config = SQL.quote(tableName(shard: shard) + "_config"), table = table(shard: shard)
        let current = try Int.fetchOne(db, sql: "SELECT v FROM \(config) WHERE k = 'automerge'")
        if current != 0 { try db.execute(sql: "INSERT INTO \(table)(\(table), rank) VALUES ('automerge', 0)") }
    }

    /// The merge work for `rows` rows written to the index table `table` (quoted) since its
    /// last merge.
    static func merge(_ db: Database, table: String, rows: Int) throws {
        let pages = rows * mergePagesPerRow
        try db.execute(sql: "INSERT INTO \(table)(\(table), rank) VALUES ('merge', ?)", arguments: [pages])
    }
}

extension WriteContext {
    /// Counts a row written to (or deleted from) `entity`'s full-text index, in the shard of
    /// record `id`.
    func noteSearchWrite(_ entity: EntitySchema, id: Int64) {
        guard !entity.searchableFields.isEmpty else { return }
        searchWrites[SearchIndex(entity: entity).table(shard: SearchIndex.shard(of: id)), default: 0] += 1
    }

    /// Ends the transaction's writes with the merge work due: for each full-text index it wrote
    /// to, the rows are added to what the index is owed (`debt`, kept by the store across
    /// transactions), and an index owed `SearchIndex.mergeEveryRows` rows or more is merged now.
    /// Returns the nanoseconds the merges took (0 when none was due).
    func mergeSearchIndexes(owing debt: borrowing Mutex<[String: Int]>) throws -> UInt64 {
        guard !searchWrites.isEmpty else { return 0 }
        let limit = SearchIndex.mergesDeferred ? SearchIndex.deferredMergeLimit : SearchIndex.mergeEveryRows
        let due: [(table: String, rows: Int)] = debt.withLock { owed in
            var due: [(table: String, rows: Int)] = []
            for (table, rows) in searchWrites {
                let total = owed[table, default: 0] + rows
                if total >= limit {
                    due.append((table, total))
                    owed[table] = 0
                } else {
                    owed[table] = total
                }
            }
            return due.sorted { $0.table < $1.table }
        }
        searchWrites = [:]
        guard !due.isEmpty else { return 0 }
        let start = DispatchTime.now().uptimeNanoseconds
        for (table, rows) in due { try SearchIndex.merge(db, table: table, rows: rows) }
        return DispatchTime.now().uptimeNanoseconds - start
    }
}
