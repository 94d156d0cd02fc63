import GRDB

/// The full-text index of one entity: FTS5 tables (`s_<entity>`, then one per later range of
/// ids: `SearchIndex+Shards.swift`) whose rowid is the record id and whose one column holds
/// the tokens of every searchable field (see `SearchTokenizer`).
struct SearchIndex {
    let entity: EntitySchema

    var table: String { entity.searchTable }
    var isActive: Bool { !entity.searchableFields.isEmpty }

    /// Creates the index table when searchable fields exist; rebuilds it when they changed, or
    /// when it holds records of later shards (a workspace from before the index had shards).
    func prepare(_ db: Database, rebuild: Bool) throws {
        guard isActive else { return }
        let exists = try db.tableExists(entity.definition.searchTableName)
        if exists { try takeOverMerging(db, shard: 0) } else { try createTable(db, shard: 0) }
        let unsharded = try exists && (Int64.fetchOne(db, sql: "SELECT rowid FROM \(table) ORDER BY rowid DESC LIMIT 1") ?? 0) >= Self.firstID(ofShard: 1)
        if rebuild || !exists || unsharded {
            let shards = [0] + (try extraShards(db))
            for k in shards { try db.execute(sql: "DELETE FROM \(self.table(shard: k))") }
            let cols = entity.searchableFields.map(SQL.quote).joined(separator: ",")
            let rows = try Row.fetchCursor(db, sql: "SELECT id, \(cols) FROM \(SQL.quote(entity.tableName))")
            var indexed: [Int: Int] = [:]
            while let row = try rows.next() {
                var text = ""
                for i in 1..<row.count { if let s = row[i] as String? { text += s; text += " " } }
                let id: Int64 = row[0]
                try insert(db, id: id, body: SearchTokenizer.indexText(text))
                indexed[Self.shard(of: id), default: 0] += 1
            }
            for (k, rows) in indexed.sorted(by: { $0.key < $1.key }) { try Self.merge(db, table: self.table(shard: k), rows: rows) }
        }
        // Every shard up to the highest id's exists, even if records were written around the index.
        try createShards(db, through: try searchedShards(db).upperBound)
    }

    /// The index text of a record's searchable values.
    func body(_ values: [String: Value]) -> String {
        var text = ""
        for name in entity.searchableFields {
            switch values[name] ?? .null {
            case .null: continue
            case .list(let l): text += l.joined(separator: " ")
            case let v: text += v.description
            }
            text += " "
        }
        return SearchTokenizer.indexText(text)
    }

    func insert(_ db: Database, id: Int64, values: [String: Value]) throws {
        guard isActive else { return }
        try insert(db, id: id, body: body(values))
    }

    /// Writes index text `body` for record `id` to its shard, creating the shard if needed.
    private func insert(_ db: Database, id: Int64, body: String) throws {
        let shard = Self.shard(of: id), args = [id.databaseValue, body.databaseValue]
        guard shard > 0 else { return try db.cachedStatement(sql: entity.searchInsertSQL).executeBound(args) }
        let sql = "INSERT INTO \(self.table(shard: shard))(rowid, body) VALUES (?, ?)"
        // Asking GRDB whether the table exists scans every object of the schema, so the write
        // is tried first: only the first record of a shard finds it missing.
        do {
            try db.cachedStatement(sql: sql).executeBound(args)
        } catch let error as DatabaseError where Self.isMissingTable(error) {
            try createShards(db, through: shard)
            try db.cachedStatement(sql: sql).executeBound(args)
        }
    }

    /// The SQL function `crm_visible_match(search, field values...)`: whether the values, as
    /// one text, match the search the way the full-text index does. A caller for whom some
    /// searchable fields are hidden gets this check on the fields she sees, after the index
    /// narrowed the candidates, so a hidden value can never be what made a record match.
    static func visibleMatchFunction() -> DatabaseFunction {
        DatabaseFunction("crm_visible_match", argumentCount: nil, pure: true) { values in
            guard let first = values.first, let search = String.fromDatabaseValue(first) else { return false }
            var text = ""
            for value in values.dropFirst() {
                switch value.storage {
                case .string(let s): text += s
                case .int64(let i): text += String(i)
                case .double(let d): text += String(d)
                default: continue
                }
                text += " "
            }
            return SearchTokenizer.matches(search, text: text)
        }
    }

    /// The condition (and its arguments) that keeps only records whose fields visible to a
    /// caller match `search`: the index match plus `crm_visible_match` over those fields.
    func visibleMatchCondition(_ search: String, hidden: Set<String>) -> (String, [DatabaseValue]) {
        let visible = entity.searchableFields.filter { !hidden.contains($0) }
        guard !visible.isEmpty else { return ("0", []) }
        return ("crm_visible_match(?, " + visible.map(SQL.quote).joined(separator: ", ") + ")", [search.databaseValue])
    }

    func delete(_ db: Database, id: Int64) throws {
        guard isActive else { return }
        do {
            try db.cachedStatement(sql: "DELETE FROM \(self.table(shard: Self.shard(of: id))) WHERE rowid = ?").execute(arguments: [id])
        } catch let error as DatabaseError where Self.isMissingTable(error) {
            return  // a shard never written to holds nothing to delete
        }
    }
}
