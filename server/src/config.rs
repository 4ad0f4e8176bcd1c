//! Configuration from the environment, with defaults for a single-district install. Every
//! variable is checked at start: a value that cannot be used stops the server with one line
//! naming the variable, since a default taken silently (a limit dropped, contacts kept for the
//! wrong time, every resident behind one proxy address) is worse than not starting.
use app::domain::privacy::Retention;
use app::service::limiter::{Limits, Rate};
use std::path::{Path, PathBuf};
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
    /// Client networks `/metrics` answers (`METRICS_FROM`; this machine by default).
    pub metrics_from: crate::observe::MetricsFrom,
}

/// A variable whose value cannot be used, and what it should look like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadVar {
    pub name: &'static str,
    pub value: String,
    pub expected: String,
}

impl std::fmt::Display for BadVar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}={:?} cannot be used: {}", self.name, self.value, self.expected)
    }
}

impl std::error::Error for BadVar {}

/// Reads the variables through `var`, so tests give their own.
struct Vars<F: Fn(&str) -> Option<String>>(F);

impl<F: Fn(&str) -> Option<String>> Vars<F> {
    /// The variable's value parsed by `parse`, `default` when it is unset or empty.
    fn get<T>(&self, name: &'static str, expected: &str, default: T, parse: impl Fn(&str) -> Option<T>) -> Result<T, BadVar> {
        match self.0(name) {
            Some(v) if !v.trim().is_empty() => parse(v.trim()).ok_or_else(|| BadVar { name, value: v, expected: expected.to_string() }),
            _ => Ok(default),
        }
    }

    fn secs(&self, name: &'static str, default: u64) -> Result<Duration, BadVar> {
        self.get(name, "a whole number of seconds above 0", Duration::from_secs(default), |v| v.parse::<u64>().ok().filter(|s| *s > 0).map(Duration::from_secs))
    }

    fn switch(&self, name: &'static str, default: bool) -> Result<bool, BadVar> {
        self.get(name, "1, true, 0 or false", default, |v| match v.to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Some(true),
            "0" | "false" | "no" | "off" => Some(false),
            _ => None,
        })
    }

    /// A rate `N/SECONDS`, or `off` for none.
    fn rate(&self, name: &'static str, default: Option<Rate>) -> Result<Option<Rate>, BadVar> {
        self.get(name, "N/SECONDS (as 5/3600) or off", default, |v| if v == "off" { Some(None) } else { Rate::parse(v).map(Some) })
    }
}

impl Config {
    /// The configuration from the process environment, with the files folder made and
    /// checked writable.
    pub fn from_env() -> Result<Config, BadVar> {
        let config = Config::from_vars(|k| std::env::var(k).ok())?;
        writable(&config.files_dir).map_err(|e| BadVar { name: "FILES_DIR", value: config.files_dir.display().to_string(), expected: e })?;
        Ok(config)
    }

    /// The configuration from the variables `var` gives, checked, without touching the disk.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Config, BadVar> {
        let v = Vars(var);
        Ok(Config {
            database_url: v.get("DATABASE_URL", "sqlite://FILE or postgres://USER@HOST/DB", "sqlite://shezhi.db".to_string(), database_url)?,
            session_idle: v.secs("SESSION_IDLE_SECS", 30 * 60)?,
            session_absolute: v.secs("SESSION_ABSOLUTE_SECS", 12 * 3600)?,
            secure_cookies: v.switch("SECURE_COOKIES", false)?,
            seed_demo: v.switch("SEED_DEMO", true)?,
            files_dir: v.get("FILES_DIR", "a folder", PathBuf::from("files"), |p| Some(PathBuf::from(p)))?,
            suggest_limits: limits(&v)?,
            streams_per_user: v.get("EVENTS_PER_USER", "a whole number from 1 to 1000", 8, |n| n.parse().ok().filter(|n| (1..=1000).contains(n)))?,
            contact_retention: v.get("CONTACT_RETENTION_MONTHS", "a whole number of months from 1 to 600", Retention::DEFAULT, Retention::parse)?,
            metrics_from: match v.0("METRICS_FROM") {
                Some(raw) if !raw.trim().is_empty() => {
                    crate::observe::MetricsFrom::parse(&raw).map_err(|e| BadVar { name: "METRICS_FROM", value: raw, expected: e })?
                }
                _ => crate::observe::MetricsFrom::default(),
            },
            trusted_proxies: {
                let raw = v.0("TRUSTED_PROXIES").unwrap_or_default();
                crate::client::TrustedProxies::parse(&raw).map_err(|e| BadVar { name: "TRUSTED_PROXIES", value: raw, expected: e })?
            },
        })
    }
}

