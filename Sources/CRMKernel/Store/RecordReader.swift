import Foundation
import GRDB

/// Reads records of the current schema from one database connection.
///
/// Used inside read and write transactions alike, so hooks read what their transaction wrote.
///
/// A reader acts for someone: with a non-administrator's `access`, every `get`, `exists`,
/// `find`, `count`, `ids` and `aggregate` sees only the records in that user's scope, without
/// the fields hidden from them, and refuses to filter, sort, group or sum on a hidden field
/// (as an unknown field); a search matches only the fields they see. Without one (`system`)
/// it reads everything. Whether the user may read an entity at all (the `read` grant) is
/// decided where the request enters (`AccessGuard.require`).
public struct RecordReader {
    let db: Database
    /// The schema in force for this transaction.
    public let schema: Schema
    /// The user whose limits apply (a non-administrator, or an administrator for secret fields);
    /// nil when the system reads for itself.
    let restriction: AccessGuard?

    init(db: Database, schema: Schema, access: AccessGuard? = nil) {
        self.db = db
        self.schema = schema
        restriction = access?.limitsAnything == true ? access : nil
    }

    /// Who the reader acts for: their guard, or `AccessGuard.unrestricted`.
    public var access: AccessGuard { restriction ?? .unrestricted }

    /// The same reader acting for the system itself (bookkeeping a module does on its own
    /// account: teams, settings, targets), with no limits.
    public var system: RecordReader { RecordReader(db: db, schema: schema) }

    /// The same reader acting for `access` (nil: the system).
    public func acting(as access: AccessGuard?) -> RecordReader { RecordReader(db: db, schema: schema, access: access) }

    func decode(_ row: Row, _ entity: EntitySchema) -> Record {
        var values: [String: Value] = [:]
        values.reserveCapacity(entity.fields.count)
        let fields = entity.fields
        for i in 0..<fields.count {
            let v = ValueCodec.decode(row[i] as DatabaseValue, fields[i])
            if case .null = v { continue }
            values[fields[i].name] = v
        }
        let id: Int64 = row[0]
        return Record(entity: entity.name, id: id, values: values)
    }

    /// The record with `id`, or nil.
    public func get(_ entityName: String, _ id: Int64) throws -> Record? {
        let entity = try schema.entity(entityName)
        guard let row = try Row.fetchOne(db.cachedStatement(sql: entity.selectSQL + " WHERE id = ?"), arguments: [id]) else { return nil }
        let record = decode(row, entity)
        guard let restriction else { return record }
        return restriction.canSee(record, entity) ? restriction.redact(record) : nil
    }

    /// Whether a record with `id` exists (for a restricted reader: and is in the user's scope).
    public func exists(_ entityName: String, _ id: Int64) throws -> Bool {
        let entity = try schema.entity(entityName)
        if let restriction, restriction.visibleOwners(entity) != nil { return try get(entityName, id) != nil }
        return try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM \(SQL.quote(entity.tableName)) WHERE id = ?"), arguments: [id]) ?? false
    }

