import Foundation

/// Readable group labels: users and references by their title, choices by their label.
/// Looked up under the caller's access: a record the caller cannot see shows as `#id`.
struct ReportLabels {
    let reader: RecordReader
    let language: String

    /// The label for empty values.
    var none: String { language == "en" ? "(none)" : "(空)" }

    /// The label of `value` of `field`.
    func label(_ value: Value, _ field: FieldDefinition) -> String {
        if value == .null || value.isEmpty { return none }
        switch field.type {
        case .user: return title("user", value.integerValue)
        case .reference: return field.target.map { title($0, value.integerValue) } ?? value.description
        case .choice:
            return field.options.first { $0.value == value.description }?.label.text(for: language) ?? value.description
        case .boolean: return value == .bool(true) ? (language == "en" ? "yes" : "是") : (language == "en" ? "no" : "否")
        default: return value.description
        }
    }

    /// A parameter value as people read it (team and user by name).
    func argument(_ argument: ReportArgument) -> String {
        switch argument {
        case .team(let id, _): return title("team", id)
        case .user(let id): return title("user", id)
        case .period(let from, let to, let spelled): return from == to ? spelled : "\(spelled) (\(from) – \(to))"
        default: return argument.display
        }
    }

    private func title(_ entity: String, _ id: Int64?) -> String {
        guard let id else { return none }
        guard let e = try? reader.schema.entity(entity), let record = (try? reader.get(entity, id)) ?? nil else { return "#\(id)" }
        let name = e.definition.titleField.map { record[$0] } ?? .null
        if name.isEmpty, entity == "user" { return record["name"].isEmpty ? "#\(id)" : record["name"].description }
        return name.isEmpty ? "#\(id)" : name.description
    }
}
