import GRDB

extension RecordReader {
    /// The SELECTs for one page of `query` (one row more than the limit, to tell whether a next
    /// page exists), to be run in order until that many rows are read; nil when its search text
    /// holds nothing searchable. One statement, but for a search in id order over a full-text
    /// index kept in several shards: one per shard, from the end the page starts at.
    func selectStatements(_ query: Query, _ entity: EntitySchema) throws -> [(sql: String, args: [DatabaseValue])]? {
        let compiler = QueryCompiler(entity: entity)
        var (clause, args) = try compiler.whereClause(query.filter)
        var from = "", orderBy = try compiler.orderBy(query.sort)
        var searchShards: [Int]? = nil  // the shards a search in id order reads, in that order
        let index = SearchIndex(entity: entity)
        var cursor: [DatabaseValue]? = nil  // the page cursor, once decoded
        let searching = query.search.map { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? false
        if !searching, query.sort.allSatisfy({ $0.field == "id" }), let drive = try compiler.drivingItem(query.filter) {
            // In id order, a tag (or other indexed list item) in the filter drives the query from
            // its item index and stops at the page's end, whether the tag is rare or common.
            var probing = compiler
            probing.probesItems = true
            let rest = try probing.whereClause(drive.rest)
            let table = SQL.quote(ListIndex.table(entity.name, drive.field.name))
            from = " JOIN \(table) AS _li ON _li._record = \(SQL.quote(entity.tableName)).id"
            clause = "_li._item = ? AND " + rest.0
            args = [drive.item] + rest.1
            orderBy = "_li._record" + (query.sort.first?.descending == true ? " DESC" : "")
        }
        if let search = query.search, searching {
            guard !entity.searchableFields.isEmpty else {
                throw KernelError(.validation, "\(entity.name) has no searchable fields", entity: entity.name)
            }
            guard let match = SearchTokenizer.matchExpression(search) else { return nil }
            if query.sort.allSatisfy({ $0.field == "id" }), !Self.clashesWithSearchTable(entity) {
                // In id order the full-text index drives the query and stops at the page's end,
                // instead of collecting every match first (a common 2-character term matches
                // tens of thousands of rows); shard after shard, each in the same way.
                let descending = query.sort.first?.descending == true
                clause += " AND _fts.body MATCH ?"
                args.append(match.databaseValue)
                orderBy = "_fts.rowid" + (descending ? " DESC" : "")
                var shards = Array(try index.searchedShards(db))
                cursor = try query.after.map(PageCursor.decode)
                if let last = cursor?.last, let id = Int64.fromDatabaseValue(last) {
                    // The index seeks to the cursor, and the shards wholly before it are skipped.
                    clause += descending ? " AND _fts.rowid < ?" : " AND _fts.rowid > ?"
                    args.append(last)
                    let cursorShard = SearchIndex.shard(of: id)
                    shards.removeAll { descending ? $0 > cursorShard : $0 < cursorShard }
                }
                searchShards = descending ? shards.reversed() : shards
            } else {
                let (rowids, rowidArgs) = try index.matchingRowids(db, match)
                clause += " AND id IN (\(rowids))"
                args += rowidArgs
                if !query.sort.allSatisfy({ $0.field == "id" }), try !matchesMany(rowids, rowidArgs) {
                    // Few matches: sorting them is cheapest, so keep SQLite from walking an index
                    // in sort order instead (that walk suits a common term, stopping at the page's
                    // end, but reads the whole index when the matches are rare).
                    orderBy = try compiler.orderBy(query.sort, indexable: false)
                }
            }
            if let (visible, visibleArgs) = visibleSearch(search, entity) {
                clause += " AND " + visible
                args += visibleArgs
            }
        }
        if let after = query.after {
            let (keyset, keyArgs) = try compiler.after(try cursor ?? PageCursor.decode(after), sort: query.sort)
            clause += " AND " + keyset
            args += keyArgs
        }
        let limit = query.limit.map { max(0, $0) }
        let rest = " WHERE " + clause + " ORDER BY " + orderBy + (limit.map { " LIMIT \($0 + 1)" } ?? "")
        if let searchShards {
            // No shard left (a cursor past the highest id) is a page with nothing on it.
            let records = SQL.quote(entity.tableName)
            return searchShards.map { shard in
                (entity.selectSQL + " JOIN \(index.table(shard: shard)) AS _fts ON _fts.rowid = \(records).id" + rest, args)
            }
        }
        return [(entity.selectSQL + from + rest, args)]
    }

    /// Matches of a search beyond which walking an index in sort order beats sorting the matches.
    static let sortedSearchWalkThreshold = 1_000

    /// Whether the subquery `rowids` (the matches of a search: `SearchIndex.matchingRowids`)
    /// has more than `sortedSearchWalkThreshold` rows (reads at most that many rowids).
    func matchesMany(_ rowids: String, _ args: [DatabaseValue]) throws -> Bool {
        let sql = "SELECT count(*) FROM (\(rowids) LIMIT \(Self.sortedSearchWalkThreshold + 1))"
        let found = try Int.fetchOne(db.cachedStatement(sql: sql), arguments: StatementArguments(args)) ?? 0
        return found > Self.sortedSearchWalkThreshold
    }

    /// SQLite's plan for `query` (`EXPLAIN QUERY PLAN`), one step per line: for operators and
    /// tests checking that a query uses an index.
    public func explain(_ query: Query) throws -> String {
        let entity = try schema.entity(query.entity)
        guard let statements = try selectStatements(query, entity) else { return "" }
        return try statements.map { sql, args in
            let rows = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: StatementArguments(args))
            return rows.map { $0["detail"] as String? ?? "" }.joined(separator: "\n")
        }.joined(separator: "\n")
    }

    /// Whether a field name could be confused with a column of the search table in a join.
    static func clashesWithSearchTable(_ entity: EntitySchema) -> Bool {
        entity.fields.contains { ["body", "rank", "_fts", entity.definition.searchTableName].contains($0.name) }
    }
}