fn database_url(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once(':')?;
    let ok = match scheme {
        "sqlite" => !rest.trim_start_matches("//").is_empty(),
        "postgres" | "postgresql" => rest.starts_with("//"),
        _ => false,
    };
    ok.then(|| url.to_string())
}

/// Makes the folder if need be and proves it takes a file, so the first attachment of the
/// day does not find out.
fn writable(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("a folder the server can create ({e})"))?;
    let probe = dir.join(format!(".write-check-{}", std::process::id()));
    std::fs::write(&probe, b"").map_err(|e| format!("a folder the server can write in ({e})"))?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

/// `SUGGEST_LIMITS=off` switches the public forms' rate limits off (for benchmarks);
/// `SUGGEST_LIMIT_ADDRESS` / `SUGGEST_LIMIT_PHONE` / `SUGGEST_LIMIT_LOOKUPS` /
/// `API_LIMIT_TOKEN` as `N/SECONDS` or `off` set each one, `REPORT_STORAGE_MB_PER_DAY` as
/// megabytes or `off`.
fn limits<F: Fn(&str) -> Option<String>>(v: &Vars<F>) -> Result<Limits, BadVar> {
    if v.get("SUGGEST_LIMITS", "off (or unset)", false, |s| (s == "off").then_some(true))? {
        return Ok(Limits::OFF);
    }
    let d = Limits::DEFAULT;
    Ok(Limits {
        per_address: v.rate("SUGGEST_LIMIT_ADDRESS", d.per_address)?,
        per_phone: v.rate("SUGGEST_LIMIT_PHONE", d.per_phone)?,
        lookups: v.rate("SUGGEST_LIMIT_LOOKUPS", d.lookups)?,
        storage_per_day: v.get("REPORT_STORAGE_MB_PER_DAY", "megabytes above 0, or off", d.storage_per_day, |s| {
            if s == "off" { Some(None) } else { s.parse::<u64>().ok().filter(|mb| *mb > 0).map(|mb| Some(mb * 1024 * 1024)) }
        })?,
        api_per_token: v.rate("API_LIMIT_TOKEN", d.api_per_token)?,
    })
}
/// How the log lines are written: `LOG_FORMAT=text` (default, for a terminal) or `json` (one
/// object per line, for a log collector), with `RUST_LOG` choosing what is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

impl LogFormat {
    pub fn from_env() -> Result<LogFormat, BadVar> {
        Vars(|k: &str| std::env::var(k).ok()).get("LOG_FORMAT", "text or json", LogFormat::Text, |v| match v {
            "text" => Some(LogFormat::Text),
            "json" => Some(LogFormat::Json),
            _ => None,
        })
    }

    /// Installs the process's log writer.
    pub fn init(self) {
        let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into());
        let logs = tracing_subscriber::fmt().with_env_filter(filter);
        match self {
            LogFormat::Text => logs.init(),
            // The current span's fields (the request id of `trace::layer`) on every line.
            LogFormat::Json => logs.json().with_current_span(true).with_span_list(false).init(),
        }
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

