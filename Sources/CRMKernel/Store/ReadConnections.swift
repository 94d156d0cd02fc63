import Foundation
import GRDB
import Synchronization

/// Read-only connections for the API's hot reads (a record by id, a page, a web page's reads),
/// kept beside GRDB's `DatabasePool`: a connection is taken from a free list under a `Mutex`
/// and given back after the read.
///
/// Why not the pool's readers: getting one goes through a semaphore and a barrier on a
/// concurrent dispatch queue, which two event-loop threads contend for on every read (futex
/// waits and thread wake-ups, about 8 % of a GET by id's CPU under load on 2 cores). Here the
/// lock is held for a push or a pop. At most `limit` connections are opened (lazily); when all
/// are busy (long reports, more threads than cores), a read falls back to the pool.
final class ReadConnections: Sendable {
    private let path: String
    private let configuration: GRDB.Configuration
    private let limit: Int
    private let idle = Mutex<(free: [DatabaseQueue], opened: Int)>(([], 0))

    /// Connections to the database at `path`, opened with `configuration` made read-only.
    init(path: String, configuration: GRDB.Configuration, limit: Int = max(2, ProcessInfo.processInfo.activeProcessorCount)) {
        var configuration = configuration
        configuration.readonly = true
        self.path = path
        self.configuration = configuration
        self.limit = limit
    }

    /// Runs `body` on a free connection (in a read transaction when `isolated`), or returns nil
    /// when all `limit` connections are busy, so that the caller reads another way.
    func read<T>(isolated: Bool, _ body: (Database) throws -> T) throws -> T? {
        guard let queue = try take() else { return nil }
        defer { idle.withLock { $0.free.append(queue) } }
        return isolated ? try queue.read(body) : try queue.unsafeRead(body)
    }

    /// A free connection, a new one while fewer than `limit` are open, or nil.
    private func take() throws -> DatabaseQueue? {
        enum Next { case use(DatabaseQueue), open, none }
        let next: Next = idle.withLock { state in
            if let queue = state.free.popLast() { return .use(queue) }
            guard state.opened < limit else { return .none }
            state.opened += 1
            return .open
        }
        switch next {
        case .use(let queue): return queue
        case .none: return nil
        case .open:
            do { return try DatabaseQueue(path: path, configuration: configuration) } catch {
                idle.withLock { $0.opened -= 1 }
                throw error
            }
        }
    }
}
