import CRMKernel

/// Where a declaration was made, for error messages: `scripts/10_fields.lua:12`.
struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    var file: String
    var line: Int

    var description: String { "\(file):\(line)" }
}

/// Everything a script pack (and the console) declared, with where each was declared.
struct PackDeclarations {
    var entities: [(EntityDefinition, SourceLocation?)] = []
    var fields: [(FieldExtension, SourceLocation?)] = []
    var pipelines: [(Pipeline, SourceLocation?)] = []
    var forms: [(FormLayout, SourceLocation?)] = []
    var roles: [(RoleDefinition, SourceLocation?)] = []
    var beforeSave: [(entity: String, function: LuaFunctionRef, location: SourceLocation?)] = []
    var handlers: [(event: String, function: LuaFunctionRef, location: SourceLocation?)] = []
    /// Plugin settings by `<plugin>.<setting>`; a later call replaces an earlier one.
    var settings: [String: (value: ScriptValue, location: SourceLocation?)] = [:]
    /// Business calendars, in declaration order (a later one replaces an earlier of the same name).
    var calendars: [(BusinessCalendar, SourceLocation?)] = []
    /// Policy implementations by `<plugin>.<policy>`; a later call replaces an earlier one.
    var policies: [String: (function: LuaFunctionRef, location: SourceLocation?)] = [:]
    /// Numbering patterns by sequence name (`crm.sequence`); a later call replaces an earlier one.
    var sequences: [String: (pattern: String, location: SourceLocation?)] = [:]
    /// Approval flows (`crm.approvals.flow`), in declaration order; a later one for an entity wins.
    var approvalFlows: [DeclaredApprovalFlow] = []
    /// Reports (`crm.report(name, spec)`), in declaration order; a later one of the same name replaces it.
    var reports: [(name: String, spec: ReportSpec, location: SourceLocation?)] = []

    /// The schema part, as the kernel takes it, leaving out what concerns `dormant` entities
    /// (those of disabled modules).
    func schema(dormant: Set<String>) -> SchemaDeclarations {
        var declared = SchemaDeclarations(entities: entities.map(\.0), extensions: fields.map(\.0).filter { !dormant.contains($0.entity) },
                           pipelines: pipelines.map(\.0).filter { !dormant.contains($0.entity) },
                           forms: forms.map(\.0).filter { !dormant.contains($0.entity) },
                           settings: settings.mapValues(\.value), roles: roles.map(\.0))
        declared.calendars = calendars.map(\.0)
        return declared
    }

    /// Kernel contributions whose hooks call back into `engine`; declarations about `dormant`
    /// entities are left out until their module is enabled. A hook names its declaration by
    /// position, so it finds the function again in a rebuilt Lua state.
    func contributions(engine: ScriptEngine, dormant: Set<String>) -> CompanyContributions {
        var hooks = HookSet()
        for (index, h) in beforeSave.enumerated() where !dormant.contains(h.entity) {
            let label = (h.location?.description ?? "script") + " (\(h.entity).before_save)"
            hooks.onBeforeSave(h.entity) { [engine] ctx in try engine.runBeforeSave(hook: index, label, &ctx) }
        }
        for (index, h) in handlers.enumerated() where !dormant.contains(String(h.event.split(separator: ".").first ?? "")) {
            let label = (h.location?.description ?? "script") + " (\(h.event))"
            hooks.on(h.event) { [engine] event in engine.runHandler(handler: index, label, event) }
        }
        for (name, p) in policies {
            let label = (p.location?.description ?? "script") + " (policy \(name))"
            hooks.implement(name) { [engine] call in try engine.runPolicy(name, label, call) }
        }
        return CompanyContributions(schema: schema(dormant: dormant), hooks: hooks,
                                    sequencePatterns: sequences.mapValues(\.pattern), approvalFlows: flows(engine: engine),
                                    reports: reports.map { ReportDefinition(name: $0.name, spec: $0.spec, origin: .script($0.location?.description)) })
    }

