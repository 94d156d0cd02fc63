import Foundation
import GRDB

/// Turns filters, sorts and cursors into parameterized SQL for one entity.
/// Values are always bound as arguments, never spliced into the SQL.
struct QueryCompiler {
    let entity: EntitySchema
    /// How "has item" conditions on indexed list fields are written: as a probe of the item
    /// index per candidate row (when another index already drives the query and yields few rows
    /// at a time), or as a lookup of every record with the item (otherwise).
    var probesItems = false

    /// A WHERE clause (without the keyword) and its arguments; `1` when there is no filter.
    func whereClause(_ filter: Filter?) throws(KernelError) -> (String, [DatabaseValue]) {
        guard let filter else { return ("1", []) }
        var args: [DatabaseValue] = []
        let sql = try compile(filter, &args)
        return (sql, args)
    }

    private func compile(_ filter: Filter, _ args: inout [DatabaseValue]) throws(KernelError) -> String {
        switch filter {
        case .all(let parts):
            if parts.isEmpty { return "1" }
            var out: [String] = []
            for p in parts { out.append(try compile(p, &args)) }
            return "(" + out.joined(separator: " AND ") + ")"
        case .any(let parts):
            if parts.isEmpty { return "0" }
            var out: [String] = []
            for p in parts { out.append(try compile(p, &args)) }
            return "(" + out.joined(separator: " OR ") + ")"
        case .not(let inner):
            // A comparison with NULL is unknown, which NOT would keep unknown; count it as false
            // so NOT matches exactly the records the inner filter does not.
            return "NOT coalesce(" + (try compile(inner, &args)) + ", 0)"
        case .condition(let name, let op, let value):
            return try condition(name, op, value, &args)
        }
    }

    private func storageValue(_ value: Value, _ field: FieldDefinition) throws(KernelError) -> DatabaseValue {
        var probe = field
        probe.maxLength = nil
        probe.min = nil
        probe.max = nil
        if field.type.isList { probe.type = .text; probe.options = [] }
        if field.type == .choice { probe.options = [] }
        switch FieldCoercion.coerce(value, probe, stored: false) {
        case .success(let v): return ValueCodec.encode(v, probe)
        case .failure(let e): throw KernelError.invalid(entity.name, [e])
        }
    }

    private func condition(_ name: String, _ op: FilterOperator, _ value: Value, _ args: inout [DatabaseValue]) throws(KernelError) -> String {
        let field = try entity.field(name)
        let col = SQL.quote(name)
        switch op {
        case .isEmpty:
            return field.type.storage == .integer ? "\(col) IS NULL" : "(\(col) IS NULL OR \(col) = '' OR \(col) = '[]')"
        case .isNotEmpty:
            return field.type.storage == .integer ? "\(col) IS NOT NULL" : "(\(col) IS NOT NULL AND \(col) <> '' AND \(col) <> '[]')"
        case .in, .notIn:
            let items: [Value]
            switch value {
            case .list(let l): items = l.map(Value.text)
            default: items = [value]
            }
            if items.isEmpty { return op == .in ? "0" : "1" }
            if field.type.isList {
                for item in items { args.append(try storageValue(item, field)) }
                let marks = Array(repeating: "?", count: items.count).joined(separator: ",")
                let exists = hasItem(field, "IN (\(marks))")
                return op == .in ? exists : "NOT " + exists
            }
            for item in items { args.append(try storageValue(item, field)) }
            let marks = Array(repeating: "?", count: items.count).joined(separator: ",")
            return op == .in ? "\(col) IN (\(marks))" : "(\(col) IS NULL OR \(col) NOT IN (\(marks)))"
        case .contains, .startsWith:
            if field.type.isList && op == .contains {
                args.append(try storageValue(value, field))
                return hasItem(field, "= ?")
            }
            guard case .text(let text) = value else {
                throw KernelError.invalid(entity.name, field: name, "\(op.rawValue) needs text")
            }
            let escaped = text.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            args.append((op == .contains ? "%" + escaped + "%" : escaped + "%").databaseValue)
            return "\(col) LIKE ? ESCAPE '\\'"
        case .eq, .ne, .lt, .le, .gt, .ge:
            if case .null = value {
                if op == .eq { return "\(col) IS NULL" }
                if op == .ne { return "\(col) IS NOT NULL" }
            }
            if field.type.isList {
                guard op == .eq || op == .ne else {
                    throw KernelError.invalid(entity.name, field: name, "cannot compare a list with \(op.rawValue)")
                }
                args.append(try storageValue(value, field))
                let exists = hasItem(field, "= ?")
                return op == .eq ? exists : "NOT " + exists
            }
            args.append(try storageValue(value, field))
            let sym = ["eq": "=", "ne": "<>", "lt": "<", "le": "<=", "gt": ">", "ge": ">="][op.rawValue]!
            if op == .eq, field.unique, !value.isEmpty { return "(\(col) = ? AND \(SQL.uniqueIndexTerm(col)))" }
            return op == .ne ? "(\(col) IS NULL OR \(col) <> ?)" : "\(col) \(sym) ?"
        }
    }

