import GRDB

/// Takes secrets written before secret fields existed out of the audit log and the outbox.
enum SecretScrub {
    /// `webhook.secret` values in `_audit` become markers (`AuditLog.secretMarker`), and the
    /// field leaves `_outbox` payloads. The webhooks themselves keep their secrets.
    static func maskWebhookSecrets(_ db: Database) throws {
        try db.execute(sql: """
            UPDATE _audit SET changes = json_set(changes, '$.secret', json_array(
                    CASE WHEN json_extract(changes, '$.secret[0]') IS NULL THEN NULL ELSE ? END,
                    CASE WHEN json_extract(changes, '$.secret[1]') IS NULL THEN NULL ELSE ? END))
                WHERE entity = 'webhook' AND json_valid(changes) AND json_type(changes, '$.secret') = 'array';
            UPDATE _outbox SET payload = json_remove(payload, '$.record.secret', '$.previous.secret')
                WHERE entity = 'webhook' AND json_valid(payload);
            """, arguments: [AuditLog.previousSecretMarker, AuditLog.secretMarker])
    }
}
