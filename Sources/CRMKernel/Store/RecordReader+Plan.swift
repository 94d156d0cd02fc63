import GRDB

extension RecordReader {
    /// The SELECT for one page of `query` (one row more than the limit, to tell whether a next
    /// page exists), or nil when its search text holds nothing searchable.
    func selectStatement(_ query: Query, _ entity: EntitySchema) throws -> (String, [DatabaseValue])? {
        let compiler = QueryCompiler(entity: entity)
        var (clause, args) = try compiler.whereClause(query.filter)
        var from = "", orderBy = try compiler.orderBy(query.sort)
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
            let searchTable = SQL.quote(entity.definition.searchTableName)
            if query.sort.allSatisfy({ $0.field == "id" }), !Self.clashesWithSearchTable(entity) {
                // In id order the full-text index drives the query and stops at the page's end,
                // instead of collecting every match first (a common 2-character term matches
                // tens of thousands of rows).
                from = " JOIN \(searchTable) AS _fts ON _fts.rowid = \(SQL.quote(entity.tableName)).id"
                clause += " AND _fts.body MATCH ?"
                orderBy = "_fts.rowid" + (query.sort.first?.descending == true ? " DESC" : "")
            } else {
                clause += " AND id IN (SELECT rowid FROM \(searchTable) WHERE body MATCH ?)"
                if !query.sort.allSatisfy({ $0.field == "id" }), try !matchesMany(searchTable, match) {
                    // Few matches: sorting them is cheapest, so keep SQLite from walking an index
                    // in sort order instead (that walk suits a common term, stopping at the page's
                    // end, but reads the whole index when the matches are rare).
                    orderBy = try compiler.orderBy(query.sort, indexable: false)
                }
            }
            args.append(match.databaseValue)
            if let (visible, visibleArgs) = visibleSearch(search, entity) {
                clause += " AND " + visible
                args += visibleArgs
            }
        }
        if let after = query.after {
            let (keyset, keyArgs) = try compiler.after(try PageCursor.decode(after), sort: query.sort)
            clause += " AND " + keyset
            args += keyArgs
        }
        let limit = query.limit.map { max(0, $0) }
        var sql = entity.selectSQL + from + " WHERE " + clause + " ORDER BY " + orderBy
        if let limit { sql += " LIMIT \(limit + 1)" }
        return (sql, args)
    }

    /// Matches of a search beyond which walking an index in sort order beats sorting the matches.
    static let sortedSearchWalkThreshold = 1_000

    /// Whether full-text `match` has more than `sortedSearchWalkThreshold` rows in `searchTable`
    /// (reads at most that many rowids).
    func matchesMany(_ searchTable: String, _ match: String) throws -> Bool {
        let sql = "SELECT count(*) FROM (SELECT rowid FROM \(searchTable) WHERE body MATCH ? LIMIT \(Self.sortedSearchWalkThreshold + 1))"
        let found = try Int.fetchOne(db.cachedStatement(sql: sql), arguments: [match]) ?? 0
        return found > Self.sortedSearchWalkThreshold
    }

    /// SQLite's plan for `query` (`EXPLAIN QUERY PLAN`), one step per line: for operators and
    /// tests checking that a query uses an index.
    public func explain(_ query: Query) throws -> String {
        let entity = try schema.entity(query.entity)
        guard let (sql, args) = try selectStatement(query, entity) else { return "" }
        let rows = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: StatementArguments(args))
        return rows.map { $0["detail"] as String? ?? "" }.joined(separator: "\n")
    }

    /// Whether a field name could be confused with a column of the search table in a join.
    static func clashesWithSearchTable(_ entity: EntitySchema) -> Bool {
        entity.fields.contains { ["body", "rank", "_fts", entity.definition.searchTableName].contains($0.name) }
    }
}
