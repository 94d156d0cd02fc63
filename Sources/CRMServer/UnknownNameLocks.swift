import Foundation
import Synchronization

/// Failed sign-ins for names that are not (active) users, counted and locked exactly as a real
/// account's are (`Accounts.lockAfter` failures lock the name for `Accounts.lockDuration`), so
/// the answers never tell whether a name exists. Kept in memory: names that do not exist have
/// no row to count in; at most `capacity` names are tracked (expired entries go first).
final class UnknownNameLocks: Sendable {
    private struct Entry {
        var failures: Int
        var lockedUntil: Date?
    }
    private let entries = Mutex<[String: Entry]>([:])
    private let capacity = 10_000

    /// When the name is locked until, if it is locked at `now`.
    func lockedUntil(_ name: String, now: Date) -> Date? {
        entries.withLock { e in
            guard let until = e[name.lowercased()]?.lockedUntil else { return nil }
            if until > now { return until }
            e[name.lowercased()] = nil
            return nil
        }
    }

    /// Counts a failure; locks the name after `limit` of them.
    func recordFailure(_ name: String, limit: Int, lockUntil: Date, now: Date) {
        entries.withLock { e in
            if e.count >= capacity {
                e = e.filter { ($0.value.lockedUntil ?? .distantPast) > now }
                if e.count >= capacity { e.removeAll() }
            }
            var entry = e[name.lowercased()] ?? Entry(failures: 0, lockedUntil: nil)
            entry.failures += 1
            if entry.failures >= limit { entry = Entry(failures: 0, lockedUntil: lockUntil) }
            e[name.lowercased()] = entry
        }
    }
}
