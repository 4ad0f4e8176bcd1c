//! Sign-in failures per key ('name:<username>', 'addr:<ip>'), as `domain::signin` counts them.
use super::StoreError;
use crate::domain::signin::{AuditBudget, Tally};
use sqlx::{AnyConnection, Row};

/// The key's tally, read without locking (the look before queueing for a hashing slot).
pub async fn tally(conn: &mut AnyConnection, key: &str) -> Result<Tally, StoreError> {
    let row = sqlx::query("SELECT failures, last_failure_at FROM sign_in_throttle WHERE key = $1").bind(key).fetch_optional(conn).await?;
    Ok(row.map(|r| Tally { failures: r.get(0), last_failure_at: r.get(1) }).unwrap_or_default())
}

/// The key's tally and audit budget, its row created if need be and locked until the
/// transaction ends (PostgreSQL locks the row an upsert touches; SQLite's write transaction
/// holds the whole database), so concurrent attempts on one key are decided one by one.
pub async fn lock(conn: &mut AnyConnection, key: &str) -> Result<(Tally, AuditBudget), StoreError> {
    let r = sqlx::query(
        "INSERT INTO sign_in_throttle (key) VALUES ($1)
         ON CONFLICT (key) DO UPDATE SET failures = sign_in_throttle.failures
         RETURNING failures, last_failure_at, audit_window_at, audit_rows, unlisted",
    )
    .bind(key)
    .fetch_one(conn)
    .await?;
    Ok((Tally { failures: r.get(0), last_failure_at: r.get(1) }, AuditBudget { window_at: r.get(2), rows: r.get(3), unlisted: r.get(4) }))
}

pub async fn set_tally(conn: &mut AnyConnection, key: &str, t: Tally) -> Result<(), StoreError> {
    sqlx::query("UPDATE sign_in_throttle SET failures = $1, last_failure_at = $2 WHERE key = $3")
        .bind(t.failures)
        .bind(t.last_failure_at)
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_audit_budget(conn: &mut AnyConnection, key: &str, b: AuditBudget) -> Result<(), StoreError> {
    sqlx::query("UPDATE sign_in_throttle SET audit_window_at = $1, audit_rows = $2, unlisted = $3 WHERE key = $4")
        .bind(b.window_at)
        .bind(b.rows)
        .bind(b.unlisted)
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}

/// Takes one failure back (an attempt counted up front that turned out right).
pub async fn take_back_one(conn: &mut AnyConnection, key: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE sign_in_throttle SET failures = failures - 1 WHERE key = $1 AND failures > 0").bind(key).execute(conn).await?;
    Ok(())
}

/// Forgets the key's failures.
pub async fn clear(conn: &mut AnyConnection, key: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sign_in_throttle WHERE key = $1").bind(key).execute(conn).await?;
    Ok(())
}

/// Drops the rows of keys quiet since `before` (names never tried again, addresses gone).
pub async fn forget_quiet(conn: &mut AnyConnection, before: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sign_in_throttle WHERE last_failure_at < $1 AND audit_window_at < $1").bind(before).execute(conn).await?;
    Ok(())
}
