import Foundation

/// Reports an administrator saves (from the web interface, the API or the CLI): kept as
/// `report_template` records holding the spec as JSON, shared with the roles listed.
public enum SavedReports {
    /// The `report_template` entity.
    static var entity: EntityDefinition {
        EntityDefinition("report_template", label: LocalizedText("报表模板", en: "Report template"), titleField: "title", fields: [
            FieldDefinition("name", .text, label: LocalizedText("名称", en: "Name"), required: true, unique: true, maxLength: 64,
                            pattern: "[a-z][a-z0-9_.]*"),
            FieldDefinition("title", .text, label: LocalizedText("标题", en: "Title"), maxLength: 200),
            FieldDefinition("spec", .longText, label: LocalizedText("定义", en: "Spec"), required: true, maxLength: 100_000),
            FieldDefinition("roles", .tags, label: LocalizedText("共享角色", en: "Shared with roles")),
        ])
    }

    /// The JSON coder of stored specs (snake_case keys, as the HTTP API takes them).
    public static func decode(_ json: String) throws -> ReportSpec {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(ReportSpec.self, from: Data(json.utf8))
        } catch {
            throw KernelError(.validation, "report spec: \(describe(error))", fieldErrors: [FieldError(field: "spec", message: describe(error))])
        }
    }

    /// The spec as stored JSON.
    public static func encode(_ spec: ReportSpec) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(spec), as: UTF8.self)
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let c): return "missing '\(path(c.codingPath + [key]))'"
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c): return "wrong type at '\(path(c.codingPath))'"
        case DecodingError.dataCorrupted(let c): return c.codingPath.isEmpty ? "not JSON" : "bad value at '\(path(c.codingPath))'"
        default: return String(describing: error)
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }

    /// The saved reports (read as the system; who may run each is decided by its roles).
    static func all(_ reader: RecordReader) throws -> [ReportDefinition] {
        try reader.system.find(Query("report_template", limit: 10_000)).records.compactMap { r in
            guard let name = r["name"].textValue, let json = r["spec"].textValue, var spec = try? decode(json) else { return nil }
            if case .list(let roles) = r["roles"] { spec.roles = roles }
            if spec.title == nil, let title = r["title"].textValue, !title.isEmpty { spec.title = LocalizedText(title) }
            return ReportDefinition(name: name, spec: spec, origin: .saved(r.id))
        }
    }
}
