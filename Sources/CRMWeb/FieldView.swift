import CRMKernel
import CRMServer
import Foundation

/// How the pages show a record's fields: which fields a user sees and may edit, the layout by
/// `crm.form` sections, and values as text (choice labels, names of referenced records, local
/// times).
struct FieldView {
    let entity: EntitySchema
    let access: AccessGuard
    let lang: Lang
    let hidden: Set<String>

    init(_ entity: EntitySchema, _ access: AccessGuard, _ lang: Lang) {
        self.entity = entity
        self.access = access
        self.lang = lang
        hidden = access.hiddenFields(entity.name)
    }

    /// The fields the user sees, in declared order (system fields excluded).
    var visibleFields: [FieldDefinition] {
        entity.fields.filter { !$0.system && !hidden.contains($0.name) && !$0.isSecret }
    }

    /// Whether the user may change `field` (not hidden, not read-only for the role or the form,
    /// not maintained by the kernel, not derived).
    func editable(_ field: FieldDefinition, form: FormLayout?) -> Bool {
        guard !field.system, field.derivedFrom == nil, !hidden.contains(field.name) else { return false }
        if form?.readOnly.contains(field.name) == true { return false }
        if access.isAdministrator { return true }
        return access.role?.readOnly[entity.name]?.contains(field.name) != true
    }

    /// Sections to show: the `crm.form` layout's, then a section for visible fields it left out.
    func sections(_ form: FormLayout?) -> [(title: String, fields: [FieldDefinition])] {
        var out: [(String, [FieldDefinition])] = []
        var placed = Set<String>()
        let visible = Dictionary(uniqueKeysWithValues: visibleFields.map { ($0.name, $0) })
        for section in form?.sections ?? [] {
            let fields = section.fields.compactMap { visible[$0] }
            placed.formUnion(section.fields)
            if !fields.isEmpty { out.append((lang.label(section.title), fields)) }
        }
        let rest = visibleFields.filter { !placed.contains($0.name) }
        if !rest.isEmpty { out.append((out.isEmpty ? lang.t("基本信息", "Details") : lang.t("其他信息", "More"), rest)) }
        return out
    }

    /// Whether a field must be filled: the schema's rule or the form's.
    func required(_ field: FieldDefinition, form: FormLayout?) -> Bool {
        field.required || form?.required.contains(field.name) == true
    }

    /// The value as text for people.
    func display(_ value: Value?, _ field: FieldDefinition, titles: inout TitleCache) -> String {
        guard let value, !value.isEmpty else { return "" }
        switch (field.type, value) {
        case (.choice, .text(let v)): return field.options.first { $0.value == v }.map { lang.label($0.label) } ?? v
        case (.multiChoice, .list(let l)): return l.map { v in field.options.first { $0.value == v }.map { lang.label($0.label) } ?? v }.joined(separator: "、")
        case (.tags, .list(let l)): return l.joined(separator: "、")
        case (.boolean, .bool(let b)): return b ? lang.t("是", "Yes") : lang.t("否", "No")
        case (.datetime, .datetime(let d)): return Self.local(d)
        case (.reference, .integer(let id)), (.user, .integer(let id)): return titles.title(field.target ?? "", id)
        case (.money, _): return "¥" + (MoneyText.fen(value).map { MoneyText.yuan($0) } ?? value.description)
        default: return value.description
        }
    }

    /// The value as a form input's text.
    func inputText(_ value: Value?, _ field: FieldDefinition) -> String {
        guard let value, !value.isEmpty else { return "" }
        switch (field.type, value) {
        case (.datetime, .datetime(let d)): return Self.localInput(d)
        case (.multiChoice, .list(let l)), (.tags, .list(let l)): return l.joined(separator: ",")
        case (.boolean, .bool(let b)): return b ? "true" : "false"
        default: return value.description
        }
    }

    static let zone = TimeZone(identifier: "Asia/Shanghai") ?? .current

    /// `2026-12-02 11:30` in the workspace's zone.
    static func local(_ date: Date) -> String { String(localInput(date).replacingOccurrences(of: "T", with: " ")) }

    /// `2026-12-02T11:30` for a `datetime-local` input.
    static func localInput(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }

    /// A `datetime-local` input's text read in the workspace's zone, as an ISO instant.
    static func instant(fromLocal text: String) -> String? {
        let parts = text.split(whereSeparator: { "-T: ".contains($0) }).compactMap { Int($0) }
        guard parts.count >= 5 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        guard let d = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4])) else { return nil }
        return DateCoding.iso(d)
    }
}

/// Names of referenced records, looked up once per page through the user's access (a record
/// the user may not see shows as its number).
struct TitleCache {
    let store: RecordStore
    let access: AccessGuard
    private var cache: [String: String] = [:]

    init(_ store: RecordStore, _ access: AccessGuard) {
        self.store = store
        self.access = access
    }

    mutating func title(_ entity: String, _ id: Int64) -> String {
        let key = "\(entity)#\(id)"
        if let hit = cache[key] { return hit }
        var title = "#\(id)"
        if let schema = store.schema.entities[entity], let record = try? store.get(entity, id, as: access) { title = Self.title(record, schema) }
        cache[key] = title
        return title
    }

    /// The title of a record already read (as the user sees it), remembered like one looked up.
    mutating func title(of record: Record) -> String {
        let key = "\(record.entity)#\(record.id)"
        if let hit = cache[key] { return hit }
        let title = store.schema.entities[record.entity].map { Self.title(record, $0) } ?? "#\(record.id)"
        cache[key] = title
        return title
    }

    /// The fields of `entity` a title is made from (its title field, then `name`).
    static func fields(_ entity: EntitySchema) -> [String] {
        let first = titleField(entity)
        return (first == "name" ? [first] : [first, "name"]).filter { entity.fieldsByName[$0] != nil }
    }

    /// The field a record of `entity` is named by: a user's display name, else the title field.
    static func titleField(_ entity: EntitySchema) -> String {
        entity.name == "user" ? "display_name" : (entity.definition.titleField ?? "name")
    }

    /// A record's title: its title field, else its name, else `#id`.
    static func title(_ record: Record, _ entity: EntitySchema) -> String {
        let field = titleField(entity)
        if !record[field].isEmpty { return record[field].description }
        if !record["name"].isEmpty { return record["name"].description }
        return "#\(record.id)"
    }

}
