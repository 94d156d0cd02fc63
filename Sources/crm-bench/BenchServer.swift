import CRMKernel
import CRMScripting
import CRMServer
import Foundation
import Logging

/// `crm serve`'s server started in this process on 127.0.0.1 (a free port) for one bench
/// section, with an admin token (`bench_admin`, created when missing); `stop()` cancels it.
/// The HTTP section (`HTTPBench`) and the web section (`WebBench`) both run on one.
final class BenchServer {
    /// The server (for its write profile).
    let server: APIServer
    /// The port it listens on.
    let port: Int
    /// A bearer token of `bench_admin`.
    let token: String
    private let task: Task<Void, any Error>

    /// Starts the server with `configuration` (its host and port are set here) and
    /// `contributors`, and waits up to 30 s for it to listen.
    init(_ host: ScriptHost, label: String, configuration: ServerConfiguration = ServerConfiguration(), contributors: [any ServerContributor] = []) throws {
        var logger = Logger(label: "crm.bench.\(label)")
        logger.logLevel = .critical  // cancelling the server task at the end logs harmless shutdown errors
        var configuration = configuration
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.runJobs = false
        configuration.deliverWebhooks = false
        let server = APIServer(host: host, configuration: configuration, logger: logger, contributors: contributors)
        let store = host.workspace.store
        if try store.count("user", filter: .eq("name", .text("bench_admin"))) == 0 {
            try store.create("user", ["name": .text("bench_admin"), "role": .text("admin")])
        }
        token = try Accounts(store: store).createToken(for: "bench_admin", label: "bench-\(label)", expiresAt: try TokenLifetime.expiry(days: nil, field: "days"), by: .system).token
        let ready = DispatchSemaphore(value: 0)
        let portBox = PortBox()
        task = Task {
            try await server.run { port in
                portBox.set(port)
                ready.signal()
            }
        }
        guard ready.wait(timeout: .now() + 30) == .success else {
            task.cancel()
            throw HTTPConnection.Failure(description: "server did not start")
        }
        self.server = server
        port = portBox.get()
    }

    /// Stops the server.
    func stop() { task.cancel() }
}

/// The bound port, handed from the server task to the bench thread.
final class PortBox: @unchecked Sendable {
    private let lock = NSLock()
    private var port = 0
    func set(_ p: Int) { lock.withLock { port = p } }
    func get() -> Int { lock.withLock { port } }
}
