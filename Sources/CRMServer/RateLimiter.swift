import CRMKernel
import Foundation
import Synchronization

/// Counts requests to public routes per key (route and client address) in fixed windows.
final class RateLimiter: Sendable {
    private let windows = Mutex<[String: (start: Date, count: Int)]>([:])

    /// Nil when the request may go ahead (and counts it); otherwise the seconds to wait.
    func admit(_ key: String, limit: RateLimit, now: Date = Date()) -> Int? {
        windows.withLock { windows in
            if windows.count > 50_000 { windows = windows.filter { now.timeIntervalSince($0.value.start) < 3_600 } }
            var window = windows[key] ?? (now, 0)
            let elapsed = now.timeIntervalSince(window.start)
            if elapsed >= Double(limit.seconds) { window = (now, 0) }
            guard window.count < limit.requests else {
                return max(1, Int((Double(limit.seconds) - now.timeIntervalSince(window.start)).rounded(.up)))
            }
            window.count += 1
            windows[key] = window
            return nil
        }
    }
}
