import Foundation

/// Every report of a workspace, found and run by name the same way: the enabled modules'
/// built-in reports, the company scripts' `crm.report` declarations and the saved ones.
public enum ReportCatalog {
    /// Checks the scripts' reports when the schema is built: each spec against the schema,
    /// names unique and not taken by a module (errors start with `crm.report 'NAME':`).
    static func check(_ company: [ReportDefinition], modules: [ReportDefinition], schema: Schema, dormant: Set<String>) throws {
        var seen = Set(modules.map(\.name))
        for r in company {
            guard seen.insert(r.name).inserted else {
                throw KernelError(.validation, "crm.report '\(r.name)': the name is taken by another report")
            }
            if let spec = r.spec, !dormant.contains(spec.entity) { try spec.validate(name: r.name, against: schema) }
        }
    }
}

extension Workspace {
    /// The reports `access` may run (nil: all), in name order.
    public func reports(as access: AccessGuard?) throws -> [ReportDefinition] {
        try allReports().filter { $0.allows(access) }.sorted { $0.name < $1.name }
    }

    /// Every report, whoever may run it: modules first, then scripts, then saved ones (a saved
    /// report cannot shadow an earlier name).
    func allReports() throws -> [ReportDefinition] {
        allReports(enabled: Set(try enabledModules()), saved: try savedReports())
    }

    /// Every report given the enabled modules and the saved reports (read by the caller, e.g.
    /// inside a job's transaction).
    func allReports(enabled: Set<String>, saved: [ReportDefinition]) -> [ReportDefinition] {
        let dormant = Set(registry.plugins.filter { !enabled.contains($0.manifest.id) }.flatMap { $0.schema.entities.map(\.name) })
        var out = registry.plugins.filter { enabled.contains($0.manifest.id) }.flatMap(\.reports)
        out += companyContributions.reports.filter { !dormant.contains($0.spec?.entity ?? "") }
        let taken = Set(out.map(\.name))
        out += saved.filter { !taken.contains($0.name) }
        return out
    }

    /// The report `name` if `access` may run it: not found otherwise (a report one may not run
    /// is not disclosed).
    public func report(named name: String, as access: AccessGuard?) throws -> ReportDefinition {
        guard let found = try allReports().first(where: { $0.name == name }), found.allows(access) else {
            throw KernelError(.notFound, "no report '\(name)' (crm report list shows those you may run)")
        }
        return found
    }

    /// Runs report `name` with parameters given as text, under `access` (scope and hidden
    /// fields apply). An unknown parameter or a value of the wrong type is a validation error
    /// naming the parameter.
    public func runReport(_ name: String, parameters: [String: String] = [:], as access: AccessGuard?,
                          language: String = "zh") throws -> ReportTable {
        let report = try report(named: name, as: access)
        let known = Set(report.parameters.map(\.name))
        for key in parameters.keys.sorted() where !known.contains(key) {
            throw KernelError(.validation, "report '\(name)' has no parameter '\(key)'" +
                              (known.isEmpty ? "" : " (parameters: \(known.sorted().joined(separator: ", ")))"),
                              fieldErrors: [FieldError(field: key, message: "unknown parameter")])
        }
        return try store.read(as: access) { reader in
            let calendar = try reader.workspaceCalendar()
            let c = calendar.dateComponents([.year, .month, .day], from: Date())
            let today = String(format: "%04d-%02d-%02d", c.year ?? 1970, c.month ?? 1, c.day ?? 1)
            var values: [String: ReportArgument] = [:]
            for p in report.parameters {
                if let v = try p.argument(parameters[p.name], today: today, reader: reader) { values[p.name] = v }
            }
            let context = ReportContext(reader: reader, access: access, arguments: ReportArguments(values: values, today: today), language: language)
            return try report.run(context)
        }
    }

    /// Saves (or replaces) an administrator's report `name`; checks the spec first. Returns the record id.
    @discardableResult
    public func saveReport(_ name: String, spec: ReportSpec, as access: AccessGuard) throws -> Int64 {
        try access.requireAdministrator()
        guard ReservedFieldNames.isValidIdentifier(name.replacingOccurrences(of: ".", with: "_")), name == name.lowercased() else {
            throw KernelError(.validation, "report name '\(name)' must be lowercase letters, digits, _ and .",
                              fieldErrors: [FieldError(field: "name", message: "not a report name")])
        }
        if let existing = try allReports().first(where: { $0.name == name }), !isSaved(existing) {
            throw KernelError(.conflict, "report '\(name)' is a built-in or script report; choose another name",
                              fieldErrors: [FieldError(field: "name", message: "taken")])
        }
        try spec.validate(name: name, against: store.schema)
        let input: [String: Value] = ["name": .text(name), "title": .text(spec.title?.zh ?? name),
                                      "spec": .text(try SavedReports.encode(spec)), "roles": .list(spec.roles)]
        return try store.write(as: access) { tx in
            if let id = try tx.reader.system.ids("report_template", where: "name", equals: .text(name), limit: 1).first {
                return try tx.asSystem { try tx.update("report_template", id, input).id }
            }
            return try tx.asSystem { try tx.create("report_template", input).id }
        }
    }

    /// Deletes the administrator's saved report `name`.
    public func deleteReport(_ name: String, as access: AccessGuard) throws {
        try access.requireAdministrator()
        try store.write(as: access) { tx in
            guard let id = try tx.reader.system.ids("report_template", where: "name", equals: .text(name), limit: 1).first else {
                throw KernelError(.notFound, "no saved report '\(name)'")
            }
            try tx.asSystem { try tx.delete("report_template", id) }
        }
    }

    private func isSaved(_ r: ReportDefinition) -> Bool {
        if case .saved = r.origin { return true }
        return false
    }
}
