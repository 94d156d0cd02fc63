import CRMKernel
import Foundation
import Hummingbird
import Synchronization

/// Turns a bearer token into a `Principal`, caching the answer for a second so reads stay
/// cheap. An entry is good only under the store's `credentialsVersion` it was cached with, so
/// a revocation, a password change or a user change made in this process (API, console, jobs)
/// takes effect on the very next request.
final class Authenticator: Sendable {
    private let store: RecordStore
    private let cache = Mutex<[String: (principal: Principal, until: Date, generation: UInt64)]>([:])
    private let lifetime: TimeInterval = 1

    init(store: RecordStore) { self.store = store }

    /// The principal for the request's `Authorization: Bearer` token, or 401.
    func principal(for request: Request) throws -> Principal {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw APIError(.unauthorized, "sign in first: send Authorization: Bearer <token>", headers: [.wwwAuthenticate: "Bearer"])
        }
        var token = header.dropFirst(7)
        while token.last == " " { token = token.dropLast() }
        while token.first == " " { token = token.dropFirst() }
        return try principal(token: String(token))
    }

    /// The principal for a token however it came (a header, or the web interface's cookie), or 401.
    func principal(token key: String) throws -> Principal {
        let now = Date()
        let generation = store.credentialsVersion
        // The cache is keyed by the token itself, so a hit costs no hashing.
        if let hit = cache.withLock({ $0[key] }), hit.until > now, hit.generation == generation { return hit.principal }
        let hash = CredentialCodec.tokenHash(key)
        guard let stored = try store.token(hash: hash, now: now), let user = try store.get("user", stored.userID), user["active"] != .bool(false) else {
            cache.withLock { _ = $0.removeValue(forKey: key) }
            throw APIError(.unauthorized, "the token is unknown, expired or revoked", headers: [.wwwAuthenticate: "Bearer error=\"invalid_token\""])
        }
        let acting = ActingUser(id: user.id, name: user["name"].description, role: user["role"].textValue)
        let access = try store.read { try AccessGuard(user: acting, schema: $0.schema, reader: $0) }
        // Whatever the token (a session or an API token from `crm token create`), a user whose
        // initial password is unchanged may do nothing but change it.
        let mustChange = try store.credential(user.id)?.mustChange ?? false
        let principal = Principal(user: acting, access: access, mustChangePassword: mustChange, tokenHash: hash)
        cache.withLock {
            if $0.count > 10_000 { $0.removeAll() }
            $0[key] = (principal, now.addingTimeInterval(lifetime), generation)
        }
        return principal
    }

    /// Forgets every cached principal (after a sign-out, a password change or a reload).
    func forgetAll() { cache.withLock { $0.removeAll() } }
}
