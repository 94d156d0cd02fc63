import Foundation
import NIOCore
import NIOPosix

/// How late the server's event loops run a task while a load phase goes on: a task on each of
/// NIO's singleton loops (the threads that read, parse and answer every request, and Swift's
/// global executor in `crm serve`) every 2 ms, and how much later than due each one ran. A loop
/// that is kept from its connections — by work done on it, or by waiting for a core — holds
/// their requests back before any handler's clock starts, so the server-side create profile
/// cannot see it; this can.
final class LoopLagProbe: Sendable {
    /// One loop's probe: when its task is next due and how late each run was, in milliseconds.
    /// Touched only by its loop's task until `stop()` has cancelled that task.
    private final class Lags: @unchecked Sendable {
        var due = NIODeadline.now() + LoopLagProbe.interval
        var values: [Double] = []
    }

    private static let interval = TimeAmount.milliseconds(2)
    private let perLoop: [Lags]
    private let tasks: [RepeatedTask]

    /// Starts probing every loop of NIO's singleton group.
    init() {
        let loops = Array(MultiThreadedEventLoopGroup.singleton.makeIterator())
        perLoop = loops.map { _ in Lags() }
        tasks = zip(loops, perLoop).map { loop, lags in
            lags.values.reserveCapacity(8192)
            return loop.scheduleRepeatedTask(initialDelay: Self.interval, delay: Self.interval) { _ in
                let now = NIODeadline.now()
                lags.values.append(Double((now - lags.due).nanoseconds) / 1e6)
                lags.due = now + Self.interval
            }
        }
    }

    /// Stops probing (waiting until no task can run again); the longest lag of any loop and how
    /// many lags passed 10 ms, in all loops.
    func stop() -> (longest: Double, over10ms: Int) {
        let done = DispatchGroup()
        for task in tasks {
            done.enter()
            let promise = MultiThreadedEventLoopGroup.singleton.next().makePromise(of: Void.self)
            promise.futureResult.whenComplete { _ in done.leave() }
            task.cancel(promise: promise)
        }
        done.wait()
        let all = perLoop.flatMap(\.values)
        return (all.max() ?? 0, all.filter { $0 > 10 }.count)
    }
}
