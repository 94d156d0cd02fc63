import GRDB

/// The full-text index of one entity: an FTS5 table `s_<entity>` whose rowid is the record id
/// and whose one column holds the tokens of every searchable field (see `SearchTokenizer`).
struct SearchIndex {
    let entity: EntitySchema

    var table: String { entity.searchTable }
    var isActive: Bool { !entity.searchableFields.isEmpty }

    /// Creates the index table when searchable fields exist; rebuilds it when they changed.
    func prepare(_ db: Database, rebuild: Bool) throws {
        guard isActive else { return }
        let exists = try db.tableExists(entity.definition.searchTableName)
        if !exists {
            try db.execute(sql: "CREATE VIRTUAL TABLE \(table) USING fts5(body, tokenize = 'unicode61 remove_diacritics 0')")
        }
        try takeOverMerging(db)
        if rebuild || !exists {
            try db.execute(sql: "DELETE FROM \(table)")
            let cols = entity.searchableFields.map(SQL.quote).joined(separator: ",")
            let rows = try Row.fetchCursor(db, sql: "SELECT id, \(cols) FROM \(SQL.quote(entity.tableName))")
            let insert = try db.makeStatement(sql: "INSERT INTO \(table)(rowid, body) VALUES (?, ?)")
            var indexed = 0
            while let row = try rows.next() {
                var text = ""
                for i in 1..<row.count { if let s = row[i] as String? { text += s; text += " " } }
                try insert.execute(arguments: [row[0] as Int64, SearchTokenizer.indexText(text)])
                indexed += 1
            }
            if indexed > 0 { try Self.merge(db, table: table, rows: indexed) }
        }
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
        try db.cachedStatement(sql: entity.searchInsertSQL).executeBound([id.databaseValue, body(values).databaseValue])
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
        try db.cachedStatement(sql: "DELETE FROM \(table) WHERE rowid = ?").execute(arguments: [id])
    }
}
