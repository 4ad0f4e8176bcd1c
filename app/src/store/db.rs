use super::StoreError;
use super::notices::Pushed;
use crate::domain::notice::Notice;
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

#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// SQLite's one writer, queued in the process: concurrent writers that all asked SQLite
    /// for the write lock would be told "busy" and sleep in its busy handler (1, 2, 5, 10 …
    /// ms) while the lock sits free; queueing here hands it straight to the next one.
    writer: Arc<tokio::sync::Mutex<()>>,
    /// Rung after a write that may have brought a case's alarm nearer; the scheduler
    /// sleeps on it and on the earliest alarm.
    alarm_bell: Arc<tokio::sync::Notify>,
    /// The real-time hub: every notice reaches the subscribers of this process through it.
    hub: tokio::sync::broadcast::Sender<Arc<Pushed>>,
    url: Arc<str>,
    listening: Arc<std::sync::atomic::AtomicBool>,
}

/// Notices a slow subscriber may fall behind by before it catches up from the database.
const HUB_CAPACITY: usize = 1024;

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
        let (hub, _) = tokio::sync::broadcast::channel(HUB_CAPACITY);
        Ok(Db { pool, backend, writer: Arc::default(), alarm_bell: Arc::default(), hub, url: url.into(), listening: Arc::default() })
    }

    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        self.optimize().await.map_err(sqlx::migrate::MigrateError::Execute)
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

    /// Tells the scheduler that alarms may have moved (call after the commit).
    pub fn alarms_changed(&self) {
        self.alarm_bell.notify_one();
    }

    /// Resolves at the next `alarms_changed` (or at once if one came since the last wait).
    pub async fn alarms_moved(&self) {
        self.alarm_bell.notified().await
    }

    /// Pushes notices written by a committed transaction to this process's subscribers. On
    /// PostgreSQL the listener does it instead (for every instance, this one included), so
    /// nothing is sent twice.
    pub fn published(&self, notices: impl IntoIterator<Item = Notice>) {
        if self.backend == Backend::Sqlite {
            for n in notices {
                let _ = self.hub.send(Arc::new(Pushed::new(n)));
            }
        }
    }

    /// A new subscriber to the hub.
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Arc<Pushed>> {
        self.hub.subscribe()
    }

    /// On PostgreSQL, listens for the notices every instance writes and hands them to this
    /// process's hub; a lost connection is reopened. Once per `Db`; nothing on SQLite, whose
    /// one process sends its own.
    pub fn start_listening(&self) {
        use std::sync::atomic::Ordering;
        if self.backend != Backend::Postgres || self.listening.swap(true, Ordering::SeqCst) {
            return;
        }
        let (url, hub) = (self.url.clone(), self.hub.clone());
        tokio::spawn(async move {
            loop {
                match listen(&url, &hub).await {
                    Ok(()) => break,
                    Err(e) => tracing::error!(error = %e, "listening for notices failed; retrying"),
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
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

    /// The one way to take a pooled connection for reads. The house rule: a use case that
    /// holds one (or a write transaction) passes it down to `&mut AnyConnection` store
    /// functions and asks the pool for nothing else until it lets go; a store function that
    /// takes `&Db` holds its connection for its one statement only. Holding one while waiting
    /// for a second is how the pool runs dry.
    pub async fn read(&self) -> Result<PoolConnection<Any>, StoreError> {
        Ok(self.pool.acquire().await?)
    }
}

async fn listen(url: &str, hub: &tokio::sync::broadcast::Sender<Arc<Pushed>>) -> Result<(), sqlx::Error> {
    let mut listener = sqlx::postgres::PgListener::connect(url).await?;
    listener.listen(super::notices::CHANNEL).await?;
    loop {
        let n = listener.recv().await?;
        match serde_json::from_str::<Notice>(n.payload()) {
            // The payload is the notice's JSON already: pushed as it came.
            Ok(notice) => {
                let _ = hub.send(Arc::new(Pushed { notice, json: n.payload().to_string() }));
            }
            Err(e) => tracing::warn!(error = %e, "an unreadable notice"),
        }
    }
}
