import CRMKernel

extension ScriptEngine {
    /// `crm.field`, `crm.entity`, `crm.stages`, `crm.form`, `crm.role`.
    func registerSchemaFunctions() throws(LuaError) {
        try state.register("crm.field") { [unowned self] args in
            let entity = try args.string(0), name = try args.string(1), spec = try args.table(2)
            let def = try SpecParser.field(name, spec)
            try declare { $0.fields.append((FieldExtension(entity: entity, field: def), self.location())) }
            return []
        }
        try state.register("crm.entity") { [unowned self] args in
            let name = try args.string(0), spec = try args.table(1)
            let def = try SpecParser.entity(name, spec)
            try declare { $0.entities.append((def, self.location())) }
            return []
        }
        try state.register("crm.stages") { [unowned self] args in
            let entity = try args.string(0), list = try args.table(1)
            let opts = args.isNil(2) ? LuaTable(fields: [:]) : try args.table(2)
            let pipeline = try SpecParser.pipeline(entity, list, opts)
            try declare { $0.pipelines.append((pipeline, self.location())) }
            return []
        }
        try state.register("crm.role") { [unowned self] args in
            let id = try args.string(0), spec = try args.table(1)
            let role = try SpecParser.role(id, spec)
            try declare { $0.roles.append((role, self.location())) }
            return []
        }
        try state.register("crm.form") { [unowned self] args in
            let entity = try args.string(0), spec = try args.table(1)
            let form = try SpecParser.form(entity, spec)
            try declare { $0.forms.append((form, self.location())) }
            return []
        }
    }

    /// The Lua caller's location as a pack-relative file and line.
    func location() -> SourceLocation? {
        state.callerLocation().map { SourceLocation(file: $0.chunk, line: $0.line) }
    }

    /// Records a declaration. While the pack loads it is only collected; in the console it is
    /// applied at once (and undone if the workspace refuses it).
    func declare(_ change: (inout PackDeclarations) -> Void) throws(LuaError) {
        switch mode {
        case .loading:
            change(&declarations)
        case .console:
            let saved = declarations
            change(&declarations)
            do {
                try workspace.applyCompany(contributions())
            } catch {
                declarations = saved
                throw Self.luaError(error)
            }
        case .running:
            throw .script("schema declarations belong in the script pack (or the console), not in hooks")
        }
    }
}