    /// One page of records matching the query.
    public func find(_ query: Query) throws -> Page {
        let entity = try schema.entity(query.entity)
        try query.filter?.checkLimits()
        let query = try limited(query, entity)
        guard let statements = try selectStatements(query, entity) else { return Page(records: [], nextCursor: nil) }
        let limit = query.limit.map { max(0, $0) }
        func fetch() throws -> [Row] {
            var rows: [Row] = []
            for (sql, args) in statements {
                rows += try Row.fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments(args))
                if let limit, rows.count > limit { break }
            }
            return rows
        }
        // Only filtered or searched queries can be costly; a plain page skips the budget.
        let rows = query.filter == nil && query.search == nil ? try fetch() : try QueryBudget.run(db) { try fetch() }
        var records: [Record] = []
        records.reserveCapacity(min(rows.count, limit ?? rows.count))
        for row in rows.prefix(limit ?? rows.count) { records.append(decode(row, entity)) }
        if let restriction { records = records.map(restriction.redact) }
        var next: String? = nil
        if let limit, rows.count > limit, let last = rows.prefix(limit).last {
            var key: [DatabaseValue] = []
            for s in query.sort where s.field != "id" {
                let index = entity.fields.firstIndex { $0.name == s.field }!
                key.append(last[index] as DatabaseValue)
            }
            key.append(last[0] as DatabaseValue)
            next = PageCursor.encode(key)
        }
        return Page(records: records, nextCursor: next)
    }

    /// How many records match the filter (and search). With `limit`, counting stops there (the
    /// answer is at most `limit`): a list that shows "10000+" need not walk 125,000 matches.
    public func count(_ entityName: String, filter: Filter? = nil, search: String? = nil, upTo limit: Int? = nil) throws -> Int {
        let entity = try schema.entity(entityName)
        try filter?.checkLimits()
        let query = try limited(Query(entityName, filter: filter), entity)
        var (clause, args) = try QueryCompiler(entity: entity).whereClause(query.filter)
        if let search, !search.trimmingCharacters(in: .whitespaces).isEmpty {
            guard !entity.searchableFields.isEmpty else {
                throw KernelError(.validation, "\(entity.name) has no searchable fields", entity: entity.name)
            }
            guard let match = SearchTokenizer.matchExpression(search) else { return 0 }
            let (rowids, rowidArgs) = try SearchIndex(entity: entity).matchingRowids(db, match)
            clause += " AND id IN (\(rowids))"
            args += rowidArgs
            if let (visible, visibleArgs) = visibleSearch(search, entity) {
                clause += " AND " + visible
                args += visibleArgs
            }
        }
        let from = "FROM \(SQL.quote(entity.tableName)) WHERE \(clause)"
        let sql: String
        if let limit {
            sql = "SELECT count(*) FROM (SELECT 1 \(from) LIMIT ?)"
            args.append(max(0, limit).databaseValue)
        } else {
            sql = "SELECT count(*) \(from)"
        }
        let statement = try db.cachedStatement(sql: sql)
        return try QueryBudget.run(db) { try Int.fetchOne(statement, arguments: StatementArguments(args)) } ?? 0
    }

    /// A workspace setting (such as `time_zone`) read in this transaction, or nil.
    public func setting(_ key: String) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM _setting WHERE key = ?"), arguments: [key])
    }

    /// Ids of records of `entity` whose `field` equals `value`, at most `limit` (an index lookup
    /// when the field is indexed or unique).
    public func ids(_ entityName: String, where field: String, equals value: Value, limit: Int = 10) throws -> [Int64] {
        if restriction != nil { return try find(Query(entityName, filter: .eq(field, value), limit: limit)).records.map(\.id) }
        let entity = try schema.entity(entityName)
        let ref = try entity.fieldRef(field)
        let sql = value.isEmpty ? ref.idLookupSQL : ref.uniqueIdLookupSQL ?? ref.idLookupSQL
        return try db.cachedStatement(sql: sql).fetchIDsBound([ValueCodec.encode(value, scale: ref.field.scale), Int64(limit).databaseValue])
    }
}


extension RecordReader {
    /// `query` within the restriction: refused when it filters or sorts on a hidden field,
    /// narrowed to the user's scope. Unchanged for the system.
    func limited(_ query: Query, _ entity: EntitySchema) throws -> Query {
        guard let restriction else { return query }
        try restriction.checkQueryable(query)
        var copy = query
        copy.filter = restriction.scoped(query.filter, entity)
        return copy
    }

    /// The extra condition a search needs when some searchable fields are hidden from the
    /// user: the match must hold on the fields they see. Nil when nothing searchable is hidden.
    func visibleSearch(_ search: String, _ entity: EntitySchema) -> (String, [DatabaseValue])? {
        guard let restriction else { return nil }
        let hidden = restriction.hiddenFields(entity.name)
        guard !hidden.isEmpty, entity.searchableFields.contains(where: hidden.contains) else { return nil }
        return SearchIndex(entity: entity).visibleMatchCondition(search, hidden: hidden)
    }
}
