import Foundation

/// How `crm serve` runs: where it listens and its limits.
public struct ServerConfiguration: Sendable {
    /// Address to bind.
    public var host: String
    /// Port to bind (0 picks a free one).
    public var port: Int
    /// Largest request body accepted; larger ones get 413.
    public var maxBodyBytes: Int
    /// Largest page a list returns.
    public var maxPageSize: Int
    /// Threads that run store work off the event loops.
    public var workerThreads: Int
    /// Whether the scheduler runs the modules' jobs.
    public var runJobs: Bool
    /// Whether webhooks are delivered.
    public var deliverWebhooks: Bool
    /// Seconds between checks for changed scripts or modules.
    public var reloadCheckInterval: TimeInterval
    /// Whether queued e-mails and text messages are sent (every second). Default true.
    public var sendMessages: Bool = true
    /// Seconds a connection may stay without a complete request head (headers still being
    /// sent, or nothing sent after the last answer) before it is closed. Default 15.
    public var idleTimeout: TimeInterval = 15
    /// Most connections open at once from one client address; more are closed at once.
    /// Default 256.
    public var maxConnectionsPerAddress: Int = 256
    /// Whether to time every API write and background checkpoint (`APIServer.writeProfile`).
    /// Off by default; the benchmark turns it on to see where slow creates spend their time.
    public var profileWrites = false

    /// Creates a configuration.
    public init(host: String = "127.0.0.1", port: Int = 8080, maxBodyBytes: Int = 1 << 20, maxPageSize: Int = 500,
                workerThreads: Int = 8, runJobs: Bool = true, deliverWebhooks: Bool = true, reloadCheckInterval: TimeInterval = 2) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.maxPageSize = maxPageSize
        self.workerThreads = workerThreads
        self.runJobs = runJobs
        self.deliverWebhooks = deliverWebhooks
        self.reloadCheckInterval = reloadCheckInterval
    }
}
