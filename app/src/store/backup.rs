//! What backup and restore ask of the database: a consistent copy of a live SQLite file,
//! and the figures that prove a copy whole.
use super::{Backend, StoreError};
use sqlx::{AnyConnection, Row};
use std::path::Path;

/// Writes a consistent copy of the live SQLite database to `file` (which must not exist),
/// while the server keeps writing: `VACUUM INTO` reads one snapshot, as any reader does
/// under WAL, and makes a compact file with no WAL of its own. Outside a transaction.
pub async fn copy_into(conn: &mut AnyConnection, file: &Path) -> Result<(), StoreError> {
    debug_assert_eq!(Backend::of(conn), Backend::Sqlite);
    sqlx::query("VACUUM INTO $1").bind(file.to_string_lossy().into_owned()).execute(&mut *conn).await?;
    Ok(())
}

/// SQLite's own check of the file's pages and indexes: `None` when sound, else what it found.
pub async fn integrity_problems(conn: &mut AnyConnection) -> Result<Option<String>, StoreError> {
    let rows = sqlx::query("PRAGMA integrity_check").fetch_all(&mut *conn).await?;
    let found: Vec<String> = rows.iter().filter_map(|r| r.try_get::<String, _>(0).ok()).filter(|s| s != "ok").collect();
    Ok(if found.is_empty() { None } else { Some(found.join("; ")) })
}

/// The newest migration applied, 0 on an empty database.
pub async fn schema_version(conn: &mut AnyConnection) -> Result<i64, StoreError> {
    let exists: i64 = match Backend::of(conn) {
        Backend::Sqlite => {
            sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'").fetch_one(&mut *conn).await?
        }
        Backend::Postgres => {
            sqlx::query_scalar("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '_sqlx_migrations'").fetch_one(&mut *conn).await?
        }
    };
    if exists == 0 {
        return Ok(0);
    }
    Ok(sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(version) FROM _sqlx_migrations WHERE success").fetch_one(&mut *conn).await?.unwrap_or(0))
}

/// How much the register holds: cases, and the attachments' storage keys with their sizes.
pub struct Contents {
    pub cases: i64,
    pub attachments: Vec<(String, i64)>,
}

pub async fn contents(conn: &mut AnyConnection) -> Result<Contents, StoreError> {
    let cases: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases").fetch_one(&mut *conn).await?;
    let rows = sqlx::query("SELECT storage_key, size FROM attachments ORDER BY id").fetch_all(&mut *conn).await?;
    let attachments = rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect::<Result<_, sqlx::Error>>()?;
    Ok(Contents { cases, attachments })
}
