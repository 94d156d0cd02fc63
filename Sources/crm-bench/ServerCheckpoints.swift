import CRMKernel
import Foundation

/// Checkpoints as `crm serve` runs them, for a section that times writes in this process: SQLite's
/// automatic checkpoints (which the committing writer runs, with their `fdatasync`s) off, and
/// the server's checkpoint round every 500 ms on a thread of its own. Routing a ticket and
/// capturing a lead happen in the server; timed with automatic checkpoints, 2–3 writes in 200
/// paid for a checkpoint's two syncs (2–7 ms each on this disk), which no server request does.
enum ServerCheckpoints {
    /// The server's interval between checkpoint rounds.
    static let interval = 0.5

    /// Runs `body` with the store checkpointed as the server does it; afterwards automatic
    /// checkpoints are on again.
    static func around<T>(_ store: RecordStore, _ body: () throws -> T) throws -> T {
        let checkpointer = try store.makeCheckpointer()
        try store.setAutomaticCheckpoints(false)
        defer { try? store.setAutomaticCheckpoints(true) }
        let stop = DispatchSemaphore(value: 0), stopped = DispatchSemaphore(value: 0)
        let thread = Thread {
            while stop.wait(timeout: .now() + interval) == .timedOut { _ = try? store.checkpoint(using: checkpointer) }
            stopped.signal()
        }
        thread.start()
        defer {
            stop.signal()
            stopped.wait()
        }
        return try body()
    }
}
