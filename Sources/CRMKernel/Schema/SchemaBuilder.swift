/// What one source (the kernel, a plugin, or the company's scripts) declares.
public struct SchemaDeclarations: Sendable {
    /// Entities the source owns.
    public var entities: [EntityDefinition]
    /// Fields the source adds to (or redeclares on) entities of others.
    public var extensions: [FieldExtension]
    /// Pipelines (ordered stages) on choice fields.
    public var pipelines: [Pipeline]
    /// Form layouts; a later source's layout replaces an earlier one for the same entity.
    public var forms: [FormLayout]
    /// Plugin settings set by company scripts, keyed `<plugin>.<setting>`.
    public var settings: [String: ScriptValue]
    /// Roles; a later source's role replaces an earlier one with the same id.
    public var roles: [RoleDefinition]
    /// Business calendars; a later source's calendar replaces an earlier one with the same name.
    public var calendars: [BusinessCalendar] = []

    /// Creates a set of declarations.
    public init(entities: [EntityDefinition] = [], extensions: [FieldExtension] = [],
                pipelines: [Pipeline] = [], forms: [FormLayout] = [], settings: [String: ScriptValue] = [:],
                roles: [RoleDefinition] = []) {
        self.settings = settings
        self.roles = roles
        self.entities = entities
        self.extensions = extensions
        self.pipelines = pipelines
        self.forms = forms
    }
}

/// Merges declarations into one `Schema`, checking names, types and references.
public enum SchemaBuilder {
    /// Builds the schema from sources in order (kernel, plugins by dependency, company scripts).
    ///
    /// A later source may add fields to any entity and may redeclare an existing field to change
    /// its label, options or rules, but not its type (unless the storage is compatible).
    public static func build(_ sources: [SchemaDeclarations], settings: [String: any Sendable] = [:]) throws(KernelError) -> Schema {
        var order: [String] = []
        var defs: [String: EntityDefinition] = [:]
        for source in sources {
            for entity in source.entities {
                try checkIdentifier(entity.name, what: "entity")
                guard defs[entity.name] == nil else {
                    throw KernelError(.conflict, "entity '\(entity.name)' is declared twice (by \(defs[entity.name]!.origin) and \(entity.origin))", entity: entity.name)
                }
                var seen = Set<String>()
                for field in entity.fields {
                    try checkField(field, entity: entity.name)
                    guard seen.insert(field.name).inserted else {
                        throw KernelError.invalid(entity.name, field: field.name, "field '\(field.name)' is declared twice")
                    }
                }
                defs[entity.name] = entity
                order.append(entity.name)
            }
            for ext in source.extensions {
                guard var entity = defs[ext.entity] else { throw KernelError.unknownEntity(ext.entity) }
                try checkField(ext.field, entity: ext.entity)
                if let index = entity.fields.firstIndex(where: { $0.name == ext.field.name }) {
                    let existing = entity.fields[index]
                    guard existing.type.isStorageCompatible(with: ext.field.type),
                          existing.type.isDecimal == ext.field.type.isDecimal else {
                        throw KernelError.invalid(ext.entity, field: ext.field.name,
                            "cannot redeclare \(ext.entity).\(ext.field.name) as \(ext.field.type.rawValue): declared as \(existing.type.rawValue) by \(existing.origin)")
                    }
                    var merged = ext.field
                    merged.origin = existing.origin
                    if existing.isSecret { merged.secret = true }  // a redeclaration cannot reveal a secret
                    entity.fields[index] = merged
                } else {
                    entity.fields.append(ext.field)
                }
                defs[ext.entity] = entity
            }
        }
        var pipelines: [String: [Pipeline]] = [:]
        var forms: [String: FormLayout] = [:]
        for source in sources {
            for p in source.pipelines {
                try checkPipeline(p, defs[p.entity])
                pipelines[p.entity, default: []].removeAll { $0.field == p.field && $0.name == p.name }
                pipelines[p.entity, default: []].append(p)
            }
            for f in source.forms {
                guard let def = defs[f.entity] else { throw KernelError.unknownEntity(f.entity) }
                let known = Set(withSystemFields(def).fields.map(\.name))
                for name in f.referencedFields where !known.contains(name) {
                    throw KernelError.invalid(f.entity, field: name, "form of \(f.entity) names unknown field '\(name)'")
                }
                forms[f.entity] = f
            }
        }
        let roles = try mergeRoles(sources, defs)
        if !roles.isEmpty, let i = defs["user"]?.fields.firstIndex(where: { $0.name == "role" }) {
            var options = defs["user"]!.fields[i].options
            for id in roles.keys.sorted() where !options.contains(where: { $0.value == id }) {
                options.append(ChoiceOption(id, label: roles[id]!.label))
            }
            defs["user"]!.fields[i].options = options
        }
        for (entity, list) in pipelines {
            for field in Set(list.map(\.field)) {
                let names = list.filter { $0.field == field }.flatMap { $0.stages.map(\.name) }
                var seen = Set<String>()
                let options = names.filter { seen.insert($0).inserted }.map { name in
                    ChoiceOption(name, label: list.lazy.compactMap { $0.stage(name)?.label }.first)
                }
                if let i = defs[entity]!.fields.firstIndex(where: { $0.name == field }) {
                    defs[entity]!.fields[i].options = options
                }
            }
        }
        var list: [EntitySchema] = []
        for name in order {
            let def = withSystemFields(defs[name]!)
            let known = Set(def.fields.map(\.name))
            for columns in def.indexes where columns.isEmpty || columns.contains(where: { !known.contains(IndexColumn.parse($0).field) }) {
                throw KernelError.invalid(name, field: columns.first { !known.contains(IndexColumn.parse($0).field) } ?? "",
                                          "index (\(columns.joined(separator: ", "))) of \(name) names an unknown field")
            }
            for f in def.fields where f.type == .reference || f.type == .user {
                guard let target = f.target, defs[target] != nil else {
                    throw KernelError.invalid(name, field: f.name, "reference field \(name).\(f.name) points at unknown entity '\(f.target ?? "")'")
                }
            }
            list.append(EntitySchema(def))
        }
        var calendars: [String: BusinessCalendar] = [:]
        for source in sources { for c in source.calendars { calendars[c.name] = c } }
        return Schema(list, pipelines: pipelines, forms: forms, settings: settings, roles: roles, calendars: calendars)
    }

