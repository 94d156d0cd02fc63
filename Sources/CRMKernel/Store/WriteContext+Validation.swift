import Foundation
import GRDB

extension WriteContext {
    /// Types and normalises client input; unknown and system fields are errors.
    func coerceInput(_ entity: EntitySchema, _ input: [String: Value]) throws -> [String: Value] {
        var values: [String: Value] = [:]
        values.reserveCapacity(input.count + 6)
        var errors: [FieldError] = []
        for (name, raw) in input {
            guard let field = entity.fieldsByName[name] else {
                errors.append(FieldError(field: name, message: "unknown field '\(name)' of \(entity.name)"))
                continue
            }
            if field.system {
                if name == "id" { continue }
                errors.append(FieldError(field: name, message: "'\(name)' is maintained by the system"))
                continue
            }
            switch FieldCoercion.coerce(raw, field) {
            case .success(let v): values[name] = v
            case .failure(let e): errors.append(e)
            }
        }
        if !errors.isEmpty { throw KernelError.invalid(entity.name, errors.sorted { $0.field < $1.field }) }
        return values
    }

    /// Runs the entity's before-save hooks; returns the values they leave, typed again.
    func runHooks(_ op: SaveOperation, _ entity: EntitySchema, id: Int64?, values: [String: Value], old: Record?) throws -> [String: Value] {
        guard let list = hooks.beforeSave[entity.name], !list.isEmpty else { return values }
        guard enterHook() else {
            throw KernelError(.scriptFailed, "hooks nested too deeply while saving \(entity.name) (a hook keeps writing records that trigger hooks)", entity: entity.name)
        }
        defer { leaveHook() }
        var context = SaveContext(operation: op, entity: entity.name, id: id, values: values, old: old, tx: self)
        try asSystem {
            for hook in list {
                try hook(&context)
                if !context.rejections.isEmpty { throw KernelError.invalid(entity.name, context.rejections) }
            }
        }
        if op == .delete { return values }
        // What the hooks left, with only the values they changed typed again (a system field
        // they changed keeps its value from before the hooks).
        var result = context.values
        var errors: [FieldError] = []
        for (name, v) in context.values {
            if let before = values[name], before == v { continue }
            guard let field = entity.fieldsByName[name] else {
                errors.append(FieldError(field: name, message: "a hook set unknown field '\(name)'"))
                continue
            }
            if field.system { result[name] = values[name]; continue }
            switch FieldCoercion.coerce(v, field) {
            case .success(let c): result[name] = c
            case .failure(let e): errors.append(e)
            }
        }
        if !errors.isEmpty { throw KernelError.invalid(entity.name, errors) }
        return result
    }

    /// Checks required fields, patterns, uniqueness and references. `changed` limits the
    /// checks to fields that changed (nil on create: everything). References among
    /// `callerReferences` (what a restricted caller wrote) must be visible to the caller, and
    /// one she cannot see is refused with the same error as a missing one.
    func validate(_ entity: EntitySchema, _ values: [String: Value], id: Int64?, changed: Set<String>?,
                  callerReferences: Set<String>? = nil) throws {
        var errors: [FieldError] = []
        for f in entity.requiredFields where (values[f.name] ?? .null).isEmpty {
            if changed == nil || changed!.contains(f.name) {
                errors.append(FieldError(field: f.name, message: "\(f.label.zh)(\(f.name)) is required"))
            }
        }
        for (name, regex) in entity.patterns where changed == nil || changed!.contains(name) {
            if case .text(let s) = values[name] ?? .null, !s.isEmpty, !regex.matches(s) {
                errors.append(FieldError(field: name, message: "'\(s)' does not match the required format"))
            }
        }
        var duplicates: [String] = []
        for f in entity.uniqueFields where changed == nil || changed!.contains(f.name) {
            let v = values[f.name] ?? .null
            guard !v.isEmpty else { continue }
            let column = SQL.quote(f.name)
            let sql = "SELECT id FROM \(SQL.quote(entity.tableName)) WHERE \(column) = ? AND \(SQL.uniqueIndexTerm(column)) AND id <> ? LIMIT 1"
            if let other = try Int64.fetchOne(db.cachedStatement(sql: sql), arguments: [ValueCodec.encode(v, f), id ?? -1]) {
                errors.append(FieldError(field: f.name, message: "'\(v)' is already used by \(entity.name) \(other)"))
                duplicates.append(f.name)
            }
        }
        for f in entity.referenceFields where changed == nil || changed!.contains(f.name) {
            guard case .integer(let ref) = values[f.name] ?? .null, let target = f.target else { continue }
            let key = RecordKey(entity: target, id: ref)
            if let caller = restriction, callerReferences?.contains(f.name) == true {
                if knownVisible.contains(key) { continue }
                if try RecordReader(db: db, schema: schema, access: caller).exists(target, ref) {
                    knownVisible.insert(key)
                } else {
                    errors.append(FieldError(field: f.name, message: "\(target) \(ref) does not exist"))
                }
                continue
            }
            if knownRecords.contains(key) { continue }
            if try systemReader.exists(target, ref) {
                knownRecords.insert(key)
            } else {
                errors.append(FieldError(field: f.name, message: "\(target) \(ref) does not exist"))
            }
        }
        // Duplicates alone conflict with existing data; any other error makes the record invalid.
        if !errors.isEmpty, errors.count == duplicates.count {
            throw KernelError(.conflict, "duplicate value for " + duplicates.map { "\(entity.name).\($0)" }.joined(separator: ", "),
                              entity: entity.name, fieldErrors: errors)
        }
        if !errors.isEmpty { throw KernelError.invalid(entity.name, errors) }
    }

    /// Runs a statement, turning a unique-constraint failure into a conflict on the field.
    func mapped(_ entity: EntitySchema, _ body: () throws -> Void) throws {
        do { try body() } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            let field = entity.uniqueFields.first { error.message?.contains($0.name) ?? false }?.name ?? "id"
            throw KernelError(.conflict, "duplicate value for \(entity.name).\(field)", entity: entity.name,
                              fieldErrors: [FieldError(field: field, message: "value already used")])
        }
    }
}
