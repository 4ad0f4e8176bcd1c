//! Server-side sessions kept in the application database (same code for both backends),
//! so sign-out and expiry hold across restarts and across instances.
use super::Db;
use async_trait::async_trait;
use time::OffsetDateTime;
use tower_sessions::SessionStore;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, ExpiredDeletion, Result};

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: Db,
}

impl DbSessionStore {
    pub fn new(db: Db) -> Self {
        DbSessionStore { db }
    }
}

fn backend(e: impl std::fmt::Display) -> Error {
    Error::Backend(e.to_string())
}

fn expiry_ms(r: &Record) -> i64 {
    (r.expiry_date.unix_timestamp_nanos() / 1_000_000) as i64
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        // Insert-or-retry on the (astronomically rare) id collision.
        loop {
            let data = serde_json::to_string(&record.data).map_err(backend)?;
            let inserted = sqlx::query("INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING")
                .bind(record.id.to_string())
                .bind(data)
                .bind(expiry_ms(record))
                .execute(&self.db.pool)
                .await
                .map_err(backend)?;
            if inserted.rows_affected() == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let data = serde_json::to_string(&record.data).map_err(backend)?;
        sqlx::query(
            "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
        )
        .bind(record.id.to_string())
        .bind(data)
        .bind(expiry_ms(record))
        .execute(&self.db.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let row: Option<(String, i64)> = sqlx::query_as("SELECT data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2")
            .bind(id.to_string())
            .bind(super::now_ms())
            .fetch_optional(&self.db.pool)
            .await
            .map_err(backend)?;
        let Some((data, expires_at)) = row else { return Ok(None) };
        let expiry_date = OffsetDateTime::from_unix_timestamp_nanos(expires_at as i128 * 1_000_000).map_err(backend)?;
        Ok(Some(Record { id: *id, data: serde_json::from_str(&data).map_err(backend)?, expiry_date }))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id.to_string()).execute(&self.db.pool).await.map_err(backend)?;
        Ok(())
    }
}

#[async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(super::now_ms()).execute(&self.db.pool).await.map_err(backend)?;
        Ok(())
    }
}

/// Whether the session `id` exists and has not expired at `now` (signed out, or idle too long).
pub async fn alive(conn: &mut sqlx::AnyConnection, id: &str, now: i64) -> std::result::Result<bool, super::StoreError> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM sessions WHERE id = $1 AND expires_at > $2").bind(id).bind(now).fetch_optional(conn).await?;
    Ok(found.is_some())
}
