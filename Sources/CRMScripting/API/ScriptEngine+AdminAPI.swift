import CRMKernel
import Foundation

extension ScriptEngine {
    /// `crm.now`, `crm.user`, `crm.log`, `crm.modules`, `crm.enable`, `crm.disable`.
    func registerAdminFunctions() throws(LuaError) {
        try state.register("crm.now") { _ in [.string(DateCoding.iso(Date()))] }
        try state.register("crm.user") { [unowned self] _ in
            let u = transactions.last?.user ?? user
            var t: [String: LuaValue] = ["name": .string(u.name)]
            if let id = u.id { t["id"] = .integer(id) }
            if let role = u.role { t["role"] = .string(role) }
            return [.table(LuaTable(fields: t))]
        }
        try state.register("crm.log") { [unowned self] args in
            let parts = try args.values().map { v -> String in
                switch v {
                case .string(let s): return s
                case .nil: return "nil"
                case .boolean(let b): return String(b)
                case .integer(let i): return String(i)
                case .number(let n): return String(n)
                case .table: return "table"
                case .function: return "function"
                }
            }
            outputSink(parts.joined(separator: " "))
            return []
        }
        try state.register("crm.modules") { [unowned self] _ in
            let list = try kernel { try workspace.modules() }
            return [.table(LuaTable(array: list.map { m in
                .table(LuaTable(fields: ["id": .string(m.id), "name": .string(m.name.zh), "version": .string(m.version),
                                         "enabled": .boolean(m.enabled),
                                         "dependencies": .table(LuaTable(array: m.dependencies.map(LuaValue.string)))]))
            }))]
        }
        try state.register("crm.enable") { [unowned self] args in
            try requireAdmin("crm.enable")
            let name = try args.string(0)
            try kernel { try workspace.enable(name) }
            return [.boolean(true)]
        }
        try state.register("crm.password_policy") { [unowned self] args in
            // With a table, sets the company's policy (administrators, console); always returns it.
            if args.count > 0, !args.isNil(0) {
                try requireAdmin("crm.password_policy")
                let opts = try args.table(0)
                for key in opts.fields.keys where key != "min_length" {
                    throw LuaError.script("crm.password_policy: unknown option '\(key)' (known: min_length)")
                }
                guard let n = opts["min_length"].integerValue, n >= Int64(PasswordPolicy.defaultMinLength), n <= 128 else {
                    throw LuaError.script("crm.password_policy: min_length must be a whole number from \(PasswordPolicy.defaultMinLength) to 128")
                }
                try kernel { try workspace.store.setSetting(PasswordPolicy.minLengthSetting, String(n)) }
            }
            let policy = try kernel { try PasswordPolicy.of(workspace.store) }
            return [.table(LuaTable(fields: ["min_length": .integer(Int64(policy.minLength))]))]
        }
        try state.register("crm.disable") { [unowned self] args in
            try requireAdmin("crm.disable")
            let name = try args.string(0)
            try kernel { try workspace.disable(name) }
            return [.boolean(true)]
        }
    }

    /// Module changes are for the console and `crm run`, not for hooks or pack loading.
    func requireAdmin(_ name: String) throws(LuaError) {
        guard mode == .console, transactions.isEmpty else {
            throw .script("\(name) is for the console and crm run, not for script packs or hooks")
        }
        guard workspace.store.schema.isAdministrator(user) else {
            throw .script("\(name) needs an administrator (acting user \(user.name) is \(user.role ?? "without a role"))")
        }
    }
}
