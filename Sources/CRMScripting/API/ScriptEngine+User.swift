import CRMKernel

extension ScriptEngine {
    /// Makes `name` the acting user for console and `crm run` writes (audited as that user).
    public func act(as name: String) throws {
        let found = try workspace.store.find(Query("user", filter: .eq("name", .text(name)), limit: 1)).records.first
        guard let record = found else { throw KernelError(.notFound, "unknown user '\(name)'") }
        let acting = ActingUser(id: record.id, name: name, role: record["role"].textValue)
        let guardian = try workspace.store.read { try AccessGuard(user: acting, schema: $0.schema, reader: $0) }
        locked {
            user = acting
            // Administrators keep a guard too: it allows everything but reading secret fields.
            access = guardian
        }
    }

    /// The permissions that apply to a data call now: the acting user's, outside hooks only.
    var callerAccess: AccessGuard? { transactions.isEmpty ? (policyAccess.last ?? access) : nil }

    /// Throws unless the caller may do `action` on `entity`; returns the guard when one applies.
    func permit(_ action: AccessAction, _ entity: String) throws(LuaError) -> AccessGuard? {
        guard let guardian = callerAccess else { return nil }
        do { try guardian.require(action, on: entity) } catch { throw Self.luaError(error) }
        return guardian
    }
}
