import CRMKernel
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Times a workspace's company (script) before-save hooks of one entity in process: each hook
/// call is wrapped in two reads of the thread's CPU clock, so the figure is the time spent inside
/// the hook runner per record (the engine's lock, converting the record to Lua and back, the Lua
/// call with its budget), measured directly instead of as the difference of two whole imports.
///
/// CPU time, not wall time: on a shared machine the thread may wait for a core in the middle of
/// a hook, and that wait is not the hook's. Stalls on memory are CPU time and count. The cost of
/// the two clock reads themselves is measured once and taken off.
final class HookTimer: Sendable {
    private let nanoseconds = Atomic<UInt64>(0)
    private let calls = Atomic<Int>(0)
    /// What two back-to-back clock reads add to one interval, in nanoseconds.
    private let clockCost: Double

    init() {
        let pairs = 10_000
        var total: UInt64 = 0
        for _ in 0..<pairs {
            let start = Self.cpuNanoseconds()
            total += Self.cpuNanoseconds() - start
        }
        clockCost = Double(total) / Double(pairs)
    }

    /// Mean CPU time per hook call so far, in microseconds, without the clock reads (0 before any call).
    var microsecondsPerCall: Double {
        let n = calls.load(ordering: .relaxed)
        guard n > 0 else { return 0 }
        return max(Double(nanoseconds.load(ordering: .relaxed)) / Double(n) - clockCost, 0) / 1e3
    }

    /// Re-applies `workspace`'s company contributions with every before-save hook of `entity`
    /// timed; every other hook and handler stays as it was, in its order.
    func instrument(_ workspace: Workspace, entity: String) throws {
        var company = workspace.companyContributions
        let original = company.hooks
        var hooks = original.withoutEntities([entity])
        for hook in original.beforeSave[entity] ?? [] {
            hooks.onBeforeSave(entity) { [self] ctx in
                let start = Self.cpuNanoseconds()
                defer {
                    nanoseconds.add(Self.cpuNanoseconds() - start, ordering: .relaxed)
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

    /// The calling thread's CPU time in nanoseconds.
    static func cpuNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