    /// Roles by id, later sources replacing earlier ones; hidden and read-only fields must exist
    /// on entities that do (grants naming an entity of a disabled module are kept, unused).
    /// The kernel's `admin` role comes first, so a pack may replace it.
    private static func mergeRoles(_ sources: [SchemaDeclarations], _ defs: [String: EntityDefinition]) throws(KernelError) -> [String: RoleDefinition] {
        var roles: [String: RoleDefinition] = [RoleDefinition.administratorID: .kernelAdministrator]
        for source in sources {
            for role in source.roles {
                try checkIdentifier(role.id, what: "role")
                for (entity, fields) in role.hidden.merging(role.readOnly, uniquingKeysWith: { $0.union($1) }) {
                    guard let def = defs[entity] else { continue }
                    let known = Set(withSystemFields(def).fields.map(\.name))
                    if let unknown = fields.subtracting(known).sorted().first {
                        throw KernelError.invalid(entity, field: unknown, "role \(role.id) hides or protects unknown field \(entity).\(unknown)")
                    }
                }
                roles[role.id] = role
            }
        }
        return roles
    }

    static func checkPipeline(_ p: Pipeline, _ def: EntityDefinition?) throws(KernelError) {
        guard let def else { throw KernelError.unknownEntity(p.entity) }
        guard let field = def.fields.first(where: { $0.name == p.field }) else {
            throw KernelError.invalid(p.entity, field: p.field, "stages need a choice field '\(p.field)' on \(p.entity)")
        }
        guard field.type == .choice else {
            throw KernelError.invalid(p.entity, field: p.field, "stages need a choice field; \(p.entity).\(p.field) is \(field.type.rawValue)")
        }
        guard !p.stages.isEmpty else { throw KernelError.invalid(p.entity, field: p.field, "pipeline \(p.name) has no stages") }
        let names = p.stages.map(\.name)
        guard Set(names).count == names.count else { throw KernelError.invalid(p.entity, field: p.field, "pipeline \(p.name) repeats a stage") }
        let known = Set(withSystemFields(def).fields.map(\.name))
        for stage in p.stages {
            if let prob = stage.probability, !(0...100).contains(prob) {
                throw KernelError.invalid(p.entity, field: p.field, "stage \(stage.name): probability must be 0–100")
            }
            for r in stage.requires where !known.contains(r) {
                throw KernelError.invalid(p.entity, field: r, "stage \(stage.name) requires unknown field '\(r)'")
            }
            for n in stage.next ?? [] where !names.contains(n) {
                throw KernelError.invalid(p.entity, field: p.field, "stage \(stage.name): next stage '\(n)' is not in pipeline \(p.name)")
            }
        }
        if let s = p.selector, !known.contains(s.field) {
            throw KernelError.invalid(p.entity, field: s.field, "pipeline \(p.name) is chosen by unknown field '\(s.field)'")
        }
    }

