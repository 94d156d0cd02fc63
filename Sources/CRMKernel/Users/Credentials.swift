import Foundation
import GRDB

/// A user's stored password state. The hash comes from the server's password hasher; the
/// kernel never sees a password.
public struct Credential: Sendable, Hashable {
    /// The user id.
    public var userID: Int64
    /// The password hash (bcrypt).
    public var passwordHash: String
    /// True for an initial password that must be changed at first sign-in.
    public var mustChange: Bool
    /// Consecutive failed sign-ins.
    public var failures: Int
    /// Sign-in is refused until this time, after too many failures.
    public var lockedUntil: Date?
}

/// A stored token: only its hash is kept, so a leaked database does not leak usable tokens.
public struct StoredToken: Sendable, Hashable {
    /// Row id (to revoke by).
    public var id: Int64
    /// The user it signs in.
    public var userID: Int64
    /// `session` (from signing in) or `api` (long-lived, from `crm token create`).
    public var kind: String
    /// What it is for.
    public var label: String
    /// When it was made.
    public var createdAt: Date
    /// When it stops working, if ever.
    public var expiresAt: Date?
    /// When it was revoked, if it was.
    public var revokedAt: Date?
}

extension RecordStore {
    /// The credential of `userID`, if a password was set.
    public func credential(_ userID: Int64) throws -> Credential? {
        try translate {
            try pool.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM _credential WHERE user_id = ?", arguments: [userID]).map {
                    Credential(userID: $0["user_id"], passwordHash: $0["password_hash"], mustChange: $0["must_change"],
                               failures: $0["failures"], lockedUntil: ($0["locked_until"] as String?).flatMap(DateCoding.parseInstant))
                }
            }
        }
    }

    /// Throws `forbidden` unless `actor` is user `userID` or an administrator.
    func requireSelfOrAdministrator(_ actor: ActingUser, _ userID: Int64, to what: String) throws(KernelError) {
        guard actor.id != userID, !schema.isAdministrator(actor) else { return }
        throw KernelError(.forbidden, "only an administrator may \(what) (\(actor.name) is \(actor.role ?? "without a role"))", entity: "user")
    }

    /// Stores a new password hash for `userID` (clearing failures and locks). Setting another
    /// user's password is an administrator action: `actor` must be that user or an administrator.
    public func setPasswordHash(_ hash: String, for userID: Int64, mustChange: Bool, by actor: ActingUser) throws {
        try requireSelfOrAdministrator(actor, userID, to: "set another user's password")
        try translate {
            try pool.write { db in
                try db.execute(sql: """
                    INSERT INTO _credential (user_id, password_hash, must_change, failures, locked_until, changed_at) VALUES (?, ?, ?, 0, NULL, ?)
                    ON CONFLICT(user_id) DO UPDATE SET password_hash = excluded.password_hash, must_change = excluded.must_change,
                        failures = 0, locked_until = NULL, changed_at = excluded.changed_at
                    """, arguments: [userID, hash, mustChange, DateCoding.iso(Date())])
            }
        }
        credentialsChanged()
    }

    /// Counts a failed sign-in; after `limit` in a row the account is locked until `lockUntil`.
    public func recordSignInFailure(_ userID: Int64, limit: Int, lockUntil: Date) throws {
        try translate {
            try pool.write { db in
                try db.execute(sql: "UPDATE _credential SET failures = failures + 1 WHERE user_id = ?", arguments: [userID])
                try db.execute(sql: "UPDATE _credential SET locked_until = ?, failures = 0 WHERE user_id = ? AND failures >= ?",
                               arguments: [DateCoding.iso(lockUntil), userID, limit])
            }
        }
    }

    /// Clears the failure count after a good sign-in.
    public func recordSignInSuccess(_ userID: Int64) throws {
        try translate { try pool.write { db in try db.execute(sql: "UPDATE _credential SET failures = 0, locked_until = NULL WHERE user_id = ?", arguments: [userID]) } }
    }

    /// Stores a token's hash; returns its row id. Minting a token for someone else is an
    /// administrator action: `actor` must be user `userID` or an administrator.
    @discardableResult
    public func insertToken(hash: String, userID: Int64, kind: String, label: String, expiresAt: Date?, by actor: ActingUser) throws -> Int64 {
        try requireSelfOrAdministrator(actor, userID, to: "mint a token for another user")
        return try translate {
            try pool.write { db in
                try db.execute(sql: "INSERT INTO _token (token_hash, user_id, kind, label, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [hash, userID, kind, label, DateCoding.iso(Date()), expiresAt.map(DateCoding.iso)])
                return db.lastInsertedRowID
            }
        }
    }

    /// The live token with this hash (not revoked, not expired at `now`).
    public func token(hash: String, now: Date = Date()) throws -> StoredToken? {
        try translate {
            try pool.read { db in
                guard let t = try Row.fetchOne(db, sql: "SELECT * FROM _token WHERE token_hash = ? AND revoked_at IS NULL", arguments: [hash]).map(Self.token)
                else { return nil }
                if let expires = t.expiresAt, expires <= now { return nil }
                return t
            }
        }
    }

    /// Every token of `userID` (revoked ones included), newest first.
    public func tokens(of userID: Int64) throws -> [StoredToken] {
        try translate { try pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM _token WHERE user_id = ? ORDER BY id DESC", arguments: [userID]).map(Self.token) } }
    }

    /// Revokes one token by row id (when `userID` is given, only if it is theirs); true if it was live.
    @discardableResult
    public func revokeToken(id: Int64, userID: Int64? = nil) throws -> Bool {
        let revoked = try translate {
            try pool.write { db in
                try db.execute(sql: "UPDATE _token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL AND (? IS NULL OR user_id = ?)",
                               arguments: [DateCoding.iso(Date()), id, userID, userID])
                return db.changesCount > 0
            }
        }
        credentialsChanged()  // after the commit, so no request re-caches the token as live
        return revoked
    }

    /// Revokes the token with this hash (signing out); true if it was live.
    @discardableResult
    public func revokeToken(hash: String) throws -> Bool {
        let revoked = try translate {
            try pool.write { db in
                try db.execute(sql: "UPDATE _token SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL", arguments: [DateCoding.iso(Date()), hash])
                return db.changesCount > 0
            }
        }
        credentialsChanged()  // after the commit, so no request re-caches the token as live
        return revoked
    }

    private static func token(_ row: Row) -> StoredToken {
        StoredToken(id: row["id"], userID: row["user_id"], kind: row["kind"], label: row["label"],
                    createdAt: (row["created_at"] as String?).flatMap(DateCoding.parseInstant) ?? Date(timeIntervalSince1970: 0),
                    expiresAt: (row["expires_at"] as String?).flatMap(DateCoding.parseInstant),
                    revokedAt: (row["revoked_at"] as String?).flatMap(DateCoding.parseInstant))
    }
}
