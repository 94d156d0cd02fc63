import CRMKernel

extension ScriptEngine {
    /// Makes `name` the acting user for console and `crm run` writes (audited as that user).
    public func act(as name: String) throws {
        let found = try workspace.store.find(Query("user", filter: .eq("name", .text(name)), limit: 1)).records.first
        guard let record = found else { throw KernelError(.notFound, "unknown user '\(name)'") }
        locked { user = ActingUser(id: record.id, name: name, role: record["role"].textValue) }
    }
}
