//! The real-time hub's outbox (`notices`): written in the transaction of the change it
//! announces, read back for a browser catching up after a reconnect, and on PostgreSQL
//! sent to every instance at commit.
use super::{Backend, Db, StoreError};
use crate::domain::notice::Notice;
use sqlx::{AnyConnection, Row};

/// The PostgreSQL channel every server instance listens on.
pub const CHANNEL: &str = "shezhi_notices";

/// Stores `n` (its `id` is assigned here) inside the caller's transaction. On PostgreSQL
/// the notice is also sent on `CHANNEL`, which delivers it to every instance at commit —
/// and never if the transaction rolls back.
pub async fn insert(conn: &mut AnyConnection, mut n: Notice) -> Result<Notice, StoreError> {
    n.id = 0;
    let body = serde_json::to_string(&n).expect("notices serialise");
    // The stored body starts `{"id":0,`; the pushed one carries the real id. On PostgreSQL the
    // insert and the NOTIFY are one statement: one round trip on the hot path of a push.
    let tail = body.strip_prefix(r#"{"id":0"#).expect("the id is the first field");
    let row = match Backend::of(conn) {
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

/// Stores `notices` in one statement (ids assigned here), as `insert` does one.
pub async fn insert_many(conn: &mut AnyConnection, notices: Vec<Notice>) -> Result<Vec<Notice>, StoreError> {
    match notices.len() {
        0 => return Ok(notices),
        1 => return Ok(vec![insert(conn, notices.into_iter().next().expect("one notice")).await?]),
        _ => {}
    }
    let bodies: Vec<String> = notices
        .iter()
        .map(|n| {
            let body = serde_json::to_string(&Notice { id: 0, ..n.clone() }).expect("notices serialise");
            debug_assert!(body.starts_with(r#"{"id":0,"#), "the id is the first field");
            body
        })
        .collect();
    let values = (0..notices.len()).map(|i| format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3)).collect::<Vec<_>>().join(", ");
    // The pushed body carries the real id in place of the stored `{"id":0`.
    let sql = match Backend::of(conn) {
        Backend::Sqlite => format!("INSERT INTO notices (at, case_id, body) VALUES {values} RETURNING id, body"),
        Backend::Postgres => format!(
            "WITH n AS (INSERT INTO notices (at, case_id, body) VALUES {values} RETURNING id, body),
                  p AS (SELECT n.id, n.body, pg_notify(${}, '{{\"id\":' || n.id || substr(n.body, 8)) FROM n)
             SELECT id, body FROM p",
            3 * notices.len() + 1
        ),
    };
    let mut q = sqlx::query(&sql);
    for (n, body) in notices.iter().zip(&bodies) {
        q = q.bind(n.at_ms).bind(n.case_id).bind(body.as_str());
    }
    if Backend::of(conn) == Backend::Postgres {
        q = q.bind(CHANNEL);
    }
    let rows = q.fetch_all(&mut *conn).await?;
    // A multi-row RETURNING keeps no order: each id goes to the notice of its body (equal
    // bodies are equal notices).
    let mut ids: std::collections::HashMap<&str, Vec<i64>> = std::collections::HashMap::new();
    for r in &rows {
        let body = bodies.iter().find(|b| b.as_str() == r.get::<String, _>(1)).map(String::as_str).unwrap_or_default();
        ids.entry(body).or_default().push(r.get(0));
    }
    let mut out = notices;
    for (n, body) in out.iter_mut().zip(&bodies) {
        n.id = ids.get_mut(body.as_str()).and_then(Vec::pop).ok_or(StoreError::Db(sqlx::Error::RowNotFound))?;
    }
    out.sort_by_key(|n| n.id);
    Ok(out)
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

/// On PostgreSQL, hands every notice any instance commits to `on` (with its JSON as sent),
/// until the connection fails.
pub async fn listen(db: &Db, mut on: impl FnMut(Notice, &str)) -> Result<(), sqlx::Error> {
    let mut listener = sqlx::postgres::PgListener::connect(&db.url).await?;
    listener.listen(CHANNEL).await?;
    loop {
        let n = listener.recv().await?;
        match serde_json::from_str::<Notice>(n.payload()) {
            Ok(notice) => on(notice, n.payload()),
            Err(e) => tracing::warn!(error = %e, "an unreadable notice"),
        }
    }
}
