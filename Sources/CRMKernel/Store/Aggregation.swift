import Foundation
import GRDB

/// A figure computed over groups of records.
public enum Measure: Sendable, Hashable {
    /// Number of records.
    case count
    /// Sum of a numeric field.
    case sum(String)
    /// Average of a numeric field.
    case avg(String)
    /// Smallest value of a field.
    case min(String)
    /// Largest value of a field.
    case max(String)
}

/// A grouping key: a field, optionally bucketed by period for dates and datetimes.
public struct GroupKey: Sendable, Hashable {
    /// Period buckets for date fields.
    public enum Bucket: String, Sendable { case day, month, quarter, year }
    /// The field grouped on.
    public var field: String
    /// The bucket, for date and datetime fields.
    public var bucket: Bucket?

    /// Creates a key.
    public init(_ field: String, bucket: Bucket? = nil) {
        self.field = field
        self.bucket = bucket
    }
}

/// One group of an aggregate: its key values and one value per measure.
public struct AggregateRow: Sendable, Hashable {
    /// Key values by field name.
    public var group: [String: Value]
    /// Measure values, in the order asked.
    public var values: [Value]
}

extension RecordReader {
    /// Group-by aggregates (count, sum, avg, min, max) over the records matching `filter`.
    /// Sums of money stay exact (decimal); groups come sorted by their keys.
    public func aggregate(_ entityName: String, groupBy: [GroupKey] = [], measures: [Measure], filter: Filter? = nil) throws -> [AggregateRow] {
        let entity = try schema.entity(entityName)
        let filter = try limited(Query(entityName, filter: filter), entity).filter
        if let restriction {
            var named = groupBy.map(\.field)
            for m in measures {
                switch m {
                case .count: continue
                case .sum(let n), .avg(let n), .min(let n), .max(let n): named.append(n)
                }
            }
            try restriction.checkVisible(entityName, fields: named)
        }
        let (clause, args) = try QueryCompiler(entity: entity).whereClause(filter)
        var keyExprs: [String] = []
        for key in groupBy {
            let f = try entity.field(key.field)
            let col = SQL.quote(f.name)
            switch key.bucket {
            case .day?: keyExprs.append("substr(\(col), 1, 10)")
            case .month?: keyExprs.append("substr(\(col), 1, 7)")
            case .quarter?: keyExprs.append("substr(\(col), 1, 4) || '-Q' || ((CAST(substr(\(col), 6, 2) AS INTEGER) + 2) / 3)")
            case .year?: keyExprs.append("substr(\(col), 1, 4)")
            case nil: keyExprs.append(col)
            }
        }
        var measureExprs: [String] = []
        var measureFields: [FieldDefinition?] = []
        for m in measures {
            switch m {
            case .count: measureExprs.append("count(*)"); measureFields.append(nil)
            case .sum(let n), .avg(let n), .min(let n), .max(let n):
                let f = try entity.field(n)
                if case .sum = m, f.type.storage != .integer { throw KernelError.invalid(entity.name, field: n, "sum needs a numeric field") }
                if case .avg = m, f.type.storage != .integer { throw KernelError.invalid(entity.name, field: n, "avg needs a numeric field") }
                let fn: String
                switch m { case .sum: fn = "sum"; case .avg: fn = "avg"; case .min: fn = "min"; default: fn = "max" }
                measureExprs.append("\(fn)(\(SQL.quote(n)))")
                measureFields.append(f)
            }
        }
        var sql = "SELECT " + (keyExprs + measureExprs).joined(separator: ", ") + " FROM \(SQL.quote(entity.tableName)) WHERE \(clause)"
        if !keyExprs.isEmpty {
            let positions = (1...keyExprs.count).map(String.init).joined(separator: ", ")
            sql += " GROUP BY \(positions) ORDER BY \(positions)"
        }
        let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args))
        return rows.map { row in
            var group: [String: Value] = [:]
            for (i, key) in groupBy.enumerated() {
                let f = entity.fieldsByName[key.field]!
                group[key.field] = key.bucket == nil ? ValueCodec.decode(row[i], f) : ((row[i] as String?).map(Value.text) ?? .null)
            }
            var values: [Value] = []
            for (j, m) in measures.enumerated() {
                let dbv: DatabaseValue = row[keyExprs.count + j]
                values.append(Self.measureValue(m, dbv, measureFields[j]))
            }
            return AggregateRow(group: group, values: values)
        }
    }

    static func measureValue(_ m: Measure, _ dbv: DatabaseValue, _ field: FieldDefinition?) -> Value {
        guard let field else { return Int64.fromDatabaseValue(dbv).map(Value.integer) ?? .integer(0) }
        switch m {
        case .avg:
            guard let d = Double.fromDatabaseValue(dbv) else { return .null }
            if field.type.isDecimal {
                let exact = Decimal(string: String(d)) ?? Decimal(d)
                return .decimal((exact / pow(10, field.scale)).rounded(scale: field.scale))
            }
            return .real(d)
        case .sum:
            if dbv.isNull { return field.type.isDecimal ? .decimal(0) : .integer(0) }
            return ValueCodec.decode(dbv, field)
        default:
            return ValueCodec.decode(dbv, field)
        }
    }
}

extension RecordStore {
    /// Group-by aggregates in a read transaction.
    public func aggregate(_ entity: String, groupBy: [GroupKey] = [], measures: [Measure], filter: Filter? = nil,
                          as access: AccessGuard? = nil) throws -> [AggregateRow] {
        try read(as: access) { try $0.aggregate(entity, groupBy: groupBy, measures: measures, filter: filter) }
    }
}
