import GRDB

/// FTS5 keeps an index as segments, one more per write transaction, and merges them as part of
/// the writes (`automerge`): the work is counted up and done in bursts, so every so often one
/// commit merges a few hundred pages at once. For the API's group commit that was 5–11 ms of
/// CPU inside a single commit, with every create of the batch and of the queue behind it
/// waiting (the slowest 1 % of creates). The kernel turns FTS5's own merging off and does the
/// same work in even slices instead: each write transaction ends with a merge of a few pages per
/// row it indexed (FTS5's `merge` command, which merges only levels holding enough segments).
extension SearchIndex {
    /// Pages of merge work per row written to an index. A row adds a fraction of a page to its
    /// transaction's new segment and each level rewrites it once, so this keeps up with the
    /// writes while a transaction of a few rows merges well under a millisecond.
    static let mergePagesPerRow = 2
    /// The least merge work one transaction does on an index it wrote to.
    static let minimumMergePages = 4

    /// Turns FTS5's automatic merging off for this index (stored in the table's own
    /// configuration; written only when it differs, so opening a workspace writes nothing).
    func takeOverMerging(_ db: Database) throws {
        guard isActive else { return }
        let config = SQL.quote(entity.definition.searchTableName + "_config")
        let current = try Int.fetchOne(db, sql: "SELECT v FROM \(config) WHERE k = 'automerge'")
        if current != 0 { try db.execute(sql: "INSERT INTO \(table)(\(table), rank) VALUES ('automerge', 0)") }
    }

    /// The merge work for `rows` rows written to the index table `table` (quoted) in this
    /// transaction.
    static func merge(_ db: Database, table: String, rows: Int) throws {
        let pages = max(minimumMergePages, rows * mergePagesPerRow)
        try db.execute(sql: "INSERT INTO \(table)(\(table), rank) VALUES ('merge', ?)", arguments: [pages])
    }
}

extension WriteContext {
    /// Counts a row written to (or deleted from) `entity`'s full-text index.
    func noteSearchWrite(_ entity: EntitySchema) {
        guard !entity.searchableFields.isEmpty else { return }
        searchWrites[SQL.quote(entity.definition.searchTableName), default: 0] += 1
    }

    /// Ends the transaction's writes with the merge work for the full-text indexes it wrote to.
    func mergeSearchIndexes() throws {
        for (table, rows) in searchWrites.sorted(by: { $0.key < $1.key }) { try SearchIndex.merge(db, table: table, rows: rows) }
        searchWrites = [:]
    }
}
