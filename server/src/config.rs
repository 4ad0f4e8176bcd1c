//! Configuration from the environment, with defaults for a single-district install.
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://shezhi.db` (default) or `postgres://user@host/db`.
    pub database_url: String,
    /// Idle timeout of staff sessions.
    pub session_idle: Duration,
    /// Absolute session lifetime, whatever the activity.
    pub session_absolute: Duration,
    /// Send the session cookie only over HTTPS (set behind a TLS proxy).
    pub secure_cookies: bool,
    /// Seed the demo organisation on an empty database at start.
    pub seed_demo: bool,
    /// Where case attachments are kept (outside the database, served only through checks).
    pub files_dir: PathBuf,
}

fn env_secs(name: &str, default: u64) -> Duration {
    Duration::from_secs(std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default))
}

impl Config {
    pub fn from_env() -> Config {
        Config {
            database_url: std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite://shezhi.db".into()),
            session_idle: env_secs("SESSION_IDLE_SECS", 30 * 60),
            session_absolute: env_secs("SESSION_ABSOLUTE_SECS", 12 * 3600),
            secure_cookies: std::env::var("SECURE_COOKIES").is_ok_and(|v| v == "1" || v == "true"),
            seed_demo: std::env::var("SEED_DEMO").map(|v| v != "0").unwrap_or(true),
            files_dir: std::env::var("FILES_DIR").map(PathBuf::from).unwrap_or_else(|_| PathBuf::from("files")),
        }
    }
}
