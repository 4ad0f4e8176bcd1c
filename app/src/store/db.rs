use super::StoreError;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, Executor, Transaction};
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The database a connection talks to, for the few statements written per dialect.
    pub fn of(conn: &AnyConnection) -> Backend {
        if conn.backend_name() == "PostgreSQL" { Backend::Postgres } else { Backend::Sqlite }
    }
}

#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// SQLite's one writer, queued in the process: concurrent writers that all asked SQLite
    /// for the write lock would be told "busy" and sleep in its busy handler (1, 2, 5, 10 …
    /// ms) while the lock sits free; queueing here hands it straight to the next one.
    writer: Arc<tokio::sync::Mutex<()>>,
    /// For the PostgreSQL listener's own connection (`notices::listen`).
    pub(super) url: Arc<str>,
}

/// A write transaction; on SQLite it also holds the process's turn to write.
pub struct WriteTx {
    tx: Transaction<'static, Any>,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

impl std::ops::Deref for WriteTx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// The file a `sqlite://` or `sqlite:` URL names (its query, such as `?mode=rwc`, left off).
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next().unwrap_or("");
    (!path.is_empty() && path != ":memory:").then(|| std::path::PathBuf::from(path))
}

impl Db {
    /// Opens the database named by `url` (`sqlite://file.db` or `postgres://…`).
    pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
        install_default_drivers();
        let backend = if url.starts_with("postgres") { Backend::Postgres } else { Backend::Sqlite };
        let url = match backend {
            Backend::Sqlite if !url.contains('?') => format!("{url}?mode=rwc"),
            _ => url.to_string(),
        };
        let options = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    match backend {
                        Backend::Sqlite => {
                            conn.execute("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000; PRAGMA synchronous=NORMAL;").await?;
                        }
                        // Compiling a query costs ~100 ms, far more than the short queries
                        // of a case system it would speed up.
                        Backend::Postgres => {
                            conn.execute("SET jit = off").await?;
                        }
                    }
                    Ok(())
                })
            });
        let pool = options.connect(&url).await?;
        Ok(Db { pool, backend, writer: Arc::default(), url: url.into() })
    }

    fn migrator(&self) -> &'static sqlx::migrate::Migrator {
        match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        }
    }

    /// Applies the migrations not yet applied, forward only, each in its own transaction
    /// (sqlx's default; none of ours opts out), so a failing one leaves the schema as the
    /// one before it.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        self.migrator().run(&self.pool).await?;
        self.optimize().await.map_err(sqlx::migrate::MigrateError::Execute)
    }

    /// The migrations `migrate` would apply, as (version, description), changing nothing.
    /// A database that has a migration this build lacks (a newer release's), or one whose
    /// applied script was since edited, is an error: migrating it would fail the same way.
    pub async fn pending_migrations(&self) -> Result<Vec<(i64, String)>, String> {
        let mut conn = self.pool.acquire().await.map_err(|e| e.to_string())?;
        let version = super::backup::schema_version(&mut conn).await.map_err(|e| e.to_string())?;
        let applied: Vec<(i64, Vec<u8>)> = if version == 0 {
            Vec::new()
        } else {
            sqlx::query_as("SELECT version, checksum FROM _sqlx_migrations WHERE success ORDER BY version")
                .fetch_all(&mut *conn)
                .await
                .map_err(|e| e.to_string())?
        };
        drop(conn);
        let known = self.migrator().iter().filter(|m| m.migration_type.is_up_migration());
        for (v, checksum) in &applied {
            match self.migrator().iter().find(|m| m.version == *v) {
                None => return Err(format!("the database has migration {v}, which this release does not know: it was made by a newer release")),
                Some(m) if m.checksum.as_ref() != checksum.as_slice() => {
                    return Err(format!("migration {v} ({}) was changed after it was applied", m.description));
                }
                Some(_) => {}
            }
        }
        Ok(known.filter(|m| !applied.iter().any(|(v, _)| *v == m.version)).map(|m| (m.version, m.description.to_string())).collect())
    }

    /// Keeps SQLite's planner statistics in step with the data: analyses the tables that
    /// have none yet, or have grown or shrunk tenfold since their last analysis, and is
    /// cheap otherwise. With the statistics (and their per-value samples) SQLite walks the
    /// index that suits a list filter's values: a grid with seven cases, not every
    /// rejected case looking for them. PostgreSQL's autovacuum does the same by itself.
    /// Runs after the migrations and hourly from the scheduler.
    pub async fn optimize(&self) -> Result<(), sqlx::Error> {
        if self.backend == Backend::Sqlite {
            // 0x02 analyse, 0x10000 every table; without 0x10 the analysis is complete
            // rather than limited, which the per-value samples need.
            sqlx::query("PRAGMA optimize=0x10002").execute(&self.pool).await?;
        }
        Ok(())
    }

    /// A write transaction. On SQLite it takes the write lock up front (`BEGIN IMMEDIATE`),
    /// so a read-then-write never fails half-way when another writer commits in between.
    pub async fn begin_write(&self) -> Result<WriteTx, StoreError> {
        Ok(match self.backend {
            Backend::Sqlite => {
                let turn = self.writer.clone().lock_owned().await;
                WriteTx { tx: self.pool.begin_with("BEGIN IMMEDIATE").await?, _turn: Some(turn) }
            }
            Backend::Postgres => WriteTx { tx: self.pool.begin().await?, _turn: None },
        })
    }

    /// A read-only transaction that sees one state of the database throughout (SQLite's
    /// reads in a transaction already do; PostgreSQL's need repeatable read).
    pub async fn snapshot(&self) -> Result<Transaction<'static, Any>, StoreError> {
        Ok(match self.backend {
            Backend::Postgres => self.pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY").await?,
            Backend::Sqlite => self.pool.begin().await?,
        })
    }

    /// Connections the pool holds open, and how many of them are idle.
    pub fn pool_use(&self) -> (u32, usize) {
        (self.pool.size(), self.pool.num_idle())
    }

    /// The one way to take a pooled connection for reads. The house rule: a use case that
    /// holds one (or a write transaction) passes it down to `&mut AnyConnection` store
    /// functions and asks the pool for nothing else until it lets go; a store function that
    /// takes `&Db` holds its connection for its one statement only. Holding one while waiting
    /// for a second is how the pool runs dry.
    pub async fn read(&self) -> Result<PoolConnection<Any>, StoreError> {
        Ok(self.pool.acquire().await?)
    }
}
