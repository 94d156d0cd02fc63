import CRMKernel
import Foundation

extension ScriptEngine {
    /// `crm.report(name, spec)` (pack and console: declares a report), `crm.report.run(name,
    /// params)` and `crm.report.list()` (console, `crm run`, hooks: under the caller's access).
    ///
    /// `crm.report` is a table with a `__call` metamethod that tail-calls `crm.report.define`, so
    /// errors and declarations point at the script line that called `crm.report`.
    func registerReportFunctions() throws(LuaError) {
        try state.register("crm.report.define") { [unowned self] args in
            // Called from the `__call` wrapper: the script's line is one level further up.
            let at = self.state.callerLocation(level: 2).map { SourceLocation(file: $0.chunk, line: $0.line) }
            func located(_ error: LuaError) -> LuaError {
                guard case .runtime(let message, nil, nil, _) = error, let at else { return error }
                return .runtime(message: message, chunk: at.file, line: at.line, traceback: nil)
            }
            let name: String, spec: ReportSpec
            do {
                name = try args.string(0)
                let table = try args.table(1)
                guard !name.isEmpty, name == name.lowercased(), !name.contains(" ") else {
                    throw LuaError.script("crm.report: name '\(name)' must be lowercase, without spaces")
                }
                spec = try ReportSpecParser.spec(name, table)
            } catch let error as LuaError {
                throw located(error)
            }
            try declare { d in
                d.reports.removeAll { $0.name == name }
                d.reports.append((name, spec, at))
            }
            return []
        }
        try state.register("crm.report.run") { [unowned self] args in
            try requireData("crm.report.run")
            let name = try args.string(0)
            var parameters: [String: String] = [:]
            if args.count > 1, case .table(let t) = try args.value(1) {
                for (k, v) in t.fields {
                    switch v {
                    case .string(let s): parameters[k] = s
                    case .integer(let i): parameters[k] = String(i)
                    case .nil: break
                    default: throw LuaError.script("crm.report.run: parameter '\(k)' must be text or a whole number")
                    }
                }
            }
            let access = callerAccess
            let table = try kernel { try workspace.runReport(name, parameters: parameters, as: access) }
            return [ReportLua.table(table)]
        }
        try state.register("crm.report.list") { [unowned self] _ in
            try requireData("crm.report.list")
            let access = callerAccess
            let reports = try kernel { try workspace.reports(as: access) }
            return [.table(LuaTable(array: reports.map { r in
                .table(LuaTable(fields: ["name": .string(r.name), "title": .string(r.title.zh), "origin": .string(r.origin.label),
                                         "params": .table(LuaTable(array: r.parameters.map { .string($0.name) }))]))
            }))]
        }
        _ = try state.run(source: """
            local r = crm.report
            local define = r.define
            local api = { run = r.run, list = r.list, define = define }
            for k in pairs(api) do rawset(r, k, nil) end
            setmetatable(r, {
              __index = api,
              __call = function(_, name, spec) return define(name, spec) end,
              __newindex = function(_, k) error("attempt to modify read-only table 'crm.report' (key '" .. tostring(k) .. "')", 2) end,
              __metatable = false,
            })
            """, chunkName: "=crm.report")
    }
}

/// A report table as Lua sees it: `{name, title, columns = {{name, label, kind}...}, rows = {{...}...}}`,
/// each row keyed by column name (money as exact decimal strings).
enum ReportLua {
    static func table(_ t: ReportTable) -> LuaValue {
        let columns = t.columns.map { c in
            LuaValue.table(LuaTable(fields: ["name": .string(c.name), "label": .string(c.label), "kind": .string(c.kind.rawValue)]))
        }
        let rows = t.rows.map { row in
            var fields: [String: LuaValue] = [:]
            for (c, v) in zip(t.columns, row) { fields[c.name] = LuaBridge.lua(v) }
            return LuaValue.table(LuaTable(fields: fields))
        }
        return .table(LuaTable(fields: ["name": .string(t.name), "title": .string(t.title),
                                        "columns": .table(LuaTable(array: columns)), "rows": .table(LuaTable(array: rows))]))
    }
}
