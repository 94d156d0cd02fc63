import Hummingbird
import NIOCore
import Synchronization

/// Open connections per client address, shared by every connection of one server.
final class ConnectionLimits: Sendable {
    /// Most connections at once from one address.
    let perAddress: Int
    private let open = Mutex<[String: Int]>([:])

    init(perAddress: Int) { self.perAddress = perAddress }

    /// Counts a new connection from `address`; false (and not counted) when it is one too many.
    func admit(_ address: String) -> Bool {
        open.withLock { o in
            let n = o[address, default: 0]
            guard n < perAddress else { return false }
            o[address] = n + 1
            return true
        }
    }

    /// Forgets a closed connection from `address`.
    func release(_ address: String) {
        open.withLock { o in
            let n = (o[address] ?? 1) - 1
            o[address] = n > 0 ? n : nil
        }
    }

    /// Connections open from `address` now (for tests).
    func count(_ address: String) -> Int { open.withLock { $0[address] ?? 0 } }
}

/// Closes a connection at once when its client address already has
/// `ConnectionLimits.perAddress` connections open, so one client cannot hold every socket.
final class ConnectionLimitHandler: ChannelInboundHandler, RemovableChannelHandler {
    /// Everything passes through untouched.
    typealias InboundIn = NIOAny
    private let limits: ConnectionLimits
    private var counted: String?

    init(limits: ConnectionLimits) { self.limits = limits }

    func handlerAdded(context: ChannelHandlerContext) {
        let address = context.channel.remoteAddress?.ipAddress ?? "unknown"
        if limits.admit(address) {
            counted = address
        } else {
            context.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        if let counted { limits.release(counted) }
        counted = nil
    }
}
