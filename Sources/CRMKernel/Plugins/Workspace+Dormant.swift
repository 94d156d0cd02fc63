extension Workspace {
    /// Entities of built-in modules that are disabled here: script declarations about them lie
    /// dormant (ignored) until the module is enabled again, instead of breaking the pack.
    public func dormantEntities() throws -> Set<String> {
        let enabled = Set(try enabledModules())
        var names = Set<String>()
        for p in registry.plugins where !enabled.contains(p.manifest.id) {
            for e in p.schema.entities { names.insert(e.name) }
        }
        return names
    }
}
