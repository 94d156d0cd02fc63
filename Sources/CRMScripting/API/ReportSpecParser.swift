import CRMKernel
import Foundation

/// Reads the spec table of `crm.report(name, spec)` into a `ReportSpec`:
///
/// ```lua
/// crm.report("sales_monthly", {
///   title = "销售业绩月报", entity = "order",
///   params = {{name = "period", type = "period", default = "this_month", label = "期间"},
///             {name = "team", type = "team", label = "团队"}},
///   filters = {{"status", "in", {"approved", "completed"}}, {"signed_date", "$period"}, {"owner", "$team"}},
///   group_by = {{"owner", label = "员工姓名"}},            -- or {"signed_date", by = "month"}
///   measures = {{name = "amount", sum = "total", label = "成交金额"},
///               {name = "rate", rate = {"received", "total"}, label = "回款率"}},
///   chart = {type = "bar", measure = "amount"}, sort = "-amount", roles = {"sales_manager"},
///   schedule = {weekday = 1, to = {"boss@example.com"}, params = {period = "last_month"}},  -- e-mailed weekly
/// })
/// ```
/// Fields and entities are checked against the schema when the pack is applied.
enum ReportSpecParser {
    static let keys: Set<String> = ["title", "entity", "params", "filters", "group_by", "measures", "chart", "sort", "roles", "schedule"]
    static let measureKinds = ["count", "sum", "avg", "min", "max", "rate"]

