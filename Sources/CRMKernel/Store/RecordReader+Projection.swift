import GRDB

extension RecordReader {
    /// One page of records matching `query`, each holding only `fields` (and its id): for a
    /// caller that reads a few fields of many rows, such as a ticket's status history, without
    /// decoding every column. Same records, order and `nextCursor` as `find(_:)`.
    ///
    /// A reader acting for a restricted user reads whole records (with their limits applied)
    /// and keeps the named fields.
    public func find(_ query: Query, only fields: [String]) throws -> Page {
        let entity = try schema.entity(query.entity)
        var wanted: [FieldDefinition] = []
        for name in fields where name != "id" && !wanted.contains(where: { $0.name == name }) { wanted.append(try entity.field(name)) }
        if restriction != nil {
            var page = try find(query)
            let keep = Set(wanted.map(\.name))
            page.records = page.records.map { Record(entity: $0.entity, id: $0.id, values: $0.values.filter { keep.contains($0.key) }) }
            return page
        }
        try query.filter?.checkLimits()
        guard let (sql, args) = try selectStatement(query, entity) else { return Page(records: [], nextCursor: nil) }
        // The statement reads the entity's columns; read the id, the wanted fields and the sort
        // keys (for the cursor) instead.
        let sortFields = try query.sort.filter { $0.field != "id" }.map { try entity.field($0.field) }
        let columns = ["id"] + wanted.map(\.name) + sortFields.map(\.name)
        let table = SQL.quote(entity.tableName)
        let narrow = "SELECT " + columns.map { table + "." + SQL.quote($0) }.joined(separator: ",") + " FROM " + table
        let statement = try db.cachedStatement(sql: narrow + sql.dropFirst(entity.selectSQL.count))
        let rows = query.filter == nil && query.search == nil
            ? try Row.fetchAll(statement, arguments: StatementArguments(args))
            : try QueryBudget.run(db) { try Row.fetchAll(statement, arguments: StatementArguments(args)) }
        let limit = query.limit.map { max(0, $0) }
        var records: [Record] = []
        records.reserveCapacity(min(rows.count, limit ?? rows.count))
        for row in rows.prefix(limit ?? rows.count) {
            var values: [String: Value] = [:]
            for (i, field) in wanted.enumerated() {
                let v = ValueCodec.decode(row[i + 1] as DatabaseValue, field)
                if case .null = v { continue }
                values[field.name] = v
            }
            records.append(Record(entity: entity.name, id: row[0], values: values))
        }
        var next: String? = nil
        if let limit, rows.count > limit, let last = rows.prefix(limit).last {
            var key: [DatabaseValue] = (0..<sortFields.count).map { last[1 + wanted.count + $0] as DatabaseValue }
            key.append(last[0] as DatabaseValue)
            next = PageCursor.encode(key)
        }
        return Page(records: records, nextCursor: next)
    }
}
