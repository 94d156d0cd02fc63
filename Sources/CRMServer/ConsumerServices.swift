import CRMKernel
import Foundation
import Logging
import ServiceLifecycle

/// The durable event consumers' part of `crm serve`: a catch-up before the server listens (so
/// what a process killed between a commit and its reactions left behind is handled first), a
/// background pass every second (for events committed by other processes, and retries after
/// backoff), and an hourly prune of the outbox history.
enum ConsumerServices {
    /// How often the background pass runs.
    static let interval: Duration = .seconds(1)
    /// How often the outbox is pruned.
    static let pruneInterval: Duration = .seconds(3600)

    /// Runs every consumer over what waits for it, logging failures (they stay visible in
    /// `crm events`).
    static func catchUp(_ server: APIServer) async throws {
        let report = try await server.blocking { server.store.drainConsumers() }
        log(report, server.logger)
    }

    /// The background loops.
    static func services(_ server: APIServer) -> [any Service] {
        [
            Loop(name: "event-consumers", interval: interval, logger: server.logger) { try await catchUp(server) },
            Loop(name: "outbox-prune", interval: pruneInterval, logger: server.logger) {
                let deleted = try await server.blocking { try server.store.pruneOutbox() }
                if deleted > 0 { server.logger.info("outbox pruned", metadata: ["crm.deleted": "\(deleted)"]) }
            },
        ]
    }

    private static func log(_ report: DrainReport, _ logger: Logger) {
        for (id, message) in report.failures.sorted(by: { $0.key < $1.key }) {
            logger.warning("event consumer failed; it will be retried", metadata: ["crm.consumer": "\(id)", "error": "\(message)"])
        }
    }
}
