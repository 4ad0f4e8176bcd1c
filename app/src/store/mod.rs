//! The only place with SQL. One code path for SQLite and PostgreSQL through sqlx's `Any`
//! driver: `$n` placeholders, integers and text only, instants as Unix milliseconds.
pub mod api_tokens;
pub mod audit;
pub mod backup;
pub mod bulletins;
pub mod campaigns;
pub mod cases;
pub mod db;
pub mod duty;
pub mod emergency;
pub mod evaluation;
pub mod hash;
pub mod hazards;
pub mod mediation;
pub mod notices;
pub mod open311;
pub mod org;
pub mod placeholders;
pub mod privacy;
pub mod risk;
pub mod routing;
pub mod screen;
pub mod sessions;
pub mod sign_in_throttle;
pub mod supervision;
pub mod users;

pub use db::{Backend, Db, WriteTx};

pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// Failure of a store call: either the database, or a rule of the register (a name taken).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("already exists")]
    Duplicate,
    #[error("not found")]
    NotFound,
}

impl StoreError {
    /// Unique-constraint violations on either backend become `Duplicate`.
    pub fn from_write(e: sqlx::Error) -> StoreError {
        match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Duplicate,
            _ => StoreError::Db(e),
        }
    }
}