    /// The declared approval flows, their `when` functions calling back into `engine` (found by
    /// position, like hooks).
    func flows(engine: ScriptEngine) -> [ApprovalFlow] {
        approvalFlows.enumerated().map { f, flow in
            let steps = flow.steps.enumerated().map { s, step in
                let label = (flow.location?.description ?? "script") + " (\(flow.entity) approval step '\(step.name)')"
                var condition: ApprovalCondition?
                if step.condition != nil {
                    condition = { [engine] input in try engine.runApprovalCondition(flow: f, step: s, label, input) }
                }
                return ApprovalStepRule(name: step.name, approver: step.approver, condition: condition)
            }
            return ApprovalFlow(entity: flow.entity, steps: steps, origin: flow.location?.description)
        }
    }

    /// Whether these hooks are the first hooks of `other`, declared for the same events at the
    /// same places (a rebuilt state ran the same pack).
    func hasSameHooks(asPrefixOf other: PackDeclarations) -> Bool {
        beforeSave.count <= other.beforeSave.count && handlers.count <= other.handlers.count
            && zip(beforeSave, other.beforeSave).allSatisfy { $0.entity == $1.entity && $0.location == $1.location }
            && zip(handlers, other.handlers).allSatisfy { $0.event == $1.event && $0.location == $1.location }
    }

    /// The location of the declaration an error most likely comes from.
    func location(of error: KernelError) -> SourceLocation? {
        for (key, setting) in settings where error.message.hasPrefix("crm.\(key):") { return setting.location }
        if error.message.hasPrefix("crm.approvals.flow:") {
            if let f = approvalFlows.last(where: { error.message.contains("'\($0.entity)'") }) { return f.location }
        }
        if error.message.hasPrefix("crm.report '"), let r = reports.last(where: { error.message.hasPrefix("crm.report '\($0.name)'") }) {
            return r.location
        }
        if error.message.hasPrefix("crm.sequence:") {
            for (name, s) in sequences where error.message.contains("'\(name)'") || error.message.contains("'\(s.pattern)'") { return s.location }
        }
        let field = error.fieldErrors.first?.field
        if error.message.hasPrefix("role "), let id = error.message.split(separator: " ").dropFirst().first,
           let r = roles.last(where: { $0.0.id == id }) { return r.1 }
        if let entity = error.entity {
            if let field, let f = fields.last(where: { $0.0.entity == entity && $0.0.field.name == field }) { return f.1 }
            if let p = pipelines.last(where: { $0.0.entity == entity }), field == nil || p.0.field == field || p.0.stages.contains(where: { $0.requires.contains(field!) }) { return p.1 }
            if let f = forms.last(where: { $0.0.entity == entity }), field != nil, f.0.referencedFields.contains(field!) { return f.1 }
            if let e = entities.last(where: { $0.0.name == entity }) { return e.1 }
            if let f = fields.last(where: { $0.0.entity == entity }) { return f.1 }
        }
        return nil
    }

    /// Checks that hooks name entities of the schema in force.
    func checkEvents(against schema: Schema, dormant: Set<String>) -> [ScriptProblem] {
        var problems: [ScriptProblem] = []
        for h in beforeSave where schema.entities[h.entity] == nil && !dormant.contains(h.entity) {
            problems.append(ScriptProblem(file: h.location?.file, line: h.location?.line, message: "crm.on: unknown entity '\(h.entity)' in '\(h.entity).before_save'"))
        }
        for h in handlers {
            let entity = String(h.event.split(separator: ".").first ?? "")
            if h.event != "*", schema.entities[entity] == nil, !dormant.contains(entity), !Approvals.events.contains(h.event) {
                problems.append(ScriptProblem(file: h.location?.file, line: h.location?.line, message: "crm.on: unknown entity '\(entity)' in '\(h.event)'"))
            }
        }
        return problems
    }

    /// Checks that the users approval flows name exist (`reader` reads the workspace's users).
    func checkApprovalUsers(_ reader: RecordReader) -> [ScriptProblem] {
        var problems: [ScriptProblem] = []
        for flow in approvalFlows {
            for step in flow.steps {
                for name in step.approver.namedUsers where ((try? reader.ids("user", where: "name", equals: .text(name), limit: 1)) ?? []).isEmpty {
                    problems.append(ScriptProblem(file: flow.location?.file, line: flow.location?.line,
                                                  message: "crm.approvals.flow: step '\(step.name)' of '\(flow.entity)': unknown user '\(name)'"))
                }
            }
        }
        return problems
    }
}
