/// Items to add to and remove from a list field (tags, multi-choice) in one update, applied
/// to the stored value inside the write transaction: concurrent appenders never lose an item.
public struct ListEdit: Sendable, Hashable {
    /// Items added (those already present are kept once).
    public var add: [String]
    /// Items removed (those absent are ignored).
    public var remove: [String]

    /// Creates an edit.
    public init(add: [String] = [], remove: [String] = []) {
        self.add = add
        self.remove = remove
    }
}

extension WriteContext {
    /// The record's version (1 for a record stored before versions existed).
    static func version(of record: Record) -> Int64 {
        if case .integer(let v) = record["version"] { return v }
        return 1
    }

    /// Refuses the write when `record` is no longer at `expected`.
    static func checkVersion(_ record: Record, expected: Int64) throws(KernelError) {
        let current = version(of: record)
        guard current == expected else {
            throw KernelError(.staleVersion, "\(record.entity) \(record.id) was changed by someone else: it is at version \(current), not \(expected); read it again",
                              entity: record.entity)
        }
    }

    /// Turns `edits` into whole list values in `input`, starting from the value in `input` (when
    /// the same request sets the field) or the stored one.
    func applyListEdits(_ edits: [String: ListEdit], _ entity: EntitySchema, old: Record, into input: inout [String: Value]) throws(KernelError) {
        for (name, edit) in edits {
            guard let field = entity.fieldsByName[name], field.type.isList else {
                throw KernelError.invalid(entity.name, field: name, "add/remove apply only to tags and multi-choice fields")
            }
            var items: [String]
            switch input[name] ?? old[name] {
            case .list(let l): items = l
            case .null: items = []
            case .text(let t): items = t.isEmpty ? [] : [t]
            case let other: throw KernelError.invalid(entity.name, field: name, "cannot add to \(other)")
            }
            let removed = Set(edit.remove)
            items.removeAll { removed.contains($0) }
            for item in edit.add where !items.contains(item) { items.append(item) }
            input[name] = .list(items)
        }
    }
}
