import CRMKernel
import Foundation
import Logging
import NIOPosix
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Delivers outbox events to the webhooks admins registered (`webhook` records).
///
/// Each webhook reads the outbox from its own cursor (kept in the database, so deliveries
/// survive a restart), in order: a failed delivery is retried with exponential backoff and the
/// events behind it wait. Bodies are signed: `X-CRM-Signature: sha256=<HMAC of the body>`.
final class WebhookDelivery: Sendable {
    private let store: RecordStore
    private let logger: Logger
    private let session: URLSession
    private let threads: NIOThreadPool
    /// Backoff per webhook id: failures so far and when to try again.
    private let backoff = Mutex<[Int64: (failures: Int, retryAt: Date)]>([:])
    static let maxBackoff: TimeInterval = 300

    init(store: RecordStore, logger: Logger, threads: NIOThreadPool) {
        self.store = store
        self.logger = logger
        self.threads = threads
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = 10
        session = URLSession(configuration: config)
    }

    /// Whether `event` is one `patterns` subscribes to (`customer.after_create`, `customer.*`, `*`).
    static func matches(_ event: String, _ patterns: [String]) -> Bool {
        patterns.contains { p in
            p == "*" || p == event || (p.hasSuffix(".*") && event.hasPrefix(String(p.dropLast(1))))
        }
    }

    /// One pass: each active webhook not in backoff delivers what is waiting for it.
    func deliverDue(now: Date = Date()) async {
        let store = self.store
        guard store.schema.entities["webhook"] != nil,
              let hooks = try? await threads.runIfActive({ try store.find(Query("webhook", filter: .eq("active", .bool(true)), limit: 100)).records })
        else { return }
        for hook in hooks {
            if let b = backoff.withLock({ $0[hook.id] }), b.retryAt > now { continue }
            await deliver(hook)
        }
    }

    private func deliver(_ hook: Record) async {
        let consumer = "webhook:\(hook.id)"
        guard case .text(let urlText) = hook["url"], let url = URL(string: urlText), case .text(let secret) = hook["secret"] else { return }
        let patterns: [String]
        if case .list(let l) = hook["events"] { patterns = l } else { patterns = [] }
        var since = ""
        if case .datetime(let d) = hook["created_at"] { since = DateCoding.iso(d) }
        let store = self.store
        do {
            var cursor = try await threads.runIfActive { try store.outboxCursor(consumer) }
            while true {
                let after = cursor
                let entries = try await threads.runIfActive { try store.outbox(after: after, limit: 100) }
                if entries.isEmpty { return }
                for entry in entries {
                    if entry.at >= since, Self.matches(entry.event, patterns) {
                        try await post(entry, to: url, secret: secret, hookID: hook.id)
                    }
                    cursor = entry.seq
                    let done = cursor
                    try await threads.runIfActive { try store.acknowledgeOutbox(consumer, upTo: done) }
                }
            }
        } catch {
            let (failures, retryAt) = backoff.withLock { state -> (Int, Date) in
                let n = (state[hook.id]?.failures ?? 0) + 1
                state[hook.id] = (n, Date().addingTimeInterval(min(Self.maxBackoff, pow(2, Double(n - 1)))))
                return (n, state[hook.id]!.retryAt)
            }
            logger.warning("webhook \(hook.id) delivery failed (attempt \(failures)): \(error)")
            // Visible in `crm events` and GET /api/v1/admin/events until the next success.
            let message = "\(error)"
            _ = try? await threads.runIfActive { try store.recordOutboxFailure(consumer, message, attempts: failures, retryAt: retryAt) }
        }
    }

    private func post(_ entry: OutboxEntry, to url: URL, secret: String, hookID: Int64) async throws {
        var w = JSONWriter()
        w.raw("{\"id\":\(entry.seq),\"event\":"); w.string(entry.event)
        w.raw(",\"entity\":"); w.string(entry.entity)
        w.raw(",\"record_id\":"); w.value(entry.recordID.map(Value.integer) ?? .null)
        w.raw(",\"user_id\":"); w.value(entry.userID.map(Value.integer) ?? .null)
        w.raw(",\"at\":"); w.string(entry.at)
        w.raw(",\"data\":"); w.raw(entry.payload.isEmpty ? "null" : entry.payload)
        w.raw("}")
        let body = Data(w.bytes)
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(entry.event, forHTTPHeaderField: "X-CRM-Event")
        request.setValue(String(entry.seq), forHTTPHeaderField: "X-CRM-Delivery")
        request.setValue("sha256=" + CredentialCodec.signature(body, secret: secret), forHTTPHeaderField: "X-CRM-Signature")
        let (_, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse, (200..<300).contains(http.statusCode) else {
            throw APIError(.badGateway, "webhook \(hookID) answered \((response as? HTTPURLResponse)?.statusCode ?? 0)")
        }
        backoff.withLock { _ = $0.removeValue(forKey: hookID) }
    }
}