    static func spec(_ name: String, _ t: LuaTable) throws(LuaError) -> ReportSpec {
        func fail(_ message: String) -> LuaError { .script("crm.report '\(name)': \(message)") }
        for key in t.fields.keys.sorted() where !keys.contains(key) {
            throw fail("unknown spec key '\(key)' (known: \(keys.sorted().joined(separator: ", ")))")
        }
        guard let entity = t["entity"].stringValue else { throw fail("spec needs an entity") }
        let title: LocalizedText?
        switch t["title"] {
        case .nil: title = nil
        case .string(let s): title = LocalizedText(s)
        case .table(let l): title = LocalizedText(l["zh"].stringValue ?? name, en: l["en"].stringValue)
        default: throw fail("title must be a string or {zh = ..., en = ...}")
        }
        var parameters: [ReportParameter] = []
        for item in try list(t["params"], "params", fail) {
            guard case .table(let p) = item, let pname = p["name"].stringValue else { throw fail("each of params is {name = ..., type = ...}") }
            let typeName = p["type"].stringValue ?? "text"
            guard let kind = ReportParameter.Kind(rawValue: typeName) else {
                throw fail("parameter '\(pname)': unknown type '\(typeName)' (\(ReportParameter.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let label = p["label"].stringValue.map { LocalizedText($0, en: p["label_en"].stringValue) }
            let def: String?
            switch p["default"] {
            case .nil: def = nil
            case .string(let s): def = s
            case .integer(let i): def = String(i)
            default: throw fail("parameter '\(pname)': default must be text or a whole number")
            }
            parameters.append(ReportParameter(pname, kind, label: label, default: def))
        }
        var filters: [ReportSpec.Condition] = []
        for item in try list(t["filters"], "filters", fail) {
            guard case .table(let c) = item, let field = c.array.first?.stringValue, (2...3).contains(c.array.count) else {
                throw fail("each filter is {field, value} or {field, operator, value}")
            }
            let op = c.array.count == 3 ? (c.array[1].stringValue ?? "") : "eq"
            let value = c.array[c.array.count - 1]
            filters.append(ReportSpec.Condition(field, op == "=" ? "eq" : op, try texts(value, "filter on '\(field)'", fail)))
        }
        var groups: [ReportSpec.Grouping] = []
        for item in try list(t["group_by"], "group_by", fail) {
            switch item {
            case .string(let f): groups.append(ReportSpec.Grouping(f))
            case .table(let g):
                guard let f = g.array.first?.stringValue ?? g["field"].stringValue else { throw fail("each group_by is a field name or {field, by = \"month\"}") }
                groups.append(ReportSpec.Grouping(f, bucket: g["by"].stringValue, label: g["label"].stringValue))
            default: throw fail("each group_by is a field name or {field, by = \"month\"}")
            }
        }
        var measures: [ReportSpec.Measure] = []
        for (i, item) in try list(t["measures"], "measures", fail).enumerated() {
            guard case .table(let m) = item else { throw fail("each measure is a table such as {name = \"amount\", sum = \"total\"}") }
            let kinds = measureKinds.filter { m[$0] != .nil }
            let unknown = m.fields.keys.filter { !["name", "label"].contains($0) && !measureKinds.contains($0) }.sorted()
            if let bad = unknown.first { throw fail("measure \(i + 1): unknown measure '\(bad)' (\(measureKinds.joined(separator: ", ")))") }
            guard kinds.count == 1, let kind = kinds.first else { throw fail("measure \(i + 1) needs exactly one of \(measureKinds.joined(separator: ", "))") }
            let mname = m["name"].stringValue ?? (kind == "count" ? "count" : "\(kind)_\(m[kind].stringValue ?? String(i + 1))")
            switch kind {
            case "count": measures.append(ReportSpec.Measure(mname, kind, label: m["label"].stringValue))
            case "rate":
                let parts = try texts(m["rate"], "rate '\(mname)'", fail)
                guard parts.count == 2 else { throw fail("rate '\(mname)' is {numerator field, denominator field}") }
                measures.append(ReportSpec.Measure(mname, kind, field: parts[0], denominator: parts[1], label: m["label"].stringValue))
            default:
                guard let f = m[kind].stringValue else { throw fail("measure '\(mname)': \(kind) names a field") }
                measures.append(ReportSpec.Measure(mname, kind, field: f, label: m["label"].stringValue))
            }
        }
        var chart: String?, chartMeasure: String?
        switch t["chart"] {
        case .nil: break
        case .string(let s): chart = s
        case .table(let c): chart = c["type"].stringValue ?? "bar"; chartMeasure = c["measure"].stringValue
        default: throw fail("chart is \"bar\", \"line\", \"funnel\", \"none\" or {type = ..., measure = ...}")
        }
        let roles = try texts(t["roles"], "roles", fail)
        return ReportSpec(title: title, entity: entity, filters: filters, groupBy: groups, measures: measures, parameters: parameters,
                          chart: chart, chartMeasure: chartMeasure, sort: t["sort"].stringValue, roles: roles,
                          schedule: try schedule(t["schedule"], fail))
    }

    /// `schedule = {weekday = 1..7, to = {addresses}, params = {name = value}}`; checked further with the spec.
    private static func schedule(_ v: LuaValue, _ fail: (String) -> LuaError) throws(LuaError) -> ReportSchedule? {
        switch v {
        case .nil: return nil
        case .table(let s):
            for key in s.fields.keys.sorted() where !["weekday", "to", "params"].contains(key) {
                throw fail("schedule: unknown key '\(key)' (weekday, to, params)")
            }
            guard case .integer(let weekday) = s["weekday"] else { throw fail("schedule: weekday is a whole number, 1 (Monday) … 7 (Sunday)") }
            var params: [String: String] = [:]
            switch s["params"] {
            case .nil: break
            case .table(let p) where p.array.isEmpty:
                for (key, value) in p.fields {
                    switch value {
                    case .string(let text): params[key] = text
                    case .integer(let i): params[key] = String(i)
                    default: throw fail("schedule: params.\(key) must be text or a whole number")
                    }
                }
            default: throw fail("schedule: params is a table {name = value}")
            }
            return ReportSchedule(weekday: Int(weekday), to: try texts(s["to"], "schedule: to", fail), params: params)
        default: throw fail("schedule is a table {weekday = 1, to = {...}, params = {...}}")
        }
    }

    private static func list(_ v: LuaValue, _ what: String, _ fail: (String) -> LuaError) throws(LuaError) -> [LuaValue] {
        switch v {
        case .nil: return []
        case .table(let t) where t.fields.isEmpty: return t.array
        default: throw fail("\(what) must be a list")
        }
    }

    private static func texts(_ v: LuaValue, _ what: String, _ fail: (String) -> LuaError) throws(LuaError) -> [String] {
        switch v {
        case .nil: return []
        case .string(let s): return [s]
        case .integer(let i): return [String(i)]
        case .boolean(let b): return [b ? "true" : "false"]
        case .table(let t) where t.fields.isEmpty:
            var out: [String] = []
            for item in t.array {
                switch item {
                case .string(let s): out.append(s)
                case .integer(let i): out.append(String(i))
                default: throw fail("\(what): values must be text or whole numbers")
                }
            }
            return out
        default: throw fail("\(what): values must be text, a whole number or a list of them")
        }
    }
}
