import GRDB

/// The item index of an entity's list fields (tags, multiple choice) declared `indexed`: one
/// side table per field, `l_<n>_<entity>_<field>(_item, _record)` (`StorageNames`), so "has tag X" is an index
/// lookup instead of a scan of every record's JSON, and a first page filtered by a tag can be
/// read in id order straight from the index.
///
/// The column names start with `_` so they never clash with field names in a join.
struct ListIndex {
    let entity: EntitySchema

    /// The side table of `field`.
    static func table(_ entity: String, _ field: String) -> String { StorageNames.listTable(entity, field) }

    /// Whether `field` is kept in a side table.
    static func isIndexed(_ field: FieldDefinition) -> Bool { field.type.isList && field.indexed }

    /// Creates (and fills from the stored records) the side table of every indexed list field,
    /// and drops those of list fields no longer indexed.
    func prepare(_ db: Database) throws {
        let source = SQL.quote(entity.tableName)
        for field in entity.fields where field.type.isList {
            let name = Self.table(entity.name, field.name), table = SQL.quote(name)
            let exists = try db.tableExists(name)
            if Self.isIndexed(field), !exists {
                try db.execute(sql: "CREATE TABLE \(table) (_item TEXT NOT NULL, _record INTEGER NOT NULL, PRIMARY KEY (_item, _record)) WITHOUT ROWID")
                try db.execute(sql: "CREATE INDEX \(SQL.quote(StorageNames.listRecordIndex(entity.name, field.name))) ON \(table)(_record)")
                try db.execute(sql: """
                    INSERT OR IGNORE INTO \(table) (_item, _record)
                    SELECT j.value, e.id FROM \(source) e, json_each(e.\(SQL.quote(field.name))) j
                    WHERE json_valid(e.\(SQL.quote(field.name))) AND j.type = 'text'
                    """)
            } else if !Self.isIndexed(field), exists {
                try db.execute(sql: "DROP TABLE \(table)")
            }
        }
    }

    /// Indexes a new record's items.
    func insert(_ db: Database, id: Int64, values: [String: Value]) throws {
        for field in entity.indexedListFields {
            guard case .list(let items) = values[field.name] ?? .null else { continue }
            try add(db, id: id, field: field, items: items)
        }
    }

    /// Re-indexes the items of the `changed` fields of a record.
    func update(_ db: Database, id: Int64, values: [String: Value], changed: [String]) throws {
        for field in entity.indexedListFields where changed.contains(field.name) {
            try db.cachedStatement(sql: "DELETE FROM \(SQL.quote(Self.table(entity.name, field.name))) WHERE _record = ?").execute(arguments: [id])
            if case .list(let items) = values[field.name] ?? .null { try add(db, id: id, field: field, items: items) }
        }
    }

    /// Removes a deleted record's items.
    func delete(_ db: Database, id: Int64) throws {
        for field in entity.indexedListFields {
            try db.cachedStatement(sql: "DELETE FROM \(SQL.quote(Self.table(entity.name, field.name))) WHERE _record = ?").execute(arguments: [id])
        }
    }

    /// The item insert of one list field's index table.
    static func insertSQL(_ entity: String, _ field: String) -> String {
        "INSERT OR IGNORE INTO \(SQL.quote(table(entity, field))) (_item, _record) VALUES (?, ?)"
    }

    private func add(_ db: Database, id: Int64, field: FieldDefinition, items: [String]) throws {
        let insert = try db.cachedStatement(sql: entity.listInsertSQL[field.name] ?? Self.insertSQL(entity.name, field.name))
        for item in items { try insert.executeBound([item.databaseValue, id.databaseValue]) }
    }
}