    /// A condition that can drive a query from a list field's item index: a top-level
    /// "has item" (`contains` or `=`) on an indexed list field, alone or inside a top-level `all`.
    /// Returns the field, the item as stored and the rest of the filter.
    func drivingItem(_ filter: Filter?) throws(KernelError) -> (field: FieldDefinition, item: DatabaseValue, rest: Filter?)? {
        func drives(_ f: Filter) -> (String, Value)? {
            guard case .condition(let name, let op, let value) = f, op == .contains || op == .eq,
                  let field = entity.fieldsByName[name], ListIndex.isIndexed(field) else { return nil }
            if case .null = value { return nil }
            return (name, value)
        }
        switch filter {
        case .some(let f) where drives(f) != nil:
            let (name, value) = drives(f)!
            let field = entity.fieldsByName[name]!
            return (field, try storageValue(value, field), nil)
        case .some(.all(let parts)):
            guard let i = parts.firstIndex(where: { drives($0) != nil }) else { return nil }
            let (name, value) = drives(parts[i])!
            let field = entity.fieldsByName[name]!
            var rest = parts
            rest.remove(at: i)
            return (field, try storageValue(value, field), rest.isEmpty ? nil : .all(rest))
        default:
            return nil
        }
    }

    /// The condition "the list field has an item `test`" (`= ?`, `IN (?, ?)`): a lookup in the
    /// field's item index when it is indexed, else a look into each record's JSON.
    private func hasItem(_ field: FieldDefinition, _ test: String) -> String {
        if ListIndex.isIndexed(field) {
            let table = SQL.quote(ListIndex.table(entity.name, field.name))
            if probesItems {
                return "EXISTS (SELECT 1 FROM \(table) WHERE _item \(test) AND _record = \(SQL.quote(entity.tableName)).id)"
            }
            return "id IN (SELECT _record FROM \(table) WHERE _item \(test))"
        }
        return "EXISTS (SELECT 1 FROM json_each(\(SQL.quote(field.name))) WHERE value \(test))"
    }

    /// ORDER BY clause for the sort keys, id last.
    /// When `indexable` is false the sort columns are written `+column`, which sorts alike (the
    /// column's collation stays) but keeps SQLite from walking an index to produce the order.
    func orderBy(_ sort: [SortKey], indexable: Bool = true) throws(KernelError) -> String {
        var parts: [String] = []
        for key in sort where key.field != "id" {
            _ = try entity.field(key.field)
            parts.append((indexable ? "" : "+") + SQL.quote(key.field) + (key.descending ? " DESC" : ""))
        }
        let idDesc = sort.first(where: { $0.field == "id" })?.descending ?? false
        parts.append("id" + (idDesc ? " DESC" : ""))
        return parts.joined(separator: ", ")
    }

    /// The keyset condition that selects rows after `cursor` for this sort.
    ///
    /// NULL sorts first ascending and last descending, as in SQLite.
    func after(_ cursor: [DatabaseValue], sort: [SortKey]) throws(KernelError) -> (String, [DatabaseValue]) {
        let keys = sort.filter { $0.field != "id" }
        let idDesc = sort.first(where: { $0.field == "id" })?.descending ?? false
        guard cursor.count == keys.count + 1 else { throw KernelError(.validation, "invalid page cursor") }
        var args: [DatabaseValue] = []
        var alternatives: [String] = []
        for i in 0...keys.count {
            var parts: [String] = []
            var partArgs: [DatabaseValue] = []
            for j in 0..<i {
                let col = SQL.quote(keys[j].field)
                if cursor[j].isNull { parts.append("\(col) IS NULL") } else { parts.append("\(col) = ?"); partArgs.append(cursor[j]) }
            }
            if i == keys.count {
                parts.append(idDesc ? "id < ?" : "id > ?")
                partArgs.append(cursor[i])
            } else {
                let col = SQL.quote(keys[i].field), v = cursor[i]
                switch (keys[i].descending, v.isNull) {
                case (false, true): parts.append("\(col) IS NOT NULL")
                case (false, false): parts.append("\(col) > ?"); partArgs.append(v)
                case (true, true): continue // nothing sorts after NULL descending; its arguments are dropped too
                case (true, false): parts.append("(\(col) < ? OR \(col) IS NULL)"); partArgs.append(v)
                }
            }
            alternatives.append("(" + parts.joined(separator: " AND ") + ")")
            args += partArgs
        }
        return ("(" + alternatives.joined(separator: " OR ") + ")", args)
    }
}

/// Opaque page cursors: the sort values and id of the last row, as base64url JSON.
enum PageCursor {
    static func encode(_ values: [DatabaseValue]) -> String {
        let json = "[" + values.map { v -> String in
            switch v.storage {
            case .int64(let i): return String(i)
            case .string(let s): return JSONText.quote(s)
            case .double(let d): return String(d)
            default: return "null"
            }
        }.joined(separator: ",") + "]"
        return Data(json.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) throws(KernelError) -> [DatabaseValue] {
        var b64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.count % 4 != 0 { b64 += "=" }
        guard let data = Data(base64Encoded: b64),
              let array = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? [Any] else {
            throw KernelError(.validation, "invalid page cursor")
        }
        return array.map { item -> DatabaseValue in
            if let s = item as? String { return s.databaseValue }
            if let n = item as? NSNumber {
                let text = n.stringValue
                if text.contains(".") || text.contains("e") { return n.doubleValue.databaseValue }
                return n.int64Value.databaseValue
            }
            return .null
        }
    }
}
