import Foundation

/// Reading and managing the outbox of messages (administrators; the access of the reader or
/// transaction given applies).
public enum Messages {
    /// Messages newest first, optionally only those with `status`, or from `source`.
    public static func list(status: MessageStatus? = nil, source: String? = nil, limit: Int = 50,
                            in reader: RecordReader) throws -> [Record] {
        var conditions: [Filter] = []
        if let status { conditions.append(.eq("status", .text(status.rawValue))) }
        if let source { conditions.append(.eq("source", .text(source))) }
        return try reader.find(Query("message", filter: conditions.isEmpty ? nil : .all(conditions),
                                     sort: [SortKey("id", descending: true)], limit: max(1, min(limit, 1000)))).records
    }

    /// How many messages from `source` (e.g. `campaign:12`) stand in each status.
    public static func counts(source: String, in reader: RecordReader) throws -> [MessageStatus: Int] {
        var counts: [MessageStatus: Int] = [:]
        for status in MessageStatus.allCases {
            counts[status] = try reader.count("message", filter: .all([.eq("source", .text(source)), .eq("status", .text(status.rawValue))]))
        }
        return counts
    }

    /// Queues a failed message again (attempts start over); anything else is an invalid-state error.
    @discardableResult
    public static func retry(_ id: Int64, in tx: WriteContext) throws -> Record {
        guard let message = try tx.reader.get("message", id) else { throw KernelError.recordNotFound("message", id) }
        guard message["status"] == .text(MessageStatus.failed.rawValue) else {
            throw KernelError(.invalidState, "message \(id) is \(message["status"]); only a failed message can be retried", entity: "message")
        }
        return try tx.update("message", id, ["status": .text(MessageStatus.pending.rawValue), "attempts": .integer(0),
                                             "next_attempt_at": .datetime(tx.now), "claimed_until": .null])
    }
}
