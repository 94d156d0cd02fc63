import Foundation
import GRDB

/// Applies a `Schema` to the database additively: new entities become tables, new fields
/// columns, new indexes indexes. Nothing is dropped: fields and entities that disappear are
/// marked hidden and keep their data. A change that would lose data is refused.
struct SchemaMigrator {
    let db: Database

    func apply(_ schema: Schema) throws {
        let storedEntities = try Row.fetchAll(db, sql: "SELECT name, search_signature FROM _schema_entity")
        var signatures: [String: String] = [:]
        for row in storedEntities { signatures[row["name"]] = row["search_signature"] }
        for name in schema.entityNames {
            let entity = schema.entities[name]!
            try apply(entity, knownSignature: signatures[name])
        }
        let active = Set(schema.entityNames)
        for name in signatures.keys where !active.contains(name) {
            try db.execute(sql: "UPDATE _schema_entity SET hidden = 1 WHERE name = ?", arguments: [name])
        }
    }

    /// The column's SQL type; the system `version` column starts at 1 (also for records made
    /// before it existed, which get it when the table is next migrated).
    private func columnType(_ field: FieldDefinition) -> String {
        field.system && field.name == "version" ? "INTEGER NOT NULL DEFAULT 1" : field.type.sqlType
    }

    private func apply(_ entity: EntitySchema, knownSignature: String?) throws {
        let table = SQL.quote(entity.tableName)
        if knownSignature == nil, try !db.tableExists(entity.tableName) {
            let cols = entity.insertColumns.map { "\(SQL.quote($0.name)) \(columnType($0))" }
            try db.execute(sql: "CREATE TABLE \(table) (id INTEGER PRIMARY KEY AUTOINCREMENT, \(cols.joined(separator: ", ")))")
        }
        var stored: [String: (type: FieldType, def: FieldDefinition?)] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT name, type, definition FROM _schema_field WHERE entity = ?", arguments: [entity.name]) {
            let def = try? JSONDecoder().decode(FieldDefinition.self, from: Data((row["definition"] as String).utf8))
            stored[row["name"]] = (FieldType(rawValue: row["type"]) ?? .text, def)
        }
        let columns = Set(try db.columns(in: entity.tableName).map(\.name))
        for field in entity.fields where field.name != "id" {
            if !columns.contains(field.name) {
                try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN \(SQL.quote(field.name)) \(columnType(field))")
            } else if let old = stored[field.name] {
                try convert(entity, field, from: old.type, oldDefinition: old.def)
            }
            try checkOptions(entity, field, oldDefinition: stored[field.name]?.def)
            try ensureIndexes(entity, field)
            let json = String(decoding: try JSONEncoder().encode(field), as: UTF8.self)
            try db.execute(sql: """
                INSERT INTO _schema_field (entity, name, type, definition, hidden) VALUES (?, ?, ?, ?, 0)
                ON CONFLICT(entity, name) DO UPDATE SET type = excluded.type, definition = excluded.definition, hidden = 0
                """, arguments: [entity.name, field.name, field.type.rawValue, json])
        }
        for columns in entity.definition.indexes {
            let name = SQL.quote(StorageNames.compositeIndex(entity.name, columns))
            try db.execute(sql: "CREATE INDEX IF NOT EXISTS \(name) ON \(table)(\(columns.map(IndexColumn.sql).joined(separator: ", ")))")
        }
        let declared = Set(entity.fields.map(\.name))
        for name in stored.keys where !declared.contains(name) {
            try db.execute(sql: "UPDATE _schema_field SET hidden = 1 WHERE entity = ? AND name = ?", arguments: [entity.name, name])
        }
        let signature = entity.searchableFields.joined(separator: ",")
        try SearchIndex(entity: entity).prepare(db, rebuild: knownSignature != nil && knownSignature != signature)
        try ListIndex(entity: entity).prepare(db)
        let json = String(decoding: try JSONEncoder().encode(entity.definition), as: UTF8.self)
        try db.execute(sql: """
            INSERT INTO _schema_entity (name, definition, search_signature, hidden) VALUES (?, ?, ?, 0)
            ON CONFLICT(name) DO UPDATE SET definition = excluded.definition, search_signature = excluded.search_signature, hidden = 0
            """, arguments: [entity.name, json, signature])
    }

    /// Converts a column whose declared type changed, or refuses when values would be lost.
    private func convert(_ entity: EntitySchema, _ field: FieldDefinition, from oldType: FieldType, oldDefinition: FieldDefinition?) throws {
        let column = SQL.quote(field.name), table = SQL.quote(entity.tableName)
        let oldScale = oldDefinition?.scale ?? field.scale
        if oldType.isStorageCompatible(with: field.type) && (!field.type.isDecimal || oldScale == field.scale) { return }
        let inUse = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table) WHERE \(column) IS NOT NULL AND \(column) <> ''") ?? 0
        if inUse == 0 { return }
        if field.type.isDecimal && (oldType == .integer || oldType.isDecimal) && field.scale >= (oldType == .integer ? 0 : oldScale) {
            let factor = NSDecimalNumber(decimal: pow(10, field.scale - (oldType == .integer ? 0 : oldScale))).int64Value
            try db.execute(sql: "UPDATE \(table) SET \(column) = \(column) * \(factor) WHERE \(column) IS NOT NULL")
            return
        }
        throw KernelError(.conflict,
            "cannot change \(entity.name).\(field.name) from \(oldType.rawValue) to \(field.type.rawValue)\(oldType.isDecimal ? " (scale \(oldScale))" : ""): \(inUse) records hold values that would be lost",
            entity: entity.name, fieldErrors: [FieldError(field: field.name, message: "type change would lose data in \(inUse) records")])
    }

    /// Refuses removing a choice option that records still use.
    private func checkOptions(_ entity: EntitySchema, _ field: FieldDefinition, oldDefinition: FieldDefinition?) throws {
        guard field.type.hasOptions, !field.options.isEmpty else { return }
        if let old = oldDefinition, old.type == field.type, Set(old.options.map(\.value)).isSubset(of: field.options.map(\.value)) { return }
        let allowed = field.options.map(\.value)
        let marks = Array(repeating: "?", count: allowed.count).joined(separator: ",")
        let column = SQL.quote(field.name), table = SQL.quote(entity.tableName)
        let sql = field.type == .choice
            ? "SELECT DISTINCT \(column) FROM \(table) WHERE \(column) IS NOT NULL AND \(column) <> '' AND \(column) NOT IN (\(marks)) LIMIT 5"
            : "SELECT DISTINCT j.value FROM \(table), json_each(\(table).\(column)) j WHERE j.value NOT IN (\(marks)) LIMIT 5"
        let stray = try String.fetchAll(db, sql: sql, arguments: StatementArguments(allowed))
        guard stray.isEmpty else {
            throw KernelError(.conflict,
                "cannot remove option(s) \(stray.map { "'\($0)'" }.joined(separator: ", ")) from \(entity.name).\(field.name): still used by records",
                entity: entity.name, fieldErrors: [FieldError(field: field.name, message: "options still in use: \(stray.joined(separator: ", "))")])
        }
    }

    private func ensureIndexes(_ entity: EntitySchema, _ field: FieldDefinition) throws {
        let column = SQL.quote(field.name), table = SQL.quote(entity.tableName)
        // Indexed list fields are indexed by item in a side table (`ListIndex`), not by column.
        if (field.indexed && !field.type.isList) || ((field.type == .reference || field.type == .user) && !field.system) {
            try db.execute(sql: "CREATE INDEX IF NOT EXISTS \(SQL.quote(StorageNames.index(entity.name, field.name))) ON \(table)(\(column))")
        }
        let name = StorageNames.uniqueIndex(entity.name, field.name)
        let hasUniqueIndex = try db.indexes(on: entity.tableName).contains { $0.name == name }
        if !field.unique && hasUniqueIndex {
            try db.execute(sql: "DROP INDEX \(SQL.quote(name))")
        }
        if field.unique {
            if !hasUniqueIndex {
                let dup = try String.fetchOne(db, sql: "SELECT \(column) FROM \(table) WHERE \(column) IS NOT NULL AND \(column) <> '' GROUP BY \(column) HAVING count(*) > 1 LIMIT 1")
                if let dup {
                    throw KernelError(.conflict, "cannot make \(entity.name).\(field.name) unique: value '\(dup)' appears more than once",
                                      entity: entity.name, fieldErrors: [FieldError(field: field.name, message: "duplicate values exist")])
                }
                try db.execute(sql: "CREATE UNIQUE INDEX \(SQL.quote(name)) ON \(table)(\(column)) WHERE \(column) IS NOT NULL AND \(column) <> ''")
            }
        }
    }
}
