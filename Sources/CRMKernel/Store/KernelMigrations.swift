import GRDB

/// The kernel's own tables, created by GRDB migrations that are never edited once shipped.
enum KernelMigrations {
    static func migrator() -> DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("kernel.001-core") { db in
            try db.execute(sql: """
                CREATE TABLE _schema_entity (
                    name TEXT PRIMARY KEY,
                    definition TEXT NOT NULL,
                    search_signature TEXT NOT NULL DEFAULT '',
                    hidden INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE _schema_field (
                    entity TEXT NOT NULL,
                    name TEXT NOT NULL,
                    type TEXT NOT NULL,
                    definition TEXT NOT NULL,
                    hidden INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (entity, name)
                );
                CREATE TABLE _module (
                    id TEXT PRIMARY KEY,
                    enabled INTEGER NOT NULL,
                    version TEXT NOT NULL,
                    changed_at TEXT NOT NULL
                );
                CREATE TABLE _plugin_migration (
                    id TEXT PRIMARY KEY,
                    plugin TEXT NOT NULL,
                    applied_at TEXT NOT NULL
                );
                CREATE TABLE _audit (
                    id INTEGER PRIMARY KEY,
                    at TEXT NOT NULL,
                    user_id INTEGER,
                    user_name TEXT NOT NULL,
                    action TEXT NOT NULL,
                    entity TEXT NOT NULL,
                    record_id INTEGER NOT NULL,
                    changes TEXT NOT NULL
                );
                CREATE INDEX _audit_record ON _audit(entity, record_id);
                CREATE TABLE _outbox (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    event TEXT NOT NULL,
                    entity TEXT NOT NULL,
                    record_id INTEGER,
                    user_id INTEGER,
                    at TEXT NOT NULL,
                    payload TEXT NOT NULL
                );
                CREATE TABLE _outbox_cursor (
                    consumer TEXT PRIMARY KEY,
                    seq INTEGER NOT NULL
                );
                CREATE TABLE _setting (
                    key TEXT PRIMARY KEY,
                    value TEXT NOT NULL
                );
                """)
        }
        m.registerMigration("kernel.002-credentials") { db in
            try db.execute(sql: """
                CREATE TABLE _credential (
                    user_id INTEGER PRIMARY KEY,
                    password_hash TEXT NOT NULL,
                    must_change INTEGER NOT NULL DEFAULT 0,
                    failures INTEGER NOT NULL DEFAULT 0,
                    locked_until TEXT,
                    changed_at TEXT NOT NULL
                );
                CREATE TABLE _token (
                    id INTEGER PRIMARY KEY,
                    token_hash TEXT NOT NULL UNIQUE,
                    user_id INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    label TEXT NOT NULL DEFAULT '',
                    created_at TEXT NOT NULL,
                    expires_at TEXT,
                    revoked_at TEXT
                );
                CREATE INDEX _token_user ON _token(user_id);
                """)
        }
        m.registerMigration("kernel.003-consumer-state") { db in
            // A durable consumer's failures since its last success, beside its cursor.
            try db.execute(sql: """
                ALTER TABLE _outbox_cursor ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE _outbox_cursor ADD COLUMN last_error TEXT;
                ALTER TABLE _outbox_cursor ADD COLUMN retry_at TEXT;
                """)
        }
        m.registerMigration("kernel.004-storage-names") { db in
            try StorageNamesMigration.run(db)
        }
        m.registerMigration("kernel.005-job-runs") { db in
            // The last run of each scheduled job, so a restart does not run every job again.
            try db.execute(sql: """
                CREATE TABLE _job_run (
                    job TEXT PRIMARY KEY,
                    last_run_at TEXT NOT NULL,
                    succeeded INTEGER NOT NULL,
                    summary TEXT NOT NULL
                );
                """)
        }
        m.registerMigration("kernel.006-mask-webhook-secrets") { db in try SecretScrub.maskWebhookSecrets(db) }
        m.registerMigration("kernel.007-import-journal") { db in
            // How far each resumable import got: written in the same transaction as each batch.
            try db.execute(sql: """
                CREATE TABLE _import_journal (
                    key TEXT PRIMARY KEY,
                    entity TEXT NOT NULL,
                    file TEXT NOT NULL,
                    next_row INTEGER NOT NULL,
                    counts TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                );
                """)
        }
        m.registerMigration("kernel.007-sequences") { db in
            // Numbering counters: one row per sequence and period (the pattern rendered without
            // its counter), incremented inside the writer's transaction.
            try db.execute(sql: """
                CREATE TABLE _sequence (
                    name TEXT NOT NULL,
                    period TEXT NOT NULL,
                    value INTEGER NOT NULL,
                    PRIMARY KEY (name, period)
                );
                """)
        }
        m.registerMigration("kernel.008-approvals") { db in try ApprovalRows.createTables(db) }
        return m
    }
}
