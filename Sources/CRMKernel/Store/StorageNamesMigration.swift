import Foundation
import GRDB

/// Kernel migration `kernel.004-storage-names`: renames the list item tables and the indexes
/// named by the old, ambiguous scheme (`l_<entity>_<field>`, `ix_`/`ux_<entity>_<field>`,
/// `ix_<entity>__<columns>`) to `StorageNames`, keeping every record.
///
/// A list table is matched to its entity and field through the fields the schema tables know;
/// a table two fields shared (entity `order` + field `line_tags`, entity `order_line` + field
/// `tags`) holds items of both and is dropped, to be rebuilt from the records themselves when the
/// schema is next applied (`ListIndex.prepare`). An index is matched to its entity by the table
/// it is on and to its columns by SQLite, so its new name is never a guess.
enum StorageNamesMigration {
    static func run(_ db: Database) throws {
        try renameListTables(db)
        try renameIndexes(db)
    }

    private static func renameListTables(_ db: Database) throws {
        var owners: [String: [(entity: String, field: String)]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT entity, name FROM _schema_field ORDER BY entity, name") {
            let entity: String = row["entity"], field: String = row["name"]
            owners["l_\(entity)_\(field)", default: []].append((entity, field))
        }
        for (old, pairs) in owners.sorted(by: { $0.key < $1.key }) where try db.tableExists(old) {
            guard pairs.count == 1, let pair = pairs.first else {
                try db.execute(sql: "DROP TABLE \(SQL.quote(old))")
                continue
            }
            let new = StorageNames.listTable(pair.entity, pair.field)
            try db.execute(sql: "ALTER TABLE \(SQL.quote(old)) RENAME TO \(SQL.quote(new))")
            try db.execute(sql: "DROP INDEX IF EXISTS \(SQL.quote("lx_\(pair.entity)_\(pair.field)"))")
            try db.execute(sql: "CREATE INDEX \(SQL.quote(StorageNames.listRecordIndex(pair.entity, pair.field))) ON \(SQL.quote(new))(_record)")
        }
    }

    private static func renameIndexes(_ db: Database) throws {
        let rows = try Row.fetchAll(db, sql: """
            SELECT name, tbl_name, sql FROM sqlite_master
            WHERE type = 'index' AND sql IS NOT NULL AND substr(tbl_name, 1, 2) = 'e_'
              AND (substr(name, 1, 3) = 'ix_' OR substr(name, 1, 3) = 'ux_')
            ORDER BY name
            """)
        for row in rows {
            let old: String = row["name"], table: String = row["tbl_name"], sql: String = row["sql"]
            let entity = String(table.dropFirst(2))
            // Expression columns have no name: such an index is not one the kernel named.
            let named = try Row.fetchAll(db, sql: "PRAGMA index_info(\(SQL.quote(old)))").map { $0["name"] as String? }
            let columns = named.compactMap { $0 }
            guard columns.count == named.count, let new = newName(old, entity: entity, columns: columns) else { continue }
            let quotedOld = SQL.quote(old)
            guard let range = sql.range(of: quotedOld) else { continue }
            let recreate = sql.replacingCharacters(in: range, with: SQL.quote(new))
            try db.execute(sql: "DROP INDEX \(quotedOld)")
            try db.execute(sql: recreate)
        }
    }

    /// The new name of an index the old scheme named, or nil for an index it did not name.
    static func newName(_ old: String, entity: String, columns: [String]) -> String? {
        guard let first = columns.first else { return nil }
        if old == "ix_\(entity)__" + columns.joined(separator: "_") { return StorageNames.compositeIndex(entity, columns) }
        guard columns.count == 1 else { return nil }
        if old == "ix_\(entity)_\(first)" { return StorageNames.index(entity, first) }
        if old == "ux_\(entity)_\(first)" { return StorageNames.uniqueIndex(entity, first) }
        return nil
    }
}
