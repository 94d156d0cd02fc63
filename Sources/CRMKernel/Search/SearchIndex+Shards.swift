import GRDB

/// An entity's full-text index is kept in one FTS5 table per 65,536 record ids (a shard): ids
/// below 65,536 in `s_<entity>`, the next range in `ss_<entity>_1`, then `ss_<entity>_2`, and
/// so on. A shard is created, with every shard below it, by the write that first puts a record
/// in its range, so every shard up to the one of an entity's highest id exists.
///
/// FTS5 merges an index's segments level by level, and a merge cannot stop inside one term: at
/// 1,000,000 customers the doclist of a bigram in every company name (公司, 有限) was merged
/// whole, 20–90 ms during which the single writer waited, and new rows kept being merged into
/// the large levels (1.9 s of merging per 20,000 creates, against 0.2 s with shards). With
/// shards, creates write to the newest shard only, whose doclists hold at most 65,536 records,
/// and the older shards see only the updates and deletes of their own records.
///
/// A search in id order reads the shards one after the other from the end it starts at, and
/// stops once the page is full (`RecordReader.selectStatements`); other searches and counts
/// read the union of the shards' matches.
extension SearchIndex {
    /// Record ids per shard, as a power of two.
    static let shardBits: Int64 = 16

    /// The shard a record id belongs to.
    static func shard(of id: Int64) -> Int { Int(max(0, id) >> shardBits) }

    /// The first record id of `shard`.
    static func firstID(ofShard shard: Int) -> Int64 { Int64(shard) << shardBits }

    /// The unquoted table name of `shard`: the entity's search table for shard 0.
    func tableName(shard: Int) -> String {
        shard == 0 ? entity.definition.searchTableName : "ss_\(entity.name)_\(shard)"
    }

    /// The quoted table name of `shard`.
    func table(shard: Int) -> String {
        shard == 0 ? entity.searchTable : SQL.quote(tableName(shard: shard))
    }

    /// Creates the FTS5 table of `shard`, its merging left to the kernel.
    func createTable(_ db: Database, shard: Int) throws {
        try db.execute(sql: "CREATE VIRTUAL TABLE \(table(shard: shard)) USING fts5(body, tokenize = 'unicode61 remove_diacritics 0')")
        try takeOverMerging(db, shard: shard)
    }

    /// Creates `shard` and every shard below it that is missing (shard 0 is made by `prepare`).
    func createShards(_ db: Database, through shard: Int) throws {
        guard shard > 0, try !db.tableExists(tableName(shard: shard)) else { return }
        for k in 1...shard where try !db.tableExists(tableName(shard: k)) { try createTable(db, shard: k) }
    }

    /// Whether `error` is SQLite's for a table that does not exist (a shard not created yet).
    static func isMissingTable(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_ERROR && error.message?.hasPrefix("no such table") == true
    }

    /// The shards beyond shard 0 that exist, in order.
    func extraShards(_ db: Database) throws -> [Int] {
        var shards: [Int] = []
        while try db.tableExists(tableName(shard: shards.count + 1)) { shards.append(shards.count + 1) }
        return shards
    }

    /// The shards a reader searches, in id order: shard 0 up to the shard of the entity's
    /// highest id (each one exists, see the type's comment).
    func searchedShards(_ db: Database) throws -> ClosedRange<Int> {
        let sql = "SELECT max(id) FROM \(SQL.quote(entity.tableName))"
        let highest = try Int64.fetchOne(db.cachedStatement(sql: sql)) ?? 0
        return 0...Self.shard(of: highest)
    }

    /// A subquery of the rowids matching the FTS5 expression `match` in every shard (for
    /// `id IN (…)`), with its arguments.
    func matchingRowids(_ db: Database, _ match: String) throws -> (sql: String, args: [DatabaseValue]) {
        let shards = try searchedShards(db)
        let sql = shards.map { "SELECT rowid FROM \(table(shard: $0)) WHERE body MATCH ?" }.joined(separator: " UNION ALL ")
        return (sql, Array(repeating: match.databaseValue, count: shards.count))
    }
}
