import CRMKernel
import CRMScripting
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The work `crm serve` does beside answering requests, each a service that stops on shutdown:
/// the modules' scheduled jobs, durable event consumers, webhook delivery, outbound messages, WAL checkpoints, the built-in
/// contributors' background work (`ServerContributor`), and reloading when the
/// script pack or the enabled modules change on disk.
struct BackgroundServices {
    let server: APIServer

    var all: [any Service] {
        let watcher = ReloadWatcher(server: server)
        let checkpointer = try? server.store.makeCheckpointer()
        var list: [any Service] = [
            // Blocking work runs on the worker threads, never on the threads that serve requests.
            Loop(name: "checkpoint", interval: .milliseconds(500), logger: server.logger) {
                guard let checkpointer else { return }
                let start = WriteProfiler.now()
                // No `previous:` round, so no idle trim: emptying the log when idle raised the
                // benchmark's peak RSS by about 70 MiB at 1,000,000 customers (BENCHMARKS.md,
                // eighteenth session); the file keeps its length up to the policy's limit.
                let round = try await server.blocking { try server.store.checkpoint(using: checkpointer) }
                if let profiler = server.profiler {
                    profiler.add(CheckpointTiming(round, start: start, end: WriteProfiler.now(), profiler: profiler))
                }
            },
            Loop(name: "reload-watch", interval: .seconds(server.configuration.reloadCheckInterval), logger: server.logger) {
                try await server.blocking { try watcher.check() }
            },
        ]
        list += ConsumerServices.services(server)
        for contributor in server.contributors {
            list += contributor.backgroundWork(for: server).map { work in
                Loop(name: work.name, interval: work.interval, logger: server.logger, body: work.body)
            }
        }
        if server.configuration.runJobs {
            let scheduler = JobScheduler(server: server)
            list.append(Loop(name: "scheduler", interval: .seconds(1), logger: server.logger) {
                try await server.blocking { scheduler.tick(now: Date()) }
            })
        }
        if server.configuration.deliverWebhooks {
            let delivery = WebhookDelivery(store: server.store, logger: server.logger, threads: server.threads)
            list.append(Loop(name: "webhooks", interval: .milliseconds(250), logger: server.logger) { await delivery.deliverDue() })
        }
        if server.configuration.sendMessages {
            let sender = MessageDelivery(store: server.store)
            let logger = server.logger
            list.append(Loop(name: "messages", interval: .seconds(1), logger: server.logger) {
                let report = try await sender.deliverDue()
                if report.sent + report.retrying + report.failed + report.interrupted > 0 {
                    logger.info("messages", metadata: ["result": "\(report)"])
                }
            })
        }
        return list
    }
}

/// Runs `body` every `interval` until graceful shutdown; an error is logged and the loop goes on.
struct Loop: Service {
    let name: String
    let interval: Duration
    let logger: Logger
    let body: @Sendable () async throws -> Void

    init(name: String, interval: Duration, logger: Logger, body: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.interval = interval
        self.logger = logger
        self.body = body
    }

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    do { try await body() } catch { logger.warning("\(name) failed: \(error)") }
                    try await Task.sleep(for: interval)
                }
            }
        } catch is CancellationError {
            // Shutting down.
        }
    }
}

/// Runs each enabled module's jobs when their schedule says they are due. Last runs are kept in
/// the workspace database (`Workspace.runDueJobs`), so a restart runs only what is due.
final class JobScheduler: Sendable {
    let server: APIServer

    init(server: APIServer) { self.server = server }

    func tick(now: Date) {
        do {
            for result in try server.host.workspace.runDueJobs(now: now) {
                if result.succeeded { server.logger.info("job", metadata: ["job": "\(result.id)", "result": "\(result.summary)"]) }
                else { server.logger.error("job failed", metadata: ["job": "\(result.id)", "error": "\(result.summary)"]) }
            }
        } catch {
            server.logger.error("scheduler: \(error)")
        }
    }
}

/// Notices changes made outside the server (`crm modules disable`, an edited script) and
/// reloads, so the API follows at once without a restart.
final class ReloadWatcher: Sendable {
    private let server: APIServer
    private let last = Mutex<String?>(nil)

    init(server: APIServer) { self.server = server }

    /// The enabled modules plus each script file's path, size and modification time.
    func signature() throws -> String {
        var parts = try server.host.workspace.enabledModules()
        let fm = FileManager.default
        let dir = server.host.workspace.scriptsDirectory
        if let files = fm.enumerator(at: dir, includingPropertiesForKeys: [.contentModificationDateKey, .fileSizeKey]) {
            for case let url as URL in files where url.pathExtension == "lua" {
                let v = try? url.resourceValues(forKeys: [.contentModificationDateKey, .fileSizeKey])
                parts.append("\(url.path):\(v?.fileSize ?? 0):\(v?.contentModificationDate?.timeIntervalSince1970 ?? 0)")
            }
        }
        return parts.sorted().joined(separator: "|")
    }

    func check() throws {
        let now = try signature()
        let previous = last.withLock { old -> String? in defer { old = now }; return old }
        guard let previous, previous != now else { return }
        server.logger.info("scripts or modules changed; reloading")
        try server.reload()
    }
}
