import CRMKernel
import Foundation

/// Reads the spec tables of `crm.field`, `crm.entity`, `crm.stages` and `crm.form`.
enum SpecParser {
    static let fieldKeys: Set<String> = ["type", "label", "label_en", "required", "unique", "default", "index", "indexed",
                                         "searchable", "min", "max", "max_length", "pattern", "options", "target", "entity",
                                         "scale", "currency", "help", "name", "derived_from", "secret"]

    static func label(_ t: LuaTable, fallback: String) throws(LuaError) -> LocalizedText {
        switch t["label"] {
        case .string(let s): return LocalizedText(s, en: t["label_en"].stringValue ?? s)
        case .table(let l): return LocalizedText(l["zh"].stringValue ?? fallback, en: l["en"].stringValue)
        case .nil: return LocalizedText(fallback, en: t["label_en"].stringValue ?? fallback)
        default: throw .script("label must be a string or {zh = ..., en = ...}")
        }
    }

    static func strings(_ v: LuaValue, _ what: String) throws(LuaError) -> [String] {
        switch v {
        case .nil: return []
        case .string(let s): return [s]
        case .table(let t) where t.fields.isEmpty:
            var out: [String] = []
            for item in t.array {
                guard let s = item.stringValue else { throw .script("\(what) must be a list of strings") }
                out.append(s)
            }
            return out
        default: throw .script("\(what) must be a list of strings")
        }
    }

    static func decimal(_ v: LuaValue, _ what: String) throws(LuaError) -> Decimal? {
        switch v {
        case .nil: return nil
        case .integer(let i): return Decimal(i)
        case .number(let n): return Decimal(string: String(n))
        case .string(let s):
            guard let d = Decimal(string: s) else { throw .script("\(what) must be a number") }
            return d
        default: throw .script("\(what) must be a number")
        }
    }

    /// A field definition from `crm.field(entity, name, spec)` or an entry of `crm.entity`'s fields.
    static func field(_ name: String, _ t: LuaTable) throws(LuaError) -> FieldDefinition {
        for key in t.fields.keys where !fieldKeys.contains(key) {
            throw .script("field '\(name)': unknown spec key '\(key)' (known: \(fieldKeys.sorted().joined(separator: ", ")))")
        }
        guard let typeName = t["type"].stringValue else { throw .script("field '\(name)': spec needs a type (\(FieldType.allCases.map(\.rawValue).joined(separator: ", ")))") }
        guard let type = FieldType(rawValue: typeName) else {
            throw .script("field '\(name)': unknown type '\(typeName)' (use \(FieldType.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var options: [ChoiceOption] = []
        if case .table(let list) = t["options"] {
            for item in list.array {
                switch item {
                case .string(let s): options.append(ChoiceOption(s))
                case .table(let o):
                    guard let v = o["value"].stringValue else { throw .script("field '\(name)': an option table needs a value") }
                    options.append(ChoiceOption(v, label: try label(o, fallback: v)))
                default: throw .script("field '\(name)': options must be strings or {value = ..., label = ...}")
                }
            }
        } else if t["options"] != .nil {
            throw .script("field '\(name)': options must be a list")
        }
        let defaultValue: Value? = t["default"] == .nil ? nil : try LuaBridge.value(t["default"], field: name)
        var maxLength: Int? = nil
        if let n = t["max_length"].integerValue { maxLength = Int(n) } else if t["max_length"] != .nil { throw .script("field '\(name)': max_length must be an integer") }
        var scale: Int? = nil
        if let n = t["scale"].integerValue { scale = Int(n) }
        var def = FieldDefinition(name, type, label: try label(t, fallback: name),
                                  required: t["required"].isTruthy, unique: t["unique"].isTruthy, defaultValue: defaultValue,
                                  indexed: t["index"].isTruthy || t["indexed"].isTruthy, searchable: t["searchable"].isTruthy,
                                  min: try decimal(t["min"], "min"), max: try decimal(t["max"], "max"), maxLength: maxLength,
                                  pattern: t["pattern"].stringValue, options: options,
                                  target: t["target"].stringValue ?? t["entity"].stringValue, scale: scale, help: t["help"].stringValue,
                                  secret: t["secret"].isTruthy)
        if let c = t["currency"].stringValue { def.currency = c }
        let sources = try strings(t["derived_from"], "derived_from")
        if !sources.isEmpty { def.derivedFrom = sources }
        return def
    }

    /// An entity definition from `crm.entity(name, spec)`; `fields` is an array of specs with
    /// `name`, or a table keyed by field name (then sorted by name).
    static func entity(_ name: String, _ t: LuaTable) throws(LuaError) -> EntityDefinition {
        let known: Set<String> = ["label", "label_en", "title", "fields"]
        for key in t.fields.keys where !known.contains(key) {
            throw .script("entity '\(name)': unknown spec key '\(key)' (known: label, label_en, title, fields)")
        }
        guard case .table(let fieldTable) = t["fields"] else { throw .script("entity '\(name)': spec needs fields = { ... }") }
        var fields: [FieldDefinition] = []
        for item in fieldTable.array {
            guard case .table(let spec) = item, let fname = spec["name"].stringValue else {
                throw .script("entity '\(name)': each entry of fields needs a name")
            }
            fields.append(try field(fname, spec))
        }
        for fname in fieldTable.fields.keys.sorted() {
            guard case .table(let spec) = fieldTable.fields[fname]! else { throw .script("entity '\(name)': field '\(fname)' needs a spec table") }
            fields.append(try field(fname, spec))
        }
        return EntityDefinition(name, label: try label(t, fallback: name), titleField: t["title"].stringValue ?? fields.first?.name,
                                origin: "script", fields: fields)
    }
}
