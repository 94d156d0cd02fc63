import Foundation
import GRDB

/// The approval engine's kernel tables and the SQL that reads and writes them.
///
/// `_approval` (one row per submission; at most one pending per document, by a partial unique
/// index), `_approval_step` (the route), `_approval_assignee` (each approver of each step, indexed
/// by user for "pending for me") and `_approval_decision` (the audit trail of decisions).
enum ApprovalRows {
    static func createTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE _approval (
                id INTEGER PRIMARY KEY,
                entity TEXT NOT NULL,
                record_id INTEGER NOT NULL,
                status TEXT NOT NULL,
                current_step INTEGER,
                submitted_by INTEGER,
                submitted_at TEXT NOT NULL,
                ended_at TEXT,
                snapshot TEXT NOT NULL,
                revision INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX _approval_record ON _approval(entity, record_id);
            CREATE UNIQUE INDEX _approval_open ON _approval(entity, record_id) WHERE status = 'pending';
            CREATE TABLE _approval_step (
                approval_id INTEGER NOT NULL,
                position INTEGER NOT NULL,
                name TEXT NOT NULL,
                rule TEXT NOT NULL,
                needs_everyone INTEGER NOT NULL,
                status TEXT NOT NULL,
                PRIMARY KEY (approval_id, position)
            );
            CREATE TABLE _approval_assignee (
                approval_id INTEGER NOT NULL,
                position INTEGER NOT NULL,
                user_id INTEGER NOT NULL,
                status TEXT NOT NULL,
                delegated_to INTEGER,
                PRIMARY KEY (approval_id, position, user_id)
            );
            CREATE INDEX _approval_assignee_user ON _approval_assignee(user_id, status);
            CREATE TABLE _approval_decision (
                id INTEGER PRIMARY KEY,
                approval_id INTEGER NOT NULL,
                position INTEGER,
                user_id INTEGER,
                user_name TEXT NOT NULL,
                action TEXT NOT NULL,
                comment TEXT,
                target_user INTEGER,
                at TEXT NOT NULL
            );
            CREATE INDEX _approval_decision_approval ON _approval_decision(approval_id);
            """)
    }

    /// The approval with its route and decisions, or nil.
    static func load(_ db: Database, id: Int64) throws -> Approval? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM _approval WHERE id = ?", arguments: [id]) else { return nil }
        var assignees: [Int: [ApprovalAssignee]] = [:]
        for a in try Row.fetchAll(db, sql: "SELECT * FROM _approval_assignee WHERE approval_id = ? ORDER BY position, rowid", arguments: [id]) {
            assignees[a["position"], default: []].append(ApprovalAssignee(
                userID: a["user_id"], status: ApprovalAssignee.Status(rawValue: a["status"]) ?? .cancelled, delegatedTo: a["delegated_to"]))
        }
        let steps = try Row.fetchAll(db, sql: "SELECT * FROM _approval_step WHERE approval_id = ? ORDER BY position", arguments: [id]).map { s in
            let position: Int = s["position"]
            return ApprovalStep(position: position, name: s["name"], rule: s["rule"], needsEveryone: s["needs_everyone"],
                                status: ApprovalStep.Status(rawValue: s["status"]) ?? .cancelled, assignees: assignees[position] ?? [])
        }
        let decisions = try Row.fetchAll(db, sql: "SELECT * FROM _approval_decision WHERE approval_id = ? ORDER BY id", arguments: [id]).map { d in
            ApprovalDecision(position: d["position"], userID: d["user_id"], userName: d["user_name"],
                             action: ApprovalDecision.Action(rawValue: d["action"]) ?? .submit, comment: d["comment"],
                             targetUser: d["target_user"], at: DateCoding.parseInstant(d["at"]) ?? .distantPast)
        }
        let snapshotText: String = row["snapshot"]
        let snapshot = (try? JSONDecoder().decode([String: Value].self, from: Data(snapshotText.utf8))) ?? [:]
        let ended: String? = row["ended_at"]
        return Approval(id: id, entity: row["entity"], recordID: row["record_id"],
                        status: Approval.Status(rawValue: row["status"]) ?? .withdrawn, currentStep: row["current_step"],
                        submittedBy: row["submitted_by"], submittedAt: DateCoding.parseInstant(row["submitted_at"]) ?? .distantPast,
                        endedAt: ended.flatMap(DateCoding.parseInstant), snapshot: snapshot, steps: steps, decisions: decisions,
                        revision: row["revision"])
    }

    /// Ids of a document's approvals, newest first.
    static func ids(_ db: Database, entity: String, recordID: Int64) throws -> [Int64] {
        try Int64.fetchAll(db, sql: "SELECT id FROM _approval WHERE entity = ? AND record_id = ? ORDER BY id DESC", arguments: [entity, recordID])
    }

    /// Ids of the pending approvals whose current step waits for `user`, oldest first.
    static func pendingIDs(_ db: Database, user: Int64, limit: Int) throws -> [Int64] {
        try Int64.fetchAll(db, sql: """
            SELECT a.id FROM _approval_assignee s JOIN _approval a ON a.id = s.approval_id AND a.current_step = s.position
            WHERE s.user_id = ? AND s.status = 'open' AND a.status = 'pending' ORDER BY a.id LIMIT ?
            """, arguments: [user, limit])
    }

    /// Inserts a new pending approval; returns its id.
    static func insert(_ db: Database, entity: String, recordID: Int64, submittedBy: Int64?, at: String,
                       snapshot: [String: Value], route: [PlannedStep]) throws -> Int64 {
        let json = String(decoding: try JSONEncoder().encode(snapshot), as: UTF8.self)
        let first = route.first(where: { $0.included })?.position
        try db.execute(sql: """
            INSERT INTO _approval (entity, record_id, status, current_step, submitted_by, submitted_at, snapshot)
            VALUES (?, ?, 'pending', ?, ?, ?, ?)
            """, arguments: [entity, recordID, first, submittedBy, at, json])
        let id = db.lastInsertedRowID
        for step in route {
            let status: ApprovalStep.Status = !step.included ? .skipped : step.position == first ? .pending : .waiting
            try db.execute(sql: "INSERT INTO _approval_step (approval_id, position, name, rule, needs_everyone, status) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [id, step.position, step.name, step.rule, step.needsEveryone, status.rawValue])
            for user in step.users {
                try db.execute(sql: "INSERT INTO _approval_assignee (approval_id, position, user_id, status) VALUES (?, ?, ?, 'open')",
                               arguments: [id, step.position, user])
            }
        }
        return id
    }

    static func setAssignee(_ db: Database, id: Int64, position: Int, user: Int64, _ status: ApprovalAssignee.Status, delegatedTo: Int64? = nil) throws {
        try db.execute(sql: "UPDATE _approval_assignee SET status = ?, delegated_to = ? WHERE approval_id = ? AND position = ? AND user_id = ?",
                       arguments: [status.rawValue, delegatedTo, id, position, user])
    }

    static func addAssignee(_ db: Database, id: Int64, position: Int, user: Int64) throws {
        try db.execute(sql: """
            INSERT INTO _approval_assignee (approval_id, position, user_id, status) VALUES (?, ?, ?, 'open')
            ON CONFLICT(approval_id, position, user_id) DO UPDATE SET status = 'open', delegated_to = NULL
            """, arguments: [id, position, user])
    }

    /// Closes the open tasks of a step (another approver decided, or the approval ended).
    static func cancelOpen(_ db: Database, id: Int64, position: Int? = nil) throws {
        if let position {
            try db.execute(sql: "UPDATE _approval_assignee SET status = 'cancelled' WHERE approval_id = ? AND position = ? AND status = 'open'", arguments: [id, position])
        } else {
            try db.execute(sql: "UPDATE _approval_assignee SET status = 'cancelled' WHERE approval_id = ? AND status = 'open'", arguments: [id])
        }
    }

    static func setStep(_ db: Database, id: Int64, position: Int, _ status: ApprovalStep.Status) throws {
        try db.execute(sql: "UPDATE _approval_step SET status = ? WHERE approval_id = ? AND position = ?", arguments: [status.rawValue, id, position])
    }

    /// Cancels the steps not reached (waiting or pending) when an approval ends early.
    static func cancelRemainingSteps(_ db: Database, id: Int64) throws {
        try db.execute(sql: "UPDATE _approval_step SET status = 'cancelled' WHERE approval_id = ? AND status IN ('waiting', 'pending')", arguments: [id])
    }

    static func setStatus(_ db: Database, id: Int64, _ status: Approval.Status, currentStep: Int?, endedAt: String?) throws {
        try db.execute(sql: "UPDATE _approval SET status = ?, current_step = ?, ended_at = ? WHERE id = ?",
                       arguments: [status.rawValue, currentStep, endedAt, id])
    }

    static func addDecision(_ db: Database, id: Int64, position: Int?, user: ActingUser, _ action: ApprovalDecision.Action,
                            comment: String?, target: Int64? = nil, at: String) throws {
        try db.execute(sql: """
            INSERT INTO _approval_decision (approval_id, position, user_id, user_name, action, comment, target_user, at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [id, position, user.id, user.name, action.rawValue, comment, target, at])
    }
}

/// A step of a route as computed at submit time, before it is stored.
struct PlannedStep {
    var position: Int
    var name: String
    var rule: String
    var needsEveryone: Bool
    var included: Bool
    var users: [Int64]
}
