//! `command_keys`: which command keys have been filed (`domain::case::CommandKey`).
use super::StoreError;
use crate::domain::case::{CaseId, UserId};
use sqlx::{AnyConnection, Row};

/// Records the key inside the command's transaction. `None`: the key is new and now taken;
/// otherwise who filed it and on which case. A concurrent transaction with the same key
/// waits on PostgreSQL's unique index (SQLite's writer is one at a time) and then sees it.
pub async fn claim(
    conn: &mut AnyConnection,
    key: &str,
    user: Option<UserId>,
    case_id: CaseId,
    now: i64,
) -> Result<Option<(Option<UserId>, CaseId)>, StoreError> {
    let inserted = sqlx::query("INSERT INTO command_keys (key, user_id, case_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING")
        .bind(key)
        .bind(user)
        .bind(case_id)
        .bind(now)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if inserted == 1 {
        return Ok(None);
    }
    let r = sqlx::query("SELECT user_id, case_id FROM command_keys WHERE key = $1").bind(key).fetch_one(conn).await?;
    Ok(Some((r.get(0), r.get(1))))
}

/// Forgets the keys filed before `before`; returns how many.
pub async fn prune_keys(conn: &mut AnyConnection, before: i64) -> Result<u64, StoreError> {
    Ok(sqlx::query("DELETE FROM command_keys WHERE created_at < $1").bind(before).execute(conn).await?.rows_affected())
}
