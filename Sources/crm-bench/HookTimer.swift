import CRMKernel
import Dispatch
import Synchronization

/// Times a workspace's company (script) before-save hooks of one entity in process: each hook
/// call is wrapped in a clock read before and after, so the figure is the time spent inside the
/// hook runner per record (the engine's lock, converting the record to Lua and back, the Lua call
/// with its budget), measured directly instead of as the difference of two whole imports.
final class HookTimer: Sendable {
    private let nanoseconds = Atomic<UInt64>(0)
    private let calls = Atomic<Int>(0)

    /// Mean time per hook call so far, in microseconds (0 before any call).
    var microsecondsPerCall: Double {
        let n = calls.load(ordering: .relaxed)
        return n == 0 ? 0 : Double(nanoseconds.load(ordering: .relaxed)) / 1e3 / Double(n)
    }

    /// Re-applies `workspace`'s company contributions with every before-save hook of `entity`
    /// timed; every other hook and handler stays as it was, in its order.
    func instrument(_ workspace: Workspace, entity: String) throws {
        var company = workspace.companyContributions
        let original = company.hooks
        var hooks = original.withoutEntities([entity])
        for hook in original.beforeSave[entity] ?? [] {
            hooks.onBeforeSave(entity) { [self] ctx in
                let start = DispatchTime.now().uptimeNanoseconds
                defer {
                    nanoseconds.add(DispatchTime.now().uptimeNanoseconds - start, ordering: .relaxed)
                    calls.add(1, ordering: .relaxed)
                }
                try hook(&ctx)
            }
        }
        for hook in original.afterSave[entity] ?? [] { hooks.onAfterSave(entity, hook) }
        for (name, handlers) in original.handlers where name.split(separator: ".").first.map(String.init) == entity {
            for handler in handlers { hooks.on(name, handler) }
        }
        company.hooks = hooks
        try workspace.applyCompany(company)
    }
}
