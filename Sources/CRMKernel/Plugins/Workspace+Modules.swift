import Foundation
import GRDB

extension Workspace {
    /// Enables a module: its entities, fields and hooks come back (with their data) and its
    /// pending migrations run. Refused while a module it depends on is disabled.
    public func enable(_ id: String) throws {
        guard let plugin = registry.plugin(id) else { throw unknownModule(id) }
        let enabled = try enabledModules()
        if enabled.contains(id) { return }
        let missing = plugin.manifest.dependencies.filter { !enabled.contains($0) }
        guard missing.isEmpty else {
            throw KernelError(.invalidState, "cannot enable \(id): it depends on disabled module(s) \(missing.joined(separator: ", ")); enable them first")
        }
        try setEnabled(id, true)
        do { try reconfigure() } catch {
            try setEnabled(id, false)
            try? reconfigure()
            throw error
        }
    }

    /// Disables a module: its data stays, its entities, fields and hooks are withdrawn.
    /// Refused while an enabled module depends on it (the error names them).
    public func disable(_ id: String) throws {
        guard registry.plugin(id) != nil else { throw unknownModule(id) }
        let enabled = try enabledModules()
        if !enabled.contains(id) { return }
        let blockers = registry.dependents(of: id).filter(enabled.contains)
        guard blockers.isEmpty else {
            throw KernelError(.invalidState, "cannot disable \(id): enabled module(s) \(blockers.joined(separator: ", ")) depend on it; disable them first")
        }
        try setEnabled(id, false)
        do { try reconfigure() } catch {
            try setEnabled(id, true)
            try? reconfigure()
            throw error
        }
    }

    private func setEnabled(_ id: String, _ on: Bool) throws {
        try store.translate {
            try store.pool.write { db in
                try db.execute(sql: "UPDATE _module SET enabled = ?, changed_at = ? WHERE id = ?", arguments: [on ? 1 : 0, DateCoding.iso(Date()), id])
            }
        }
    }

    private func unknownModule(_ id: String) -> KernelError {
        KernelError(.notFound, "unknown module '\(id)' (known: \(registry.plugins.map(\.manifest.id).joined(separator: ", ")))")
    }
}
