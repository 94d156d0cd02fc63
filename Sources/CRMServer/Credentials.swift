import CRMKernel
import Foundation
import HummingbirdBcrypt

/// Passwords and tokens: bcrypt hashes for passwords, random tokens stored as SHA-256 hashes.
public enum CredentialCodec {
    /// bcrypt cost: 2^10 rounds, about 60 ms here; sign-in is rare, tokens carry the rest.
    public static let bcryptCost: UInt8 = 10
    /// A hash checked when the user does not exist, so both failures take as long.
    static let decoyHash = Bcrypt.hash("decoy password", cost: bcryptCost)
    /// Shortest password accepted.
    public static let minimumPasswordLength = 8

    /// The bcrypt hash of `password`.
    public static func hashPassword(_ password: String) -> String { Bcrypt.hash(password, cost: bcryptCost) }

    /// Whether `password` matches `hash`.
    public static func verify(_ password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }

    /// A new random token: `crm_` and 32 random bytes in URL-safe base64.
    public static func newToken() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let b64 = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return "crm_" + b64
    }

    /// The stored form of a token.
    public static func tokenHash(_ token: String) -> String {
        Digests.sha256Hex(Data(token.utf8))
    }

    /// HMAC-SHA256 of `body` with `secret`, hex (webhook signatures).
    public static func signature(_ body: Data, secret: String) -> String {
        Digests.hmacSHA256Hex(body, key: secret)
    }

    /// Refuses passwords the workspace's `PasswordPolicy` does not accept for `userName`.
    public static func checkStrength(_ password: String, userName: String, store: RecordStore, field: String = "password") throws {
        try PasswordPolicy.of(store).check(password, userName: userName, field: field)
    }
}

/// Sign-in, passwords and tokens for one workspace's users.
public struct Accounts: Sendable {
    /// The store holding users, credentials and tokens.
    public let store: RecordStore
    /// Failed sign-ins in a row before the account locks.
    public var lockAfter = 5
    /// How long a lock lasts.
    public var lockDuration: TimeInterval = 15 * 60
    /// How long a session token from signing in lasts.
    public var sessionLifetime: TimeInterval = 12 * 3600

    /// Failures for names that are not users, locked like real accounts.
    let unknownNames = UnknownNameLocks()

    /// Creates the accounts service over `store`.
    public init(store: RecordStore) { self.store = store }

    /// The user record named `name`, or not found.
    public func user(named name: String) throws -> Record {
        guard let u = try store.find(Query("user", filter: .eq("name", .text(name)), limit: 1)).records.first else {
            throw KernelError(.notFound, "unknown user '\(name)'")
        }
        return u
    }

    /// Sets a user's password; `initial` makes them change it at first sign-in. Setting another
    /// user's password is an administrator action (`actor` is who does it; the CLI is `.system`).
    public func setPassword(_ password: String, for userID: Int64, initial: Bool, by actor: ActingUser) throws {
        let name = try store.get("user", userID)?["name"].description ?? ""
        try CredentialCodec.checkStrength(password, userName: name, store: store)
        try store.setPasswordHash(CredentialCodec.hashPassword(password), for: userID, mustChange: initial, by: actor)
    }

    /// The acting user for `user`'s own record.
    static func acting(_ user: Record) -> ActingUser {
        ActingUser(id: user.id, name: user["name"].description, role: user["role"].textValue)
    }

    /// The outcome of a good sign-in.
    public struct Session: Sendable {
        /// The bearer token.
        public var token: String
        /// The user signed in.
        public var user: Record
        /// True when the password is an initial one: only changing it is allowed.
        public var mustChangePassword: Bool
        /// When the token expires.
        public var expiresAt: Date
    }

    /// Signs in with name and password; bad ones count towards a lock. The error never says
    /// whether the name or the password was wrong.
    public func signIn(name: String, password: String, now: Date = Date()) throws -> Session {
        let refused = APIError(.unauthorized, "wrong user name or password", type: "unauthorized")
        func locked(_ until: Date) -> APIError {
            APIError(.tooManyRequests, "account locked after repeated failed sign-ins; try again after \(DateCoding.iso(until))",
                     type: "locked", headers: [.retryAfter: String(Int(until.timeIntervalSince(now)) + 1)])
        }
        guard let user = try? self.user(named: name), user["active"] != .bool(false), let cred = try store.credential(user.id) else {
            // A name that is no user answers exactly as a user would: 401, then 429 when locked.
            if let until = unknownNames.lockedUntil(name, now: now) { throw locked(until) }
            _ = CredentialCodec.verify(password, hash: CredentialCodec.decoyHash) // same time either way
            unknownNames.recordFailure(name, limit: lockAfter, lockUntil: now.addingTimeInterval(lockDuration), now: now)
            throw refused
        }
        if let until = cred.lockedUntil, until > now { throw locked(until) }
        guard CredentialCodec.verify(password, hash: cred.passwordHash) else {
            try store.recordSignInFailure(user.id, limit: lockAfter, lockUntil: now.addingTimeInterval(lockDuration))
            throw refused
        }
        try store.recordSignInSuccess(user.id)
        let token = CredentialCodec.newToken()
        let expires = now.addingTimeInterval(sessionLifetime)
        try store.insertToken(hash: CredentialCodec.tokenHash(token), userID: user.id, kind: "session", label: "sign-in", expiresAt: expires,
                              by: Self.acting(user))
        return Session(token: token, user: user, mustChangePassword: cred.mustChange, expiresAt: expires)
    }

    /// Changes a user's own password after checking the current one.
    public func changePassword(userID: Int64, current: String, new: String) throws {
        guard let cred = try store.credential(userID), CredentialCodec.verify(current, hash: cred.passwordHash) else {
            throw APIError(.forbidden, "the current password is wrong", type: "forbidden",
                           fieldErrors: [FieldError(field: "current_password", message: "wrong password")])
        }
        guard current != new else {
            throw KernelError(.validation, "the new password must differ from the current one", fieldErrors: [FieldError(field: "new_password", message: "same as the current password")])
        }
        try setPassword(new, for: userID, initial: false, by: ActingUser(id: userID, name: "", role: nil))
    }

    /// A minted API token: the token itself (shown once, never stored), its row id, and whether
    /// its user must still change an initial password (then the token can do nothing else).
    public struct MintedToken: Sendable {
        /// The bearer token.
        public var token: String
        /// Its row id (to list and revoke by).
        public var id: Int64
        /// When it expires.
        public var expiresAt: Date
        /// True while the user's initial password is unchanged: the token may only change it.
        public var limitedToPasswordChange: Bool
    }

    /// Creates an API token for `userName`, expiring at `expiresAt` (see `TokenLifetime`).
    /// Minting a token for another user is an administrator action (`actor` is who asks; the
    /// CLI is `.system`).
    public func createToken(for userName: String, label: String, expiresAt: Date, by actor: ActingUser) throws -> MintedToken {
        let user = try self.user(named: userName)
        let token = CredentialCodec.newToken()
        let id = try store.insertToken(hash: CredentialCodec.tokenHash(token), userID: user.id, kind: "api", label: label, expiresAt: expiresAt, by: actor)
        return MintedToken(token: token, id: id, expiresAt: expiresAt, limitedToPasswordChange: try store.credential(user.id)?.mustChange ?? false)
    }
}
