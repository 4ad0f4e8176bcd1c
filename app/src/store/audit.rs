use super::{StoreError, now_ms};
use crate::domain::audit::{AuditEntry, AuditEvent, AuditLevel};
use sqlx::{AnyConnection, Row};

/// Appends one event; call it inside the transaction of the change it records.
pub async fn append(conn: &mut AnyConnection, actor_id: Option<i64>, ip: Option<&str>, event: &AuditEvent) -> Result<(), StoreError> {
    let level = match event.level() {
        AuditLevel::Info => "info",
        AuditLevel::Warning => "warning",
    };
    let details = serde_json::to_string(event).unwrap_or_default();
    sqlx::query("INSERT INTO audit_events (at, actor_id, kind, level, details, ip) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(now_ms())
        .bind(actor_id)
        .bind(event.kind())
        .bind(level)
        .bind(details)
        .bind(ip)
        .execute(conn)
        .await?;
    Ok(())
}

/// Newest first; `before_id` pages backwards (keyset, so deep pages stay fast).
pub async fn recent_events(conn: &mut AnyConnection, before_id: Option<i64>, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
    let rows = sqlx::query(
        "SELECT e.id, e.at, u.username, e.kind, e.level, e.details, e.ip FROM audit_events e
         LEFT JOIN users u ON u.id = e.actor_id
         WHERE e.id < $1 ORDER BY e.id DESC LIMIT $2",
    )
    .bind(before_id.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| AuditEntry { id: r.get(0), at_ms: r.get(1), actor: r.get(2), kind: r.get(3), level: r.get(4), details: r.get(5), ip: r.get(6) })
        .collect())
}
