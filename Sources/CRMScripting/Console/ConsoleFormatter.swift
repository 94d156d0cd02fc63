import CRMKernel

/// Renders Lua values for people: records as aligned tables, CJK counted as two columns.
enum ConsoleFormatter {
    /// All results of a chunk; a page of records followed by a cursor (as `crm.find` returns)
    /// shows the cursor as the `after` option for the next page.
    static func results(_ values: [LuaValue], schema: Schema) -> String {
        var values = values
        while values.count > 1, values.last == .nil { values.removeLast() }
        if values.count == 2, case .table(let t) = values[0], !t.array.isEmpty, case .string(let cursor) = values[1],
           t.array.allSatisfy({ $0.tableValue?.fields["id"] != nil }) {
            return format(values[0], schema: schema) + "\nnext page: {after = \"\(cursor)\"}"
        }
        return values.map { format($0, schema: schema) }.joined(separator: "\n")
    }

    static func format(_ value: LuaValue, schema: Schema) -> String {
        switch value {
        case .nil: return "nil"
        case .boolean(let b): return String(b)
        case .integer(let i): return String(i)
        case .number(let n): return String(n)
        case .string(let s): return s
        case .function: return "function"
        case .table(let t):
            if t.fields["id"] != nil { return records([t], schema: schema) }
            if !t.array.isEmpty, t.array.allSatisfy({ $0.tableValue?.fields["id"] != nil }) {
                return records(t.array.compactMap(\.tableValue), schema: schema) + "\n(\(t.array.count) rows)"
            }
            if !t.array.isEmpty, t.fields.isEmpty, t.array.allSatisfy({ row in
                guard case .table(let r) = row else { return false }
                return r.array.isEmpty && !r.fields.isEmpty && r.fields.values.allSatisfy { $0.tableValue == nil }
            }) {
                let rows = t.array.compactMap(\.tableValue)
                let columns = Set(rows.flatMap(\.fields.keys)).sorted()
                return table(columns, rows.map { r in columns.map { cell(r.fields[$0] ?? .nil) } })
            }
            if t.array.isEmpty && t.fields.isEmpty { return "{}" }
            return inline(value, depth: 0)
        }
    }

    /// A table with one row per record and one column per field present, in schema order.
    static func records(_ rows: [LuaTable], schema: Schema) -> String {
        let system: Set<String> = ["created_at", "updated_at", "created_by", "updated_by"]
        var present = Set<String>()
        for r in rows { present.formUnion(r.fields.keys) }
        let ordered = schema.entities.values.first { e in present.isSubset(of: Set(e.fields.map(\.name)).union(["id"])) }?.fields.map(\.name)
        var columns = ["id"] + (ordered ?? present.sorted()).filter { $0 != "id" && present.contains($0) && !system.contains($0) }
        if columns.count == 1 { columns += present.sorted().filter { $0 != "id" } }
        let cells = rows.map { r in columns.map { cell(r.fields[$0] ?? .nil) } }
        return table(columns, cells)
    }

    static func cell(_ v: LuaValue) -> String {
        switch v {
        case .nil: return ""
        case .table(let t) where t.fields.isEmpty: return t.array.map { inline($0, depth: 1) }.joined(separator: ",")
        default: return inline(v, depth: 1)
        }
    }

    static func inline(_ v: LuaValue, depth: Int) -> String {
        switch v {
        case .string(let s): return depth == 0 ? s : s
        case .table(let t):
            if depth > 3 { return "{…}" }
            let items = t.array.map { inline($0, depth: depth + 1) }
                + t.fields.keys.sorted().map { "\($0) = \(inline(t.fields[$0]!, depth: depth + 1))" }
            return "{" + items.joined(separator: ", ") + "}"
        default: return format(v, schema: Schema.empty)
        }
    }

    static func table(_ header: [String], _ rows: [[String]]) -> String {
        var widths = header.map(width)
        for row in rows { for (i, c) in row.enumerated() { widths[i] = max(widths[i], min(width(c), 40)) } }
        func line(_ row: [String]) -> String {
            row.enumerated().map { i, c in
                let clipped = clip(c, 40)
                return clipped + String(repeating: " ", count: max(0, widths[i] - width(clipped)))
            }.joined(separator: "  ")
        }
        return ([line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")] + rows.map(line))
            .map { var s = $0; while s.last == " " { s.removeLast() }; return s }.joined(separator: "\n")
    }

    static func width(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { $0 + (isWide($1) ? 2 : 1) }
    }

    static func isWide(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || v >= 0x20000
    }

    static func clip(_ s: String, _ max: Int) -> String {
        guard width(s) > max else { return s.replacingOccurrences(of: "\n", with: " ") }
        var out = "", w = 0
        for ch in s.replacingOccurrences(of: "\n", with: " ") {
            let cw = ch.unicodeScalars.reduce(0) { $0 + (isWide($1) ? 2 : 1) }
            if w + cw > max - 1 { break }
            out.append(ch)
            w += cw
        }
        return out + "…"
    }
}
