//! Tokens of the systems that call the JSON API (`/api/v1`), such as the 12345 hotline
//! platform. Only a token's SHA-256 is kept: the token itself is shown once, when made.
use super::StoreError;
use crate::domain::case::Channel;
use sqlx::{AnyConnection, Row};

/// A calling system, as its token identifies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiClient {
    pub id: i64,
    pub name: String,
    /// The channel every case it files is filed under.
    pub channel: Channel,
    /// Whether it may read every case, not only those it filed.
    pub read_all: bool,
}

/// Records a new token under a unique name; `Duplicate` when the name (or, absurdly, the
/// hash) is taken.
pub async fn insert(conn: &mut AnyConnection, name: &str, token_hash: &str, channel: Channel, read_all: bool, now: i64) -> Result<i64, StoreError> {
    sqlx::query_scalar("INSERT INTO api_tokens (name, token_hash, active, created_at, channel, read_all) VALUES ($1, $2, 1, $3, $4, $5) RETURNING id")
        .bind(name)
        .bind(token_hash)
        .bind(now)
        .bind(channel.code())
        .bind(read_all as i64)
        .fetch_one(&mut *conn)
        .await
        .map_err(StoreError::from_write)
}

/// The active client whose token hashes to `token_hash`, if any.
pub async fn find_active(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<ApiClient>, StoreError> {
    let row = sqlx::query("SELECT id, name, channel, read_all FROM api_tokens WHERE token_hash = $1 AND active = 1")
        .bind(token_hash)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.and_then(|r| {
        let channel = r.get::<String, _>(2).parse::<Channel>().ok()?;
        Some(ApiClient { id: r.get(0), name: r.get(1), channel, read_all: r.get::<i64, _>(3) != 0 })
    }))
}

/// Switches a token on or off by its name; `NotFound` when there is no such name.
pub async fn set_active(conn: &mut AnyConnection, name: &str, active: bool) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE api_tokens SET active = $1 WHERE name = $2").bind(active as i64).bind(name).execute(&mut *conn).await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
