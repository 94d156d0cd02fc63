import GRDB

extension RecordReader {
    /// One page of records matching `query`, each holding only `fields` (and its id): for a
    /// caller that reads a few fields of many rows, such as a ticket's status history, without
    /// decoding every column. Same records, order and `nextCursor` as `find(_:)`.
    ///
    /// A reader acting for a restricted user gets what `find(_:)` gives it: the query within
    /// the user's scope (and refused on hidden fields), and no field hidden from the user.
    public func find(_ query: Query, only fields: [String]) throws -> Page {
        let entity = try schema.entity(query.entity)
        var wanted: [FieldDefinition] = []
        for name in fields where name != "id" && !wanted.contains(where: { $0.name == name }) { wanted.append(try entity.field(name)) }
        try query.filter?.checkLimits()
        let query = try limited(query, entity)
        if let restriction {
            let hidden = restriction.hiddenFields(entity.name)
            wanted.removeAll { hidden.contains($0.name) }
        }
        guard let statements = try selectStatements(query, entity) else { return Page(records: [], nextCursor: nil) }
        // The statements read the entity's columns; read the id, the wanted fields and the sort
        // keys (for the cursor) instead.
        let sortFields = try query.sort.filter { $0.field != "id" }.map { try entity.field($0.field) }
        let columns = ["id"] + wanted.map(\.name) + sortFields.map(\.name)
        let table = SQL.quote(entity.tableName)
        let narrow = "SELECT " + columns.map { table + "." + SQL.quote($0) }.joined(separator: ",") + " FROM " + table
        // One pass over a cursor: no copied rows, and per column only the name, type and scale
        // (a field definition copied per row and column was a good part of a long history's read).
        let columnsOut = wanted.map { (name: $0.name, type: $0.type, scale: $0.scale) }
        let limit = query.limit.map { max(0, $0) }
        func read() throws -> (records: [Record], next: String?) {
            var records: [Record] = []
            var lastKey: [DatabaseValue] = []
            for (sql, args) in statements {
                let statement = try db.cachedStatement(sql: narrow + sql.dropFirst(entity.selectSQL.count))
                let cursor = try Row.fetchCursor(statement, arguments: StatementArguments(args))
                while let row = try cursor.next() {
                    if let limit, records.count == limit { return (records, limit > 0 ? PageCursor.encode(lastKey) : nil) }
                    var values: [String: Value] = Dictionary(minimumCapacity: columnsOut.count)
                    for i in columnsOut.indices {
                        let v = ValueCodec.decode(row[i + 1] as DatabaseValue, type: columnsOut[i].type, scale: columnsOut[i].scale)
                        if case .null = v { continue }
                        values[columnsOut[i].name] = v
                    }
                    let id: Int64 = row[0]
                    records.append(Record(entity: entity.name, id: id, values: values))
                    if let limit, records.count == limit {
                        lastKey = (0..<sortFields.count).map { row[1 + wanted.count + $0] as DatabaseValue }
                        lastKey.append(row[0] as DatabaseValue)
                    }
                }
            }
            return (records, nil)
        }
        let (records, next) = query.filter == nil && query.search == nil ? try read() : try QueryBudget.run(db) { try read() }
        return Page(records: records, nextCursor: next)
    }
}
