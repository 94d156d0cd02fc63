import CRMKernel

extension ScriptEngine {
    /// `crm.create`, `crm.get`, `crm.update`, `crm.delete`, `crm.find`, `crm.count`, `crm.history`.
    ///
    /// Each checks the grant and runs in the kernel for the acting user (`read`/`write`), which
    /// applies scope and hidden and read-only fields.
    func registerDataFunctions() throws(LuaError) {
        try state.register("crm.create") { [unowned self] args in
            try requireData("crm.create")
            let entity = try args.string(0), values = try LuaBridge.values(try args.table(1))
            _ = try permit(.create, entity)
            let record = try kernel { try write { try $0.create(entity, values) } }
            return [LuaBridge.table(record)]
        }
        try state.register("crm.get") { [unowned self] args in
            try requireData("crm.get")
            let entity = try args.string(0), id = try args.integer(1)
            _ = try permit(.read, entity)
            let record = try kernel { try read { try $0.get(entity, id) } }
            return [record.map(LuaBridge.table) ?? .nil]
        }
        try state.register("crm.update") { [unowned self] args in
            try requireData("crm.update")
            let entity = try args.string(0), id = try args.integer(1), values = try LuaBridge.values(try args.table(2))
            let opts = args.count > 3 && !args.isNil(3) ? try args.table(3) : LuaTable(fields: [:])
            let (version, edits) = try Self.updateOptions(opts, "crm.update")
            _ = try permit(.update, entity)
            let record = try kernel { try write { try $0.update(entity, id, values, expectedVersion: version, listEdits: edits) } }
            return [LuaBridge.table(record)]
        }
        try state.register("crm.delete") { [unowned self] args in
            try requireData("crm.delete")
            let entity = try args.string(0), id = try args.integer(1)
            let opts = args.count > 2 && !args.isNil(2) ? try args.table(2) : LuaTable(fields: [:])
            let (version, edits) = try Self.updateOptions(opts, "crm.delete")
            guard edits.isEmpty else { throw LuaError.script("crm.delete: only the option version applies") }
            _ = try permit(.delete, entity)
            try kernel { try write { try $0.delete(entity, id, expectedVersion: version) } }
            return [.boolean(true)]
        }
        try state.register("crm.find") { [unowned self] args in
            try requireData("crm.find")
            let entity = try args.string(0)
            let filter = try Self.filter(args.isNil(1) ? .nil : try args.value(1))
            let opts = args.count > 2 && !args.isNil(2) ? try args.table(2) : LuaTable(fields: [:])
            var query = Query(entity, filter: filter, limit: 100)
            for key in opts.fields.keys where !["sort", "limit", "after", "search"].contains(key) {
                throw LuaError.script("crm.find: unknown option '\(key)' (known: sort, limit, after, search)")
            }
            query.sort = try SpecParser.strings(opts["sort"], "sort").map(SortKey.init(parsing:))
            if let limit = opts["limit"].integerValue { query.limit = Int(max(0, min(limit, 10_000))) }
            query.after = opts["after"].stringValue
            query.search = opts["search"].stringValue
            _ = try permit(.read, entity)
            let page = try kernel { try read { try $0.find(query) } }
            return [.table(LuaTable(array: page.records.map(LuaBridge.table))), page.nextCursor.map(LuaValue.string) ?? .nil]
        }
        try state.register("crm.count") { [unowned self] args in
            try requireData("crm.count")
            let entity = try args.string(0)
            let filter = try Self.filter(args.count > 1 ? try args.value(1) : .nil)
            _ = try permit(.read, entity)
            let n = try kernel { try read { try $0.count(entity, filter: filter) } }
            return [.integer(Int64(n))]
        }
        try state.register("crm.history") { [unowned self] args in
            try requireData("crm.history")
            let entity = try args.string(0), id = try args.integer(1)
            let guardian = try permit(.read, entity)
            let entries = try kernel { try workspace.store.history(entity, id, as: guardian) }
            return [.table(LuaTable(array: entries.map { e in
                var changes: [String: LuaValue] = [:]
                for c in e.changes { changes[c.field] = .table(LuaTable(fields: ["old": LuaBridge.lua(c.old), "new": LuaBridge.lua(c.new)])) }
                return .table(LuaTable(fields: ["action": .string(e.action), "at": .string(DateCoding.iso(e.at)), "user": .string(e.userName),
                                                "changes": .table(LuaTable(fields: changes))]))
            }))]
        }
    }

    /// A filter from a Lua filter table (see `Filter.init(script:)`).
    static func filter(_ value: LuaValue) throws(LuaError) -> Filter? {
        if case .nil = value { return nil }
        let script = try ScriptBridge.script(value)
        do { return try Filter(script: script) } catch { throw luaError(error) }
    }

    /// Runs kernel work, turning its errors into Lua errors that name entity and field.
    func kernel<T>(_ body: () throws -> T) throws(LuaError) -> T {
        do { return try body() } catch { throw Self.luaError(error) }
    }

    /// The options of `crm.update` / `crm.delete`: `version` (refuse the write unless the record
    /// is still at that version) and `add` / `remove` (items for list fields, by field name).
    static func updateOptions(_ opts: LuaTable, _ function: String) throws(LuaError) -> (Int64?, [String: ListEdit]) {
        for key in opts.fields.keys where !["version", "add", "remove"].contains(key) {
            throw LuaError.script("\(function): unknown option '\(key)' (known: version, add, remove)")
        }
        var version: Int64?
        if opts["version"] != .nil {
            guard let v = opts["version"].integerValue else { throw LuaError.script("\(function): version must be an integer") }
            version = v
        }
        var edits: [String: ListEdit] = [:]
        for (key, isAdd) in [("add", true), ("remove", false)] where opts[key] != .nil {
            guard case .table(let byField) = opts[key] else { throw LuaError.script("\(function): \(key) must be a table {field = {items}}") }
            for (field, items) in byField.fields {
                let list = try SpecParser.strings(items, "\(key).\(field)")
                if isAdd { edits[field, default: ListEdit()].add = list } else { edits[field, default: ListEdit()].remove = list }
            }
        }
        return (version, edits)
    }
}
