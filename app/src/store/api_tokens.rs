//! Tokens of the systems that call the JSON API (`/api/v1`), such as the 12345 hotline
//! platform. Only a token's SHA-256 is kept: the token itself is shown once, when made.
use super::StoreError;
use sqlx::{AnyConnection, Row};

/// A calling system, as its token identifies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiClient {
    pub id: i64,
    pub name: String,
}

/// Records a new token under a unique name; `Duplicate` when the name (or, absurdly, the
/// hash) is taken.
pub async fn insert(conn: &mut AnyConnection, name: &str, token_hash: &str, now: i64) -> Result<i64, StoreError> {
    sqlx::query_scalar("INSERT INTO api_tokens (name, token_hash, active, created_at) VALUES ($1, $2, 1, $3) RETURNING id")
        .bind(name)
        .bind(token_hash)
        .bind(now)
        .fetch_one(&mut *conn)
        .await
        .map_err(StoreError::from_write)
}

/// The active client whose token hashes to `token_hash`, if any.
pub async fn find_active(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<ApiClient>, StoreError> {
    let row = sqlx::query("SELECT id, name FROM api_tokens WHERE token_hash = $1 AND active = 1").bind(token_hash).fetch_optional(&mut *conn).await?;
    Ok(row.map(|r| ApiClient { id: r.get(0), name: r.get(1) }))
}

/// Switches a token on or off by its name; `NotFound` when there is no such name.
pub async fn set_active(conn: &mut AnyConnection, name: &str, active: bool) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE api_tokens SET active = $1 WHERE name = $2").bind(active as i64).bind(name).execute(&mut *conn).await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