    /// Adds the kernel's columns: id, owner (except on users and teams) and the audit stamps.
    static func withSystemFields(_ def: EntityDefinition) -> EntityDefinition {
        var d = def
        var id = FieldDefinition("id", .integer, label: LocalizedText("编号", en: "ID"))
        id.system = true
        var fields = [id]
        fields += def.fields.filter { !ReservedFieldNames.system.contains($0.name) }
        if def.name != "user", def.name != "team", !fields.contains(where: { $0.name == "owner" }) {
            fields.append(FieldDefinition("owner", .user, label: LocalizedText("负责人", en: "Owner"), indexed: true))
        }
        for (name, type, zh, en) in [("created_at", FieldType.datetime, "创建时间", "Created at"),
                                     ("updated_at", .datetime, "更新时间", "Updated at"),
                                     ("created_by", .user, "创建人", "Created by"),
                                     ("updated_by", .user, "修改人", "Updated by"),
                                     ("version", .integer, "版本", "Version")] {
            var f = FieldDefinition(name, type, label: LocalizedText(zh, en: en))
            f.system = true
            fields.append(f)
        }
        d.fields = fields
        return d
    }

    static func checkIdentifier(_ name: String, what: String) throws(KernelError) {
        guard ReservedFieldNames.isValidIdentifier(name) else {
            throw KernelError(.validation, "invalid \(what) name '\(name)': use lowercase letters, digits and _ (start with a letter, at most 63)")
        }
    }

    static func checkField(_ f: FieldDefinition, entity: String) throws(KernelError) {
        guard ReservedFieldNames.isValidIdentifier(f.name) else {
            throw KernelError.invalid(entity, field: f.name, "invalid field name '\(f.name)': use lowercase letters, digits and _")
        }
        guard !ReservedFieldNames.system.contains(f.name) else {
            throw KernelError.invalid(entity, field: f.name, "'\(f.name)' is reserved for the kernel")
        }
        if f.type == .reference && (f.target ?? "").isEmpty {
            throw KernelError.invalid(entity, field: f.name, "reference field needs a target entity")
        }
        if f.type.isDecimal && !(0...6).contains(f.scale) {
            throw KernelError.invalid(entity, field: f.name, "scale must be between 0 and 6")
        }
        if let p = f.pattern, RegexBox(p) == nil {
            throw KernelError.invalid(entity, field: f.name, "pattern is not a valid regular expression")
        }
        if let lo = f.min, let hi = f.max, lo > hi {
            throw KernelError.invalid(entity, field: f.name, "min is greater than max")
        }
        if f.type.hasOptions, Set(f.options.map(\.value)).count != f.options.count {
            throw KernelError.invalid(entity, field: f.name, "options repeat a value")
        }
        // A secret is never read back: a search, a unique check or an index would let it be probed.
        if f.isSecret, !(f.type == .text || f.type == .longText) || f.searchable || f.unique || f.indexed {
            throw KernelError.invalid(entity, field: f.name, "a secret field must be text and neither searchable, unique nor indexed")
        }
    }
}