    fn with(pairs: &[(&str, &str)]) -> Result<Config, BadVar> {
        let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_vars(move |k| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()))
    }

    fn bad(pairs: &[(&str, &str)]) -> BadVar {
        with(pairs).expect_err("the value should be refused")
    }

    #[test]
    fn nothing_set_gives_the_single_district_defaults() {
        let c = with(&[]).unwrap();
        assert_eq!(c.database_url, "sqlite://shezhi.db");
        assert_eq!(c.session_idle, Duration::from_secs(1800));
        assert!(!c.secure_cookies && c.seed_demo);
        assert_eq!(c.suggest_limits, Limits::DEFAULT);
        assert_eq!(c.contact_retention, Retention::DEFAULT);
        assert_eq!(c.streams_per_user, 8);
    }

    #[test]
    fn good_values_are_taken() {
        let c = with(&[
            ("DATABASE_URL", "postgres://shezhi@db.internal/shezhi"),
            ("SESSION_IDLE_SECS", "600"),
            ("SECURE_COOKIES", "1"),
            ("SEED_DEMO", "0"),
            ("CONTACT_RETENTION_MONTHS", "36"),
            ("EVENTS_PER_USER", "3"),
            ("TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1"),
        ])
        .unwrap();
        assert_eq!(c.database_url, "postgres://shezhi@db.internal/shezhi");
        assert_eq!(c.session_idle, Duration::from_secs(600));
        assert!(c.secure_cookies && !c.seed_demo);
        assert_eq!(c.contact_retention, Retention { months: 36 });
        assert_eq!(c.streams_per_user, 3);
    }

    #[test]
    fn each_unusable_value_is_named_with_what_it_should_be() {
        for (name, value) in [
            ("DATABASE_URL", "mysql://x/y"),
            ("DATABASE_URL", "shezhi.db"),
            ("DATABASE_URL", "postgres:db"),
            ("SESSION_IDLE_SECS", "30m"),
            ("SESSION_ABSOLUTE_SECS", "0"),
            ("SECURE_COOKIES", "yes please"),
            ("SEED_DEMO", "2"),
            ("EVENTS_PER_USER", "-1"),
            ("CONTACT_RETENTION_MONTHS", "3 years"),
            ("TRUSTED_PROXIES", "10.0.0.0/33"),
            ("METRICS_FROM", "the office"),
            ("SUGGEST_LIMITS", "on"),
            ("SUGGEST_LIMIT_ADDRESS", "lots"),
            ("SUGGEST_LIMIT_PHONE", "5/0"),
            ("API_LIMIT_TOKEN", "100"),
            ("REPORT_STORAGE_MB_PER_DAY", "1GB"),
        ] {
            let e = bad(&[(name, value)]);
            assert_eq!((e.name, e.value.as_str()), (name, value));
            let line = e.to_string();
            assert!(line.starts_with(&format!("{name}=")) && !line.contains('\n'), "{line}");
        }
    }

    #[test]
    fn limits_can_be_set_one_by_one_or_switched_off() {
        assert_eq!(with(&[("SUGGEST_LIMITS", "off")]).unwrap().suggest_limits, Limits::OFF);
        let l = with(&[("SUGGEST_LIMIT_ADDRESS", "3/10"), ("SUGGEST_LIMIT_PHONE", "off"), ("REPORT_STORAGE_MB_PER_DAY", "off")]).unwrap().suggest_limits;
        assert_eq!(
            l,
            Limits {
                per_address: Some(Rate { burst: 3, per: Duration::from_secs(10) }),
                per_phone: None,
                lookups: Limits::DEFAULT.lookups,
                storage_per_day: None,
                api_per_token: Limits::DEFAULT.api_per_token,
            }
        );
    }

    #[test]
    fn a_files_folder_that_cannot_be_written_is_refused() {
        let dir = std::env::temp_dir().join(format!("shezhi-config-{}", std::process::id()));
        assert!(writable(&dir.join("a/b")).is_ok());
        // A file where the folder should be.
        std::fs::write(dir.join("plain"), b"x").unwrap();
        assert!(writable(&dir.join("plain")).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_database_name_is_swapped_keeping_the_rest() {
        assert_eq!(with_database("postgres://u@h:5432/shezhi?host=/tmp", "t1"), "postgres://u@h:5432/t1?host=/tmp");
        assert_eq!(with_database("postgres://u@h", "t1"), "postgres://u@h/t1");
    }
}
