/// Checks the events modules declare at start-up: each consumer reads only events some module
/// publishes (record events `<entity>.after_create/after_update/after_delete` count as published
/// by the module that declares the entity, or by the kernel for its own entities), and consumers
/// have valid, distinct names.
enum EventCatalog {
    /// The record events every entity publishes.
    static let recordEvents = ["after_create", "after_update", "after_delete"]

    /// Every event name some plugin (or the kernel) publishes.
    static func published(by plugins: [any Plugin]) -> Set<String> {
        var names = Set<String>()
        let entities = KernelEntities.declarations.entities.map(\.name) + plugins.flatMap { $0.schema.entities.map(\.name) }
        for entity in entities { for when in recordEvents { names.insert("\(entity).\(when)") } }
        for p in plugins { names.formUnion(p.publishes) }
        names.formUnion(Approvals.events)
        return names
    }

    /// Refuses a consumer of an event nobody publishes, naming the module and the event.
    static func check(_ plugins: [any Plugin]) throws(KernelError) {
        let published = published(by: plugins)
        for p in plugins {
            var seen = Set<String>()
            for c in p.consumers {
                guard ReservedFieldNames.isValidIdentifier(c.name) else {
                    throw KernelError(.validation, "module '\(p.manifest.id)': invalid event consumer name '\(c.name)' (lowercase letters, digits and _)")
                }
                guard seen.insert(c.name).inserted else {
                    throw KernelError(.conflict, "module '\(p.manifest.id)' declares event consumer '\(c.name)' twice")
                }
                guard !c.events.isEmpty else {
                    throw KernelError(.validation, "module '\(p.manifest.id)': event consumer '\(c.name)' consumes no event")
                }
                for event in c.events where !published.contains(event) {
                    throw KernelError(.invalidState,
                        "module '\(p.manifest.id)' consumes event '\(event)' that no module publishes (consumer '\(c.name)'; a module lists the events it publishes in `publishes`)")
                }
            }
        }
    }
}
