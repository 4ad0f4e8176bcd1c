//! The real-time hub's outbox (`notices`): written in the transaction of the change it
//! announces, read back for a browser catching up after a reconnect.
use super::{Backend, StoreError};
use crate::domain::notice::Notice;
use sqlx::{AnyConnection, Row};

/// The PostgreSQL channel every server instance listens on.
pub const CHANNEL: &str = "shezhi_notices";

/// A notice as the hub carries it: encoded once, whatever the number of subscribers.
#[derive(Debug)]
pub struct Pushed {
    pub notice: Notice,
    pub json: String,
}

impl Pushed {
    pub fn new(notice: Notice) -> Pushed {
        let json = serde_json::to_string(&notice).expect("notices serialise");
        Pushed { notice, json }
    }
}

/// How long notices are kept for catching up; a phone offline longer reloads its inbox anyway.
pub const KEEP_MS: i64 = 7 * 24 * 3600 * 1000;

/// Stores `n` (its `id` is assigned here) inside the caller's transaction. On PostgreSQL
/// the notice is also sent on `CHANNEL`, which delivers it to every instance at commit —
/// and never if the transaction rolls back.
pub async fn insert(conn: &mut AnyConnection, backend: Backend, mut n: Notice) -> Result<Notice, StoreError> {
    n.id = 0;
    let body = serde_json::to_string(&n).expect("notices serialise");
    // The stored body starts `{"id":0,`; the pushed one carries the real id. On PostgreSQL the
    // insert and the NOTIFY are one statement: one round trip on the hot path of a push.
    let tail = body.strip_prefix(r#"{"id":0"#).expect("the id is the first field");
    let row = match backend {
        Backend::Sqlite => {
            sqlx::query("INSERT INTO notices (at, case_id, body) VALUES ($1, $2, $3) RETURNING id")
                .bind(n.at_ms)
                .bind(n.case_id)
                .bind(&body)
                .fetch_one(&mut *conn)
                .await?
        }
        Backend::Postgres => {
            sqlx::query(
                "WITH n AS (INSERT INTO notices (at, case_id, body) VALUES ($1, $2, $3) RETURNING id),
                      p AS (SELECT pg_notify($4, '{\"id\":' || n.id || $5) FROM n)
                 SELECT n.id FROM n, p",
            )
            .bind(n.at_ms)
            .bind(n.case_id)
            .bind(&body)
            .bind(CHANNEL)
            .bind(tail)
            .fetch_one(&mut *conn)
            .await?
        }
    };
    n.id = row.get(0);
    Ok(n)
}

/// Notices after `after_id`, oldest first, at most `limit`.
pub async fn since(conn: &mut AnyConnection, after_id: i64, limit: i64) -> Result<Vec<Notice>, StoreError> {
    let rows = sqlx::query("SELECT id, body FROM notices WHERE id > $1 ORDER BY id LIMIT $2").bind(after_id).bind(limit).fetch_all(conn).await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let mut n: Notice = serde_json::from_str(&r.get::<String, _>(1)).ok()?;
            n.id = r.get(0);
            Some(n)
        })
        .collect())
}

/// The newest notice's id (0 when there is none): where a fresh subscriber starts.
pub async fn last_id(conn: &mut AnyConnection) -> Result<i64, StoreError> {
    Ok(sqlx::query("SELECT COALESCE(MAX(id), 0) FROM notices").fetch_one(conn).await?.get::<i64, _>(0))
}

/// Drops notices older than `before`.
pub async fn prune(conn: &mut AnyConnection, before: i64) -> Result<u64, StoreError> {
    Ok(sqlx::query("DELETE FROM notices WHERE at < $1").bind(before).execute(conn).await?.rows_affected())
}
