/// The plugins built into this binary, ordered so every plugin comes after its dependencies.
public struct PluginRegistry: Sendable {
    /// Plugins in dependency order.
    public let plugins: [any Plugin]
    /// Every plugin's pages and sections (`Plugin.pages`), by plugin in dependency order, each
    /// list in the plugin's declaration order. Read once here: a plugin builds its page list
    /// anew at each call (finding each template's folder on disk), and the web interface needs
    /// the list at every request for the menu and the sections.
    public let pages: [(module: String, pages: [PluginPage])]

    /// Orders `plugins` by dependency; refuses duplicate ids, unknown dependencies, cycles,
    /// consumers of events no module publishes (`EventCatalog`), grants and functions on
    /// undeclared entities, and commands, routes or pages that clash (`ModuleContributionCheck`).
    public init(_ plugins: [any Plugin]) throws(KernelError) {
        var byID: [String: any Plugin] = [:]
        for p in plugins {
            guard ReservedFieldNames.isValidIdentifier(p.manifest.id) else {
                throw KernelError(.validation, "invalid plugin id '\(p.manifest.id)'")
            }
            guard byID[p.manifest.id] == nil else { throw KernelError(.conflict, "plugin '\(p.manifest.id)' is registered twice") }
            byID[p.manifest.id] = p
        }
        for p in plugins {
            for d in p.manifest.dependencies where byID[d] == nil {
                throw KernelError(.invalidState, "plugin '\(p.manifest.id)' depends on unknown plugin '\(d)'")
            }
        }
        var ordered: [any Plugin] = []
        var state: [String: Int] = [:] // 1 visiting, 2 done
        func visit(_ id: String, _ path: [String]) throws(KernelError) {
            if state[id] == 2 { return }
            if state[id] == 1 {
                throw KernelError(.invalidState, "plugin dependency cycle: " + (path + [id]).joined(separator: " → "))
            }
            state[id] = 1
            for d in byID[id]!.manifest.dependencies { try visit(d, path + [id]) }
            state[id] = 2
            ordered.append(byID[id]!)
        }
        for p in plugins { try visit(p.manifest.id, []) }
        try EventCatalog.check(ordered)
        try Self.checkContributions(ordered)
        try ModuleContributionCheck.check(ordered)
        self.plugins = ordered
        pages = ordered.map { ($0.manifest.id, $0.pages) }
    }

    /// The plugin with `id`, or nil.
    public func plugin(_ id: String) -> (any Plugin)? {
        plugins.first { $0.manifest.id == id }
    }

    /// The pages and sections plugin `id` declares (empty for an unknown id).
    public func pages(of id: String) -> [PluginPage] {
        pages.first { $0.module == id }?.pages ?? []
    }

    /// Ids of plugins that depend directly on `id`.
    public func dependents(of id: String) -> [String] {
        plugins.filter { $0.manifest.dependencies.contains(id) }.map(\.manifest.id)
    }
}
