import Foundation

/// Delivers queued messages after their transaction committed: what `crm serve`'s sender runs
/// every second and `crm messages send-pending` runs once.
///
/// A pass first claims due messages in one transaction (status 发送中 with a lease), then sends
/// each and records the outcome in another. Claiming is a write, so two senders (a server and the
/// command line) never claim the same message; a message whose sender died mid-send is found with
/// its lease run out and marked 失败 rather than sent again, so nothing goes out twice.
/// Transient failures are retried with doubling waits (`messages.retry_seconds`) up to
/// `messages.max_attempts`; permanent ones fail at once.
public struct MessageDelivery: Sendable {
    /// The workspace's store.
    public let store: RecordStore
    /// How long a claim holds before an unfinished send counts as interrupted.
    public var claimLease: TimeInterval = 600
    /// Builds the transports for the settings in force (a channel left out is not configured).
    let transports: @Sendable (MessageSettings) -> [MessageChannel: any MessageTransport]

    /// A sender over SMTP and the SMS gateway as the workspace settings say.
    public init(store: RecordStore) {
        self.store = store
        self.transports = { settings in
            var list: [MessageChannel: any MessageTransport] = [:]
            if let email = settings.email { list[.email] = SMTPClient(settings: email) }
            if let sms = settings.sms { list[.sms] = SMSGateway(settings: sms) }
            return list
        }
    }

    /// Sends what is due at `now` (at most `limit` messages) and reports what happened.
    public func deliverDue(now: Date = Date(), limit: Int = 100) async throws -> MessageDeliveryReport {
        let settings = try MessageSettings.load(from: store)
        let transports = self.transports(settings)
        var report = MessageDeliveryReport()
        let lease = claimLease
        let claimed = try store.write(as: .system) { tx -> [QueuedMessage] in
            report.interrupted = try Self.failInterrupted(tx, now: now)
            let channels = transports.keys.map(\.rawValue).sorted()
            report.unconfigured = try Self.waitingWithoutTransport(tx, configured: channels, now: now)
            guard !channels.isEmpty else { return [] }
            let due = try tx.reader.find(Query("message", filter: .all([
                .eq("status", .text(MessageStatus.pending.rawValue)),
                .condition(field: "channel", op: .in, value: .list(channels)),
                .condition(field: "next_attempt_at", op: .le, value: .datetime(now)),
            ]), sort: [SortKey("id")], limit: limit)).records
            return try due.compactMap { record in
                try tx.update("message", record.id, ["status": .text(MessageStatus.sending.rawValue),
                                                     "claimed_until": .datetime(now.addingTimeInterval(lease))])
                return QueuedMessage(record)
            }
        }
        for message in claimed {
            guard let transport = transports[message.channel] else { continue }
            let outcome: Result<String?, MessageDeliveryError>
            do {
                outcome = .success(try await transport.deliver(message))
            } catch let error as MessageDeliveryError {
                outcome = .failure(error)
            } catch {
                outcome = .failure(MessageDeliveryError("\(error)", permanent: false))
            }
            let status = try record(outcome, for: message, settings: settings, at: Date())
            switch status {
            case .sent: report.sent += 1
            case .pending: report.retrying += 1
            default: report.failed += 1
            }
        }
        return report
    }

    /// Writes one delivery's outcome; returns the message's new status.
    private func record(_ outcome: Result<String?, MessageDeliveryError>, for message: QueuedMessage,
                        settings: MessageSettings, at now: Date) throws -> MessageStatus {
        let attempts = message.attempts + 1
        return try store.write(as: .system) { tx in
            var changes: [String: Value] = ["attempts": .integer(Int64(attempts)), "claimed_until": .null]
            let status: MessageStatus
            switch outcome {
            case .success(let providerID):
                status = .sent
                changes["sent_at"] = .datetime(now)
                changes["last_error"] = .null
                changes["next_attempt_at"] = .null
                if let providerID { changes["provider_id"] = .text(String(providerID.prefix(200))) }
            case .failure(let error):
                changes["last_error"] = .text(String(error.message.prefix(1000)))
                if error.permanent || attempts >= settings.maxAttempts {
                    status = .failed
                    changes["next_attempt_at"] = .null
                } else {
                    status = .pending
                    changes["next_attempt_at"] = .datetime(now.addingTimeInterval(settings.backoff(afterAttempt: attempts)))
                }
            }
            changes["status"] = .text(status.rawValue)
            try tx.update("message", message.id, changes)
            return status
        }
    }

    /// Marks messages whose claim ran out as failed: the send may or may not have happened, and
    /// sending again could send twice. Returns how many.
    static func failInterrupted(_ tx: WriteContext, now: Date) throws -> Int {
        let stale = try tx.reader.find(Query("message", filter: .all([
            .eq("status", .text(MessageStatus.sending.rawValue)),
            .condition(field: "claimed_until", op: .lt, value: .datetime(now)),
        ]), limit: 1000)).records
        for r in stale {
            try tx.update("message", r.id, ["status": .text(MessageStatus.failed.rawValue), "claimed_until": .null,
                                            "last_error": .text("发送中断，结果未知；为免重复未自动重发（可用 crm messages retry 重发）")])
        }
        return stale.count
    }

    /// Due messages per channel that has no transport configured.
    static func waitingWithoutTransport(_ tx: WriteContext, configured: [String], now: Date) throws -> [MessageChannel: Int] {
        var waiting: [MessageChannel: Int] = [:]
        for channel in MessageChannel.allCases where !configured.contains(channel.rawValue) {
            let n = try tx.reader.count("message", filter: .all([.eq("status", .text(MessageStatus.pending.rawValue)),
                                                                 .eq("channel", .text(channel.rawValue))]))
            if n > 0 { waiting[channel] = n }
        }
        return waiting
    }
}

/// What one delivery pass did.
public struct MessageDeliveryReport: Sendable, Hashable, CustomStringConvertible {
    /// Messages accepted by the server or gateway.
    public var sent = 0
    /// Messages that failed for now and wait for a retry.
    public var retrying = 0
    /// Messages given up in this pass.
    public var failed = 0
    /// Messages found interrupted mid-send and marked failed.
    public var interrupted = 0
    /// Messages waiting on a channel with no settings.
    public var unconfigured: [MessageChannel: Int] = [:]

    /// `sent 3, retrying 1, failed 0` plus what is waiting for settings.
    public var description: String {
        var text = "sent \(sent), retrying \(retrying), failed \(failed)"
        if interrupted > 0 { text += ", interrupted \(interrupted)" }
        for (channel, n) in unconfigured.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            text += "; \(n) \(channel.rawValue) waiting (messages.\(channel.rawValue).* not configured)"
        }
        return text
    }
}
