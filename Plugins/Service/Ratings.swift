import CRMKernel
import Foundation

/// Satisfaction ratings: a signed, expiring, one-time link sent when a ticket is solved; the
/// customer rates 1–5 with a comment on a public page; one rating per ticket; none asked for a
/// ticket its agent opened and solved themselves.
///
/// The link's token is `<rating id>.<expiry, Unix seconds>.<HMAC-SHA-256 of both>` keyed by a
/// random secret kept on the rating record (never shown): altering the id or the expiry breaks
/// the signature, and a used or expired token is refused.
public enum Ratings {
    /// Asks for a rating of solved `ticket` in `tx`: creates the rating and queues the link to the
    /// customer. Does nothing when one was asked before or the agent opened and solved it alone.
    static func ask(_ tx: WriteContext, ticket: Record) throws {
        let reader = tx.reader.system
        guard try reader.ids("ticket_rating", where: "ticket", equals: .integer(ticket.id), limit: 1).isEmpty else { return }
        let agent = ticket["assignee"].integerValue
        if let agent, ticket["created_by"].integerValue == agent, tx.user.id == agent { return }
        let rules = ServiceRules.inForce(tx.schema)
        let expires = tx.now.addingTimeInterval(Double(rules.ratingDays) * 86_400)
        let nonce = randomHex(16)
        let rating = try tx.asSystem {
            try tx.create("ticket_rating", ["ticket": .integer(ticket.id), "agent": agent.map(Value.integer) ?? .null, "team": ticket["team"],
                                            "nonce": .text(nonce), "asked_at": .datetime(tx.now), "expires_at": .datetime(expires), "owner": agent.map(Value.integer) ?? .null])
        }
        let link = rules.publicURL + "/rate/" + token(rating: rating.id, expires: expires, nonce: nonce)
        let body = "您好，工单 \(ticket["number"].textValue ?? "") 已解决。请为本次服务评分（1–5 分）：\(link)\n链接 \(rules.ratingDays) 天内有效，仅可使用一次。"
        try Replies.queue(tx, ticket: ticket, body: body)
    }

    /// The token for a rating.
    static func token(rating: Int64, expires: Date, nonce: String) -> String {
        let payload = "\(rating).\(Int64(expires.timeIntervalSince1970))"
        return payload + "." + Digests.hmacSHA256Hex(Data(payload.utf8), key: nonce).prefix(32)
    }

    /// The rating a token opens, checked: signature, expiry, not used. `notFound` for a token
    /// that is not one of ours, `invalidState` for an expired or used one.
    static func open(_ reader: RecordReader, token: String, now: Date) throws -> Record {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let id = Int64(parts[0]), let exp = Int64(parts[1]),
              let rating = try reader.system.get("ticket_rating", id), let nonce = rating["nonce"].textValue,
              constantTimeEqual(token, self.token(rating: id, expires: Date(timeIntervalSince1970: Double(exp)), nonce: nonce)),
              case .datetime(let expires) = rating["expires_at"], Int64(expires.timeIntervalSince1970) == exp else {
            throw KernelError(.notFound, "this rating link is not valid", entity: "ticket_rating")
        }
        if !rating["rated_at"].isEmpty { throw KernelError(.invalidState, "this ticket has already been rated; a rating link works once", entity: "ticket_rating") }
        if now >= expires { throw KernelError(.invalidState, "this rating link has expired", entity: "ticket_rating") }
        return rating
    }

    /// Records `score` (1–5) and `comment` for the token's rating, once.
    public static func rate(_ store: RecordStore, token: String, score: Int64?, comment: String?) throws -> Record {
        guard let score, (1...5).contains(score) else {
            throw KernelError(.validation, "score: expects a whole number from 1 to 5", entity: "ticket_rating",
                              fieldErrors: [FieldError(field: "score", message: "expects 1 to 5")])
        }
        if let comment, comment.count > 2000 {
            throw KernelError(.validation, "comment: at most 2000 characters", entity: "ticket_rating", fieldErrors: [FieldError(field: "comment", message: "at most 2000 characters")])
        }
        return try store.write(as: .system) { tx in
            let rating = try open(tx.reader, token: token, now: tx.now)
            return try tx.update("ticket_rating", rating.id, ["score": .integer(score), "comment": comment.map(Value.text) ?? .null, "rated_at": .datetime(tx.now)])
        }
    }

    /// What the public page shows for a token: the ticket's number and subject.
    public static func describe(_ store: RecordStore, token: String) throws -> (number: String, subject: String) {
        try store.read { reader in
            let rating = try open(reader, token: token, now: Date())
            let ticket = try rating["ticket"].integerValue.flatMap { try reader.system.get("ticket", $0) }
            return (ticket?["number"].textValue ?? "", ticket?["subject"].textValue ?? "")
        }
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for (p, q) in zip(x, y) { diff |= p ^ q }
        return diff == 0
    }

    static func randomHex(_ bytes: Int) -> String {
        var g = SystemRandomNumberGenerator()
        return Digests.hex((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &g) })
    }
}
