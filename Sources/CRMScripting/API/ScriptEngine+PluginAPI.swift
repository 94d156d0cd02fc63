import CRMKernel

extension ScriptEngine {
    /// `crm.<plugin>.<name>` for every built-in plugin's script functions; a call to a function
    /// of a disabled module is refused.
    func registerPluginFunctions() throws(LuaError) {
        for plugin in workspace.registry.plugins {
            let id = plugin.manifest.id
            for function in plugin.scriptFunctions {
                let path = "crm.\(id).\(function.name)"
                try state.register(path) { [unowned self] args in
                    guard (try? workspace.enabledModules().contains(id)) == true else {
                        throw LuaError.script("\(path): module \(id) is disabled")
                    }
                    try requireData(path)
                    if policyDepth > 0, function.effect == .write {
                        throw LuaError.script("\(path) writes, and a policy may not write")
                    }
                    var arguments: [ScriptValue] = []
                    for value in try args.values() { arguments.append(try ScriptBridge.script(value)) }
                    try kernel { try function.checkArguments(arguments, qualifiedName: path) }
                    let guardian = callerAccess
                    if let guardian {
                        try kernel { try workspace.store.read { try guardian.authorize(function, qualifiedName: path, arguments: arguments, reader: $0) } }
                    }
                    let call = ScriptCall(arguments: arguments, user: transactions.last?.user ?? user,
                                          store: workspace.store, transaction: transactions.last,
                                          directory: workspace.directory, access: guardian)
                    let result = try kernel { try function.body(call) }
                    return [ScriptBridge.lua(result)]
                }
            }
            for setting in plugin.settings {
                let key = "\(id).\(setting.name)", path = "crm.\(key)"
                try state.register(path) { [unowned self] args in
                    let table = try args.table(0)
                    // Plugin values have no form for both at once; the list part would be lost.
                    guard table.array.isEmpty || table.fields.isEmpty else {
                        throw LuaError.script("\(path): the table mixes list entries and named keys; use one or the other")
                    }
                    let value = try ScriptBridge.script(.table(table))
                    do { _ = try setting.parse(value) } catch {
                        throw LuaError.script("\(path): \((error as? KernelError)?.message ?? "\(error)")")
                    }
                    let at = self.location()
                    try declare { $0.settings[key] = (value, at) }
                    return []
                }
            }
        }
    }
}

/// Conversions between Lua values and plugin script values.
enum ScriptBridge {
    static func lua(_ v: ScriptValue) -> LuaValue {
        switch v {
        case .value(let value): return LuaBridge.lua(value)
        case .record(let r): return LuaBridge.table(r)
        case .list(let items): return .table(LuaTable(array: items.map(lua)))
        case .table(let fields): return .table(LuaTable(fields: fields.mapValues(lua)))
        }
    }

    static func script(_ v: LuaValue) throws(LuaError) -> ScriptValue {
        switch v {
        case .table(let t):
            if t.fields.isEmpty && t.otherEntries.isEmpty {
                var items: [ScriptValue] = []
                for item in t.array { items.append(try script(item)) }
                return .list(items)
            }
            var fields: [String: ScriptValue] = [:]
            for (k, value) in t.fields { fields[k] = try script(value) }
            return .table(fields)
        default:
            return .value(try LuaBridge.value(v, field: "argument"))
        }
    }
}
