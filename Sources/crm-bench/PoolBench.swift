import CRMCustomers
import CRMKernel
import CRMScripting
import Foundation

/// The 公海 auto-reclaim pass over the whole customer book: a dry run (find and count every
/// customer due, list one run's worth) and a real run (move `max_per_run` of them, audited, with
/// their pool events and owner warnings), both as the hourly scheduler runs them.
///
/// Bench customers are all assigned at import time, so the pass is run "31 days later": every
/// owned customer of a grade on the default 30-day follow-up rule is then due.
enum PoolBench {
    struct Results: Codable {
        /// Seconds for the dry run.
        var dryRunSeconds: Double
        /// Seconds for the real run.
        var realRunSeconds: Double
        /// Customers due in all.
        var due: Int
        /// Customers moved by the real run (capped by `max_per_run`).
        var moved: Int
    }

    static func measure(_ host: ScriptHost) throws -> Results {
        let store = host.workspace.store
        let later = Date().addingTimeInterval(31 * 86_400)
        func time<T>(_ body: () throws -> T) rethrows -> (T, Double) {
            let start = DispatchTime.now().uptimeNanoseconds
            let value = try body()
            return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let (dry, dryTime) = try time { try store.read { reader in try PoolReclaim.preview(reader, now: later) } }
        let (real, realTime) = try time { try store.write(as: .system) { tx in try PoolReclaim.run(tx, now: later, dryRun: false) } }
        return Results(dryRunSeconds: dryTime, realRunSeconds: realTime, due: dry.due, moved: real.moves.count)
    }
}
