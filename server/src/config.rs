//! Configuration from the environment, with defaults for a single-district install.
use app::domain::privacy::Retention;
use app::service::limiter::{Limits, Rate};
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
    /// Rate limits of the public suggestion form (per client address, per phone).
    pub suggest_limits: Limits,
    /// `/events` streams one user may hold open at once (`EVENTS_PER_USER`).
    pub streams_per_user: usize,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`TRUSTED_PROXIES`).
    pub trusted_proxies: crate::client::TrustedProxies,
    /// Months a finished matter's reporter contact is kept (`CONTACT_RETENTION_MONTHS`).
    pub contact_retention: Retention,
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
            suggest_limits: limits_from(|k| std::env::var(k).ok()),
            streams_per_user: std::env::var("EVENTS_PER_USER").ok().and_then(|v| v.parse().ok()).unwrap_or(8),
            contact_retention: retention_from(std::env::var("CONTACT_RETENTION_MONTHS").ok()),
            trusted_proxies: match crate::client::TrustedProxies::parse(&std::env::var("TRUSTED_PROXIES").unwrap_or_default()) {
                Ok(p) => p,
                // A typo must not quietly put every resident behind one address.
                Err(e) => panic!("{e}"),
            },
        }
    }
}

/// A retention the law officer set must never be replaced by a default because of a typo:
/// a value that does not parse stops the start with a clear message.
pub fn retention_from(value: Option<String>) -> Retention {
    match value {
        None => Retention::DEFAULT,
        Some(v) => Retention::parse(&v).unwrap_or_else(|| panic!("CONTACT_RETENTION_MONTHS must be a whole number of months from 1 to 600, not {v:?}")),
    }
}

/// `SUGGEST_LIMITS=off` switches the suggestion form's rate limits off (for benchmarks);
/// `SUGGEST_LIMIT_ADDRESS` / `SUGGEST_LIMIT_PHONE` as `N/SECONDS` (or `off`) set each one.
/// A value that does not parse keeps the default, so a typo never removes a limit.
pub fn limits_from(var: impl Fn(&str) -> Option<String>) -> Limits {
    if var("SUGGEST_LIMITS").is_some_and(|v| v.trim() == "off") {
        return Limits::OFF;
    }
    let one = |name: &str, default: Option<Rate>| match var(name) {
        Some(v) if v.trim() == "off" => None,
        Some(v) => Rate::parse(&v).or(default),
        None => default,
    };
    Limits {
        per_address: one("SUGGEST_LIMIT_ADDRESS", Limits::DEFAULT.per_address),
        per_phone: one("SUGGEST_LIMIT_PHONE", Limits::DEFAULT.per_phone),
        lookups: one("SUGGEST_LIMIT_LOOKUPS", Limits::DEFAULT.lookups),
        storage_per_day: match var("REPORT_STORAGE_MB_PER_DAY") {
            Some(v) if v.trim() == "off" => None,
            Some(v) => v.trim().parse::<u64>().ok().filter(|mb| *mb > 0).map(|mb| mb * 1024 * 1024).or(Limits::DEFAULT.storage_per_day),
            None => Limits::DEFAULT.storage_per_day,
        },
        api_per_token: one("API_LIMIT_TOKEN", Limits::DEFAULT.api_per_token),
    }
}

/// `url` with its database name replaced, keeping user, host and query (`?host=/socket/dir`):
/// tests and benchmarks make a database of their own on the server a URL names.
pub fn with_database(url: &str, name: &str) -> String {
    let (head, query) = match url.split_once('?') {
        Some((h, q)) => (h, format!("?{q}")),
        None => (url, String::new()),
    };
    let authority = head.find("://").map(|i| i + 3).unwrap_or(0);
    let path = head[authority..].find('/').map(|i| authority + i).unwrap_or(head.len());
    format!("{}/{name}{query}", &head[..path])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_contact_retention_is_read_or_defaulted() {
        assert_eq!(retention_from(None), Retention::DEFAULT);
        assert_eq!(retention_from(Some("36".into())), Retention { months: 36 });
    }

    #[test]
    #[should_panic(expected = "CONTACT_RETENTION_MONTHS")]
    fn a_mistyped_retention_stops_the_start() {
        retention_from(Some("3 years".into()));
    }

    #[test]
    fn limits_come_from_the_environment_and_can_be_switched_off() {
        assert_eq!(limits_from(|_| None), Limits::DEFAULT);
        assert_eq!(limits_from(|k| (k == "SUGGEST_LIMITS").then(|| "off".into())), Limits::OFF);
        let l = limits_from(|k| match k {
            "SUGGEST_LIMIT_ADDRESS" => Some("3/10".into()),
            "SUGGEST_LIMIT_PHONE" => Some("off".into()),
            _ => None,
        });
        assert_eq!(
            l,
            Limits {
                per_address: Some(Rate { burst: 3, per: Duration::from_secs(10) }),
                per_phone: None,
                lookups: Limits::DEFAULT.lookups,
                storage_per_day: Limits::DEFAULT.storage_per_day,
                api_per_token: Limits::DEFAULT.api_per_token,
            }
        );
        assert_eq!(limits_from(|k| (k == "SUGGEST_LIMIT_ADDRESS").then(|| "lots".into())), Limits::DEFAULT);
    }
}
