import CRMKernel
import Synchronization

/// Times a workspace's company (script) before-save hooks of one entity in process: each hook
/// call is wrapped in two reads of the thread's CPU clock, so the figure is the time spent inside
/// the hook runner per record (the engine's lock, converting the record to Lua and back, the Lua
/// call with its budget), measured directly instead of as the difference of two whole imports.
///
/// CPU time, not wall time: on a shared machine the thread may wait for a core in the middle of
/// a hook, and that wait is not the hook's. Stalls on memory are CPU time and count.
///
/// The thread's CPU clock is a system call, not a read of the vDSO, and between one record's hook
/// and the next the kernel's write evicts its code from the caches: two such reads cost more in
/// place than back to back in a loop (a profile of the hook comparison put half of the timed
/// region's samples inside `clock_gettime`). So the clock's cost is measured in place: the calls
/// take turns, every other one timing the hook and the others timing nothing at the same spot
/// (then running the hook untimed), and the figure is the difference of the two means.
final class HookTimer: Sendable {
    private let hookNanoseconds = Atomic<UInt64>(0)
    private let hookCalls = Atomic<Int>(0)
    private let emptyNanoseconds = Atomic<UInt64>(0)
    private let emptyCalls = Atomic<Int>(0)
    /// What two back-to-back clock reads add to one interval in a tight loop, in nanoseconds.
    let loopClockNanoseconds: Double

    init() {
        let pairs = 10_000
        var total: UInt64 = 0
        for _ in 0..<pairs {
            let start = ThreadClock.nanoseconds()
            total += ThreadClock.nanoseconds() - start
        }
        loopClockNanoseconds = Double(total) / Double(pairs)
    }

    /// What two clock reads add to one interval where the hooks run (the mean of the empty
    /// turns), in nanoseconds; 0 before any.
    var inPlaceClockNanoseconds: Double {
        let n = emptyCalls.load(ordering: .relaxed)
        return n > 0 ? Double(emptyNanoseconds.load(ordering: .relaxed)) / Double(n) : 0
    }

    /// Mean CPU time per hook call so far, in microseconds, without the clock reads as they cost
    /// in place (0 before any call).
    var microsecondsPerCall: Double {
        let n = hookCalls.load(ordering: .relaxed)
        guard n > 0 else { return 0 }
        return max(Double(hookNanoseconds.load(ordering: .relaxed)) / Double(n) - inPlaceClockNanoseconds, 0) / 1e3
    }

    /// Re-applies `workspace`'s company contributions with every before-save hook of `entity`
    /// timed on every other call; every other hook and handler stays as it was, in its order.
    func instrument(_ workspace: Workspace, entity: String) throws {
        var company = workspace.companyContributions
        let original = company.hooks
        var hooks = original.withoutEntities([entity])
        for hook in original.beforeSave[entity] ?? [] {
            // Each hook takes turns of its own: with one counter for all, two hooks of a record
            // would always fall on the same sides.
            let turn = Turn()
            hooks.onBeforeSave(entity) { [self] ctx in
                if turn.next() & 1 == 0 {
                    let start = ThreadClock.nanoseconds()
                    defer {
                        hookNanoseconds.add(ThreadClock.nanoseconds() - start, ordering: .relaxed)
                        hookCalls.add(1, ordering: .relaxed)
                    }
                    try hook(&ctx)
                } else {
                    let start = ThreadClock.nanoseconds()
                    emptyNanoseconds.add(ThreadClock.nanoseconds() - start, ordering: .relaxed)
                    emptyCalls.add(1, ordering: .relaxed)
                    try hook(&ctx)
                }
            }
        }
        for hook in original.afterSave[entity] ?? [] { hooks.onAfterSave(entity, hook) }
        for (name, handlers) in original.handlers where name.split(separator: ".").first.map(String.init) == entity {
            for handler in handlers { hooks.on(name, handler) }
        }
        company.hooks = hooks
        try workspace.applyCompany(company)
    }

    /// A hook's call counter.
    private final class Turn: Sendable {
        private let count = Atomic<Int>(0)
        func next() -> Int { count.add(1, ordering: .relaxed).newValue }
    }
}
