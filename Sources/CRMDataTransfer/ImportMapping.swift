import CRMKernel
import Foundation

/// Which field each column of an import table fills.
///
/// Without a map, a header cell names a field by its name or its Chinese/English label and an
/// unknown header is an error. With a map (`{"客户名称": "name", "备注2": null}` or the same under
/// `"columns"`), mapped columns go to the fields named and every other column falls back to its
/// header, or is ignored when the header names no field. The columns of an error report
/// (`import_row`, `import_column`, `import_error`) and `id` are always ignored.
public struct ImportMapping: Sendable {
    /// Per column: the field it fills, or nil (ignored).
    public var columns: [String?]

    /// Columns an error report adds; ignored when that file is imported again.
    public static let reportColumns: Set<String> = ["import_row", "import_column", "import_error"]

    /// Resolves the mapping of `table` for `entity`, refusing a map naming a field that does not
    /// exist, is the system's, or is hidden from or read-only for `access`.
    public static func resolve(_ table: ImportTable, entity: EntitySchema, map: [String: String?]?, mapName: String = "map",
                               access: AccessGuard?) throws -> ImportMapping {
        var byLabel: [String: String] = [:]
        for f in entity.fields { byLabel[f.name] = f.name; byLabel[f.label.zh] = f.name; byLabel[f.label.en.lowercased()] = f.name }
        if let map {
            for key in map.keys.sorted() where !table.header.contains(key) {
                throw KernelError(.validation, "\(mapName): column '\(key)' is not in \(table.file) (columns: \(table.header.joined(separator: ", ")))")
            }
        }
        var columns: [String?] = []
        for (i, cell) in table.header.enumerated() {
            if cell == "id" || reportColumns.contains(cell) || cell.isEmpty { columns.append(nil); continue }
            if let map, let entry = map[cell] {
                guard let name = entry, !name.isEmpty else { columns.append(nil); continue }
                guard let field = entity.fieldsByName[name] ?? byLabel[name].flatMap({ entity.fieldsByName[$0] }) else {
                    throw KernelError(.validation, "\(mapName): column '\(cell)' maps to '\(name)', which is not a field of \(entity.name)",
                                      entity: entity.name, fieldErrors: [FieldError(field: name, message: "unknown field")])
                }
                columns.append(try writable(field, entity, mapName: mapName, column: cell))
                continue
            }
            guard let name = byLabel[cell] ?? byLabel[cell.lowercased()] else {
                if map != nil { columns.append(nil); continue }
                throw KernelError(.validation, "\(table.location(line: 1)): column \(i + 1) '\(cell)' is not a field of \(entity.name)", entity: entity.name,
                                  fieldErrors: [FieldError(field: cell, message: "unknown field")])
            }
            let field = entity.fieldsByName[name]!
            columns.append(field.system ? nil : field.name)
        }
        let mapped = columns.compactMap { $0 }
        if let duplicate = Dictionary(grouping: mapped, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw KernelError(.validation, "\(table.file): two columns fill \(entity.name).\(duplicate); map one of them elsewhere or to null",
                              entity: entity.name, fieldErrors: [FieldError(field: duplicate, message: "mapped twice")])
        }
        if let access {
            if let hidden = mapped.first(where: { access.hiddenFields(entity.name).contains($0) }) {
                throw KernelError(.forbidden, "\(mapName): \(entity.name).\(hidden) is hidden from \(access.user.name); it cannot be imported",
                                  entity: entity.name, fieldErrors: [FieldError(field: hidden, message: "hidden from your role")])
            }
            try access.checkWrite(entity.name, fields: mapped)
        }
        return ImportMapping(columns: columns)
    }

    static func writable(_ field: FieldDefinition, _ entity: EntitySchema, mapName: String, column: String) throws -> String {
        guard !field.system else {
            throw KernelError(.validation, "\(mapName): column '\(column)' maps to \(entity.name).\(field.name), which the system maintains",
                              entity: entity.name, fieldErrors: [FieldError(field: field.name, message: "system field")])
        }
        return field.name
    }

    /// Reads a map file: a JSON object of column → field (or null), possibly under `"columns"`.
    public static func load(_ path: String) throws -> [String: String?] {
        guard let data = FileManager.default.contents(atPath: path) else { throw KernelError(.notFound, "\(path): cannot open the map file") }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw KernelError(.validation, "\(path): not a JSON object of column → field")
        }
        let columns = (object["columns"] as? [String: Any]) ?? object
        var map: [String: String?] = [:]
        for (key, value) in columns {
            switch value {
            case let name as String: map[key] = name
            case is NSNull: map[key] = .some(nil)
            default: throw KernelError(.validation, "\(path): column '\(key)' must map to a field name or null")
            }
        }
        return map
    }

    /// Writes a map file (`--save-map`).
    public static func save(_ map: [String: String?], to url: URL) throws {
        let object = map.mapValues { $0.map { $0 as Any } ?? NSNull() }
        let data = try JSONSerialization.data(withJSONObject: ["columns": object], options: [.prettyPrinted, .sortedKeys])
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    /// The folder of maps saved by name in a workspace.
    public static func savedMapsDirectory(_ workspace: URL) -> URL {
        workspace.appendingPathComponent("imports/maps")
    }

    /// `--map VALUE`: a path to a JSON file, or the name of a map saved in the workspace.
    public static func path(for value: String, workspace: URL) -> String {
        if value.contains("/") || value.hasSuffix(".json") { return value }
        return savedMapsDirectory(workspace).appendingPathComponent(value + ".json").path
    }
}
