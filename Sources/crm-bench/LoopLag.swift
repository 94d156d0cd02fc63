import Foundation
import NIOCore
import NIOPosix

/// How late the server's event loops run a task while a load phase goes on: a task on each of
/// NIO's singleton loops (the threads that read, parse and answer every request, and Swift's
/// global executor in `crm serve`) every 2 ms, and how much later than due each one ran. A loop
/// that is kept from its connections — by work done on it, or by waiting for a core — holds
/// their requests back before any handler's clock starts, so the server-side create profile
/// cannot see it; this can.
final class LoopLagProbe: @unchecked Sendable {
    /// Lags by loop, in milliseconds (each list touched only on its own loop until `stop()`).
    private var lags: [[Double]]
    private var tasks: [RepeatedTask] = []
    private static let interval = TimeAmount.milliseconds(2)

    /// Starts probing every loop of NIO's singleton group.
    init() {
        let loops = Array(MultiThreadedEventLoopGroup.singleton.makeIterator())
        lags = Array(repeating: [], count: loops.count)
        for (index, loop) in loops.enumerated() {
            lags[index].reserveCapacity(8192)
            var due = NIODeadline.now() + Self.interval
            tasks.append(loop.scheduleRepeatedTask(initialDelay: Self.interval, delay: Self.interval) { [self] _ in
                let now = NIODeadline.now()
                lags[index].append(Double((now - due).nanoseconds) / 1e6)
                due = now + Self.interval
            })
        }
    }

    /// Stops probing; the longest lag of any loop and how many lags passed 10 ms, in all loops.
    func stop() -> (longest: Double, over10ms: Int) {
        let done = DispatchGroup()
        for task in tasks {
            done.enter()
            let promise = MultiThreadedEventLoopGroup.singleton.next().makePromise(of: Void.self)
            promise.futureResult.whenComplete { _ in done.leave() }
            task.cancel(promise: promise)
        }
        done.wait()
        let all = lags.joined()
        return (all.max() ?? 0, all.filter { $0 > 10 }.count)
    }
}
