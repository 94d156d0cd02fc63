import CRMKernel

extension SpecParser {
    /// A pipeline from `crm.stages(entity, stages, opts)`.
    static func pipeline(_ entity: String, _ list: LuaTable, _ opts: LuaTable) throws(LuaError) -> Pipeline {
        guard list.fields.isEmpty, !list.array.isEmpty else { throw .script("crm.stages: stages must be a non-empty array") }
        var stages: [StageDefinition] = []
        let stageKeys: Set<String> = ["name", "label", "label_en", "probability", "requires", "next", "won", "lost", "max_days"]
        for item in list.array {
            switch item {
            case .string(let s): stages.append(StageDefinition(name: s))
            case .table(let t):
                guard let name = t["name"].stringValue ?? t.array.first?.stringValue else { throw .script("crm.stages: each stage needs a name") }
                for key in t.fields.keys where !stageKeys.contains(key) {
                    throw .script("crm.stages: stage '\(name)': unknown key '\(key)' (known: \(stageKeys.sorted().joined(separator: ", ")))")
                }
                if t["won"].isTruthy && t["lost"].isTruthy { throw .script("crm.stages: stage '\(name)' cannot be both won and lost") }
                var probability: Int? = nil
                if let p = t["probability"].integerValue { probability = Int(p) } else if t["probability"] != .nil {
                    throw .script("crm.stages: stage '\(name)': probability must be an integer 0–100")
                }
                var maxDays: Int? = nil
                if let d = t["max_days"].integerValue { maxDays = Int(d) }
                stages.append(StageDefinition(name: name, label: try label(t, fallback: name), probability: probability,
                                              requires: try strings(t["requires"], "requires"),
                                              next: t["next"] == .nil ? nil : try strings(t["next"], "next"),
                                              outcome: t["won"].isTruthy ? .won : (t["lost"].isTruthy ? .lost : nil), maxDays: maxDays))
            default: throw .script("crm.stages: each stage is a name or a table")
            }
        }
        let optKeys: Set<String> = ["field", "pipeline", "when", "allow_skip", "allow_back"]
        for key in opts.fields.keys where !optKeys.contains(key) {
            throw .script("crm.stages: unknown option '\(key)' (known: \(optKeys.sorted().joined(separator: ", ")))")
        }
        var selector: Pipeline.Selector? = nil
        if case .table(let w) = opts["when"] {
            guard w.fields.count == 1, let (f, v) = w.fields.first, let value = v.stringValue else {
                throw .script("crm.stages: when must be one field = value pair, e.g. when = {business_line = \"工程\"}")
            }
            selector = Pipeline.Selector(field: f, value: value)
        }
        return Pipeline(entity: entity, field: opts["field"].stringValue ?? "stage", name: opts["pipeline"].stringValue ?? "default",
                        selector: selector, stages: stages, allowSkip: opts["allow_skip"].isTruthy,
                        allowBack: opts["allow_back"] == .nil ? true : opts["allow_back"].isTruthy)
    }

    /// A form layout from `crm.form(entity, spec)`.
    static func form(_ entity: String, _ t: LuaTable) throws(LuaError) -> FormLayout {
        let known: Set<String> = ["sections", "required", "readonly", "shown_when"]
        for key in t.fields.keys where !known.contains(key) {
            throw .script("crm.form: unknown key '\(key)' (known: sections, required, readonly, shown_when)")
        }
        guard case .table(let list) = t["sections"] else { throw .script("crm.form: spec needs sections = { {title = ..., fields = {...}} }") }
        var sections: [FormLayout.Section] = []
        for item in list.array {
            guard case .table(let s) = item else { throw .script("crm.form: each section is a table") }
            let title: LocalizedText
            switch s["title"] {
            case .string(let x): title = LocalizedText(x, en: s["title_en"].stringValue)
            case .table(let l): title = LocalizedText(l["zh"].stringValue ?? "", en: l["en"].stringValue)
            default: title = LocalizedText("")
            }
            sections.append(FormLayout.Section(title: title, fields: try strings(s["fields"], "fields")))
        }
        var shown: [String: [String: String]] = [:]
        if case .table(let w) = t["shown_when"] {
            for (field, cond) in w.fields {
                guard case .table(let c) = cond else { throw .script("crm.form: shown_when.\(field) must be a table of field = value") }
                var pairs: [String: String] = [:]
                for (k, v) in c.fields {
                    guard let s = v.stringValue else { throw .script("crm.form: shown_when.\(field).\(k) must be a string") }
                    pairs[k] = s
                }
                shown[field] = pairs
            }
        }
        return FormLayout(entity: entity, sections: sections, required: try strings(t["required"], "required"),
                          readOnly: try strings(t["readonly"], "readonly"), shownWhen: shown)
    }
}
