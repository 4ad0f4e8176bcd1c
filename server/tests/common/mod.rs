//! Shared harness: the real router served on 127.0.0.1 over a fresh database, fixtures made
//! through the services, and a cookie-keeping client that posts like a browser does.
#![allow(dead_code)]

use app::domain::org::{Role, UnitKind};
use app::error::AppError;
use app::service::{AuditActor, Effects, org};
use app::store::{Backend, Db};
use leptos::prelude::LeptosOptions;
use reqwest::header::{CONTENT_TYPE, LOCATION, ORIGIN};
use reqwest::{Response, StatusCode, redirect};
use serde::de::DeserializeOwned;
use server::config::{Config, with_database};
use sqlx::Connection;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// Password of every fixture account.
pub const PASSWORD: &str = "correct-horse-42";

/// Runs each story twice, as `story::sqlite` and `story::postgres`, each on a fresh database,
/// on as many runtime workers as the server binary uses at least (see `MIN_WORKERS` there).
#[allow(unused_macros)] // not every test binary runs its stories on both backends
macro_rules! on_both_backends {
    (configured $configure:expr => $story:ident) => {
        mod $story {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                super::$story($crate::common::TestApp::sqlite_with($configure).await).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                if let Some(app) = $crate::common::TestApp::postgres_with($configure).await {
                    super::$story(app).await
                }
            }
        }
    };
    ($($story:ident),+ $(,)?) => {$(
        mod $story {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                super::$story($crate::common::TestApp::sqlite().await).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                if let Some(app) = $crate::common::TestApp::postgres().await {
                    super::$story(app).await
                }
            }
        }
    )+};
}

fn unique_name() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    format!("t_{}_{}_{}", std::process::id(), nanos, NEXT.fetch_add(1, Ordering::Relaxed))
}

/// Panics on the server's threads (the runtime's workers), each as printed. A panic there
/// ends a connection mid-response, which a client may not even notice (a streamed page
/// just stops); every test fails when its server saw one (see `Drop for TestApp`).
static SERVER_PANICS: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

fn watch_server_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let report = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // The test's own body runs on the test's thread; the server on the runtime's
            // threads (`tokio-rt-worker`, `tokio-runtime-worker` before tokio 1.51, blocking pool).
            if std::thread::current().name().is_some_and(|n| n.starts_with("tokio-")) {
                SERVER_PANICS.lock().unwrap_or_else(|e| e.into_inner()).push(info.to_string());
            }
            report(info);
        }));
    });
}

/// The server panics seen so far in this test process, taken.
pub fn take_server_panics() -> Vec<String> {
    std::mem::take(&mut *SERVER_PANICS.lock().unwrap_or_else(|e| e.into_inner()))
}

/// The app's routes, listed once for the whole test process: listing them while another
/// test's page renders can make that render wait for ever (see `build_with_routes`).
pub fn routes() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(server::router::route_list).clone()
}

/// The configuration the server binary would read for an install of this database and
/// attachments folder, everything else at its default.
pub fn config_for(database_url: &str, files_dir: &std::path::Path) -> Config {
    let (url, files) = (database_url.to_string(), files_dir.display().to_string());
    Config::from_vars(move |k| match k {
        "DATABASE_URL" => Some(url.clone()),
        "FILES_DIR" => Some(files.clone()),
        _ => None,
    })
    .expect("a usable configuration")
}

/// A resident's report of cracked walls, the `n`th of a run.
pub fn cracks_report(n: usize) -> app::service::cases::IntakeInput {
    use app::domain::case::{Channel, IntakeText, Urgency};
    app::service::cases::IntakeInput {
        category: "construction-damage".into(),
        channel: Channel::Hotline12345,
        urgency: Urgency::Normal,
        text: IntakeText {
            title: format!("施工致房屋开裂 {n}"),
            description: format!("第 {n} 户房屋墙体开裂，村民担心安全。"),
            address: "莲花镇耿山村".into(),
            reporter_name: "张三丰".into(),
            reporter_phone: "138 1234 5678".into(),
        },
        area_id: None,
        location: None,
    }
}

/// Serves the real router on an ephemeral port; returns `http://127.0.0.1:PORT`.
async fn serve(config: &Config, db: Db, effects: Effects) -> String {
    watch_server_panics();
    // A site of two small files (tests/site), so static answers are served beside pages.
    let options = LeptosOptions::builder().output_name("shezhi").site_root(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/site")).build();
    let router = server::router::build_with_routes(config, db, effects, options, routes());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind an ephemeral port");
    let addr = listener.local_addr().expect("bound address");
    let listener = server::net::no_delay(listener);
    tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await.expect("server runs");
    });
    format!("http://{addr}")
}

/// What to remove when the test is over.
enum Scratch {
    File(PathBuf),
    Database { server: String, name: String },
}

/// An empty database to fill before a server starts on it (a fixture loaded by hand): a
/// new SQLite file or a new PostgreSQL database, removed with the app it becomes.
pub struct Blank {
    pub url: String,
    scratch: Scratch,
}

impl Blank {
    pub fn sqlite() -> Blank {
        let dir = std::env::temp_dir().join("shezhi-tests");
        std::fs::create_dir_all(&dir).expect("temp dir is writable");
        let file = dir.join(format!("{}.db", unique_name()));
        Blank { url: format!("sqlite://{}", file.display()), scratch: Scratch::File(file) }
    }

    /// `None` only when `SHEZHI_SKIP_PG=1`, as `TestApp::postgres`.
    pub async fn postgres() -> Option<Blank> {
        let Some(server) = std::env::var("SHEZHI_TEST_PG_URL").ok().filter(|u| !u.is_empty()) else {
            TestApp::postgres().await?;
            unreachable!("TestApp::postgres panics when PostgreSQL is neither set nor skipped");
        };
        Some(Blank::postgres_on(server).await)
    }

    async fn postgres_on(server: String) -> Blank {
        let name = unique_name();
        let mut conn = sqlx::PgConnection::connect(&server).await.unwrap_or_else(|e| panic!("cannot connect to SHEZHI_TEST_PG_URL={server}: {e}"));
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("CREATE DATABASE");
        let _ = conn.close().await;
        Blank { url: with_database(&server, &name), scratch: Scratch::Database { server, name } }
    }

    /// A server on it, migrated first.
    pub async fn into_app(self) -> TestApp {
        TestApp::start(&self.url.clone(), self.scratch, |_| {}).await
    }
}

/// One more server instance on a test app's database.
pub struct Instance {
    pub base: String,
    pub db: Db,
    pub effects: Effects,
}

/// A running server on its own database.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    pub db: Db,
    /// The database URL, for a second server instance on the same database.
    pub url: String,
    scratch: Scratch,
    /// The server's attachments folder (a fresh temp directory, removed at the end) and hub.
    effects: Effects,
}

impl TestApp {
    /// A server on a new SQLite file in the temp directory.
    pub async fn sqlite() -> TestApp {
        TestApp::sqlite_with(|_| {}).await
    }

    /// Like `sqlite`, with the server's configuration adjusted first.
    pub async fn sqlite_with(configure: impl FnOnce(&mut Config)) -> TestApp {
        let dir = std::env::temp_dir().join("shezhi-tests");
        std::fs::create_dir_all(&dir).expect("temp dir is writable");
        let file = dir.join(format!("{}.db", unique_name()));
        TestApp::start(&format!("sqlite://{}", file.display()), Scratch::File(file), configure).await
    }

    /// A server on a new database of the PostgreSQL at `SHEZHI_TEST_PG_URL`; `None` only
    /// when `SHEZHI_SKIP_PG=1` says PostgreSQL is knowingly skipped.
    pub async fn postgres() -> Option<TestApp> {
        TestApp::postgres_with(|_| {}).await
    }

    /// Like `postgres`, with the server's configuration adjusted first.
    pub async fn postgres_with(configure: impl FnOnce(&mut Config)) -> Option<TestApp> {
        let Some(server) = std::env::var("SHEZHI_TEST_PG_URL").ok().filter(|u| !u.is_empty()) else {
            if std::env::var("SHEZHI_SKIP_PG").is_ok_and(|v| v == "1") {
                // Straight to stderr, past the test harness's capture, so the skip is seen.
                let _ = writeln!(std::io::stderr(), "postgres skipped (SHEZHI_SKIP_PG=1)");
                return None;
            }
            panic!(
                "SHEZHI_TEST_PG_URL is not set. Point it at a PostgreSQL server whose user may create \
                 databases, e.g. postgres://postgres@127.0.0.1:55432/postgres, or set SHEZHI_SKIP_PG=1 \
                 to run the SQLite half only."
            );
        };
        let blank = Blank::postgres_on(server).await;
        Some(TestApp::start(&blank.url, blank.scratch, configure).await)
    }

    async fn start(url: &str, scratch: Scratch, configure: impl FnOnce(&mut Config)) -> TestApp {
        let db = Db::connect(url).await.unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
        db.migrate().await.expect("migrations apply");
        let mut config = Config {
            database_url: url.to_string(),
            session_idle: Duration::from_secs(30 * 60),
            session_absolute: Duration::from_secs(12 * 3600),
            secure_cookies: false,
            seed_demo: false,
            files_dir: std::env::temp_dir().join("shezhi-tests").join(format!("files-{}", unique_name())),
            suggest_limits: app::service::limiter::Limits::DEFAULT,
            trusted_proxies: Default::default(),
            streams_per_user: 8,
            contact_retention: app::domain::privacy::Retention::DEFAULT,
            metrics_from: Default::default(),
        };
        configure(&mut config);
        let effects = Effects::new(&db, config.files_dir.clone());
        let base = serve(&config, db.clone(), effects.clone()).await;
        TestApp { base, db, url: url.to_string(), scratch, effects }
    }

    /// Another server instance on the same database (its own pool, hub and listener), as
    /// behind a load balancer; returns its base URL. The database stays this app's to drop.
    pub async fn second_instance(&self) -> String {
        self.another_instance().await.base
    }

    /// Another server instance on the same database, with its pool and hub, so a test can
    /// run that instance's scheduler too.
    pub async fn another_instance(&self) -> Instance {
        let db = Db::connect(&self.url).await.unwrap_or_else(|e| panic!("cannot open {}: {e}", self.url));
        let config = Config {
            database_url: self.url.clone(),
            session_idle: Duration::from_secs(30 * 60),
            session_absolute: Duration::from_secs(12 * 3600),
            secure_cookies: false,
            seed_demo: false,
            files_dir: self.effects.files_dir.clone(),
            suggest_limits: app::service::limiter::Limits::DEFAULT,
            trusted_proxies: Default::default(),
            streams_per_user: 8,
            contact_retention: app::domain::privacy::Retention::DEFAULT,
            metrics_from: Default::default(),
        };
        let effects = Effects::new(&db, config.files_dir.clone());
        let base = serve(&config, db.clone(), effects.clone()).await;
        Instance { base, db, effects }
    }

    /// The attachments directory the server was configured with (it may not exist yet:
    /// the first stored file creates it).
    pub fn files_dir(&self) -> PathBuf {
        self.effects.files_dir.clone()
    }

    /// What the server's changes touch besides the database: its attachments folder and hub.
    pub fn effects(&self) -> &Effects {
        &self.effects
    }

    /// A browser signed in as `username` (made with `user`, so with `PASSWORD`).
    pub async fn signed_in(&self, username: &str) -> Browser {
        let b = self.browser();
        b.sign_in(username, PASSWORD).await;
        b
    }

    /// Moves a case's follow-up wait to end at `due`, as if it had been set so, and rings
    /// this instance's scheduler bell.
    pub async fn follow_up_due_at(&self, id: i64, due: i64) {
        let state: String = sqlx::query_scalar("SELECT state FROM cases WHERE id = $1").bind(id).fetch_one(&self.db.pool).await.unwrap();
        let mut case: app::domain::case::Case = serde_json::from_str(&state).unwrap();
        case.follow_up_due_ms = Some(due);
        sqlx::query("UPDATE cases SET state = $1, next_alarm_at = $2 WHERE id = $3")
            .bind(serde_json::to_string(&case).unwrap())
            .bind(due)
            .bind(id)
            .execute(&self.db.pool)
            .await
            .unwrap();
        self.effects.live.alarms_changed();
    }

    pub fn backend(&self) -> Backend {
        self.db.backend
    }

    /// A resident department, created directly through the service.
    pub async fn unit(&self, name: &str) -> i64 {
        let input = org::UnitInput { name, kind: UnitKind::ResidentDepartment, area_id: None, phone: "" };
        org::save_unit(&self.db, &AuditActor::default(), None, &input).await.expect("fixture unit saved")
    }

    /// An active account with password [`PASSWORD`], its owner's own (no change asked at
    /// sign-in); the display name is `<username> 的名字`.
    pub async fn user(&self, username: &str, role: Role, unit_id: Option<i64>) -> i64 {
        self.user_with(username, role, unit_id, org::FirstPassword::OwnersOwn).await
    }

    /// Like `user`, saying who chose the password.
    pub async fn user_with(&self, username: &str, role: Role, unit_id: Option<i64>, chosen_by: org::FirstPassword) -> i64 {
        let display_name = format!("{username} 的名字");
        let input = org::StaffInput { username, display_name: &display_name, role, unit_id, phone: "" };
        org::save_user(&self.db, &AuditActor::default(), None, &input, Some(PASSWORD), chosen_by).await.expect("fixture user saved")
    }

    /// A single number from SQL, e.g. `SELECT COUNT(*) FROM users`.
    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(&self.db.pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// A new browser with its own cookie jar.
    pub fn browser(&self) -> Browser {
        self.browser_at(&self.base)
    }

    /// A new browser talking to the server at `base` (another instance on this database).
    pub fn browser_at(&self, base: &str) -> Browser {
        let http =
            reqwest::Client::builder().cookie_store(true).redirect(redirect::Policy::none()).timeout(Duration::from_secs(30)).build().expect("http client");
        Browser { http, base: base.to_string() }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.effects.files_dir);
        match &self.scratch {
            Scratch::File(file) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
                }
            }
            Scratch::Database { server, name } => {
                // Best effort, on a thread of its own: Drop cannot await, and the server still
                // holds connections, which FORCE ends.
                let (server, sql) = (server.clone(), format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
                    rt.block_on(async {
                        let mut conn = sqlx::PgConnection::connect(&server).await.ok()?;
                        sqlx::query(&sql).execute(&mut conn).await.ok()?;
                        conn.close().await.ok()
                    })
                })
                .join();
            }
        }
        // Tests in one binary share the process: a panic is reported by whichever test ends
        // next, and the message names it.
        let panics = take_server_panics();
        if !panics.is_empty() && !std::thread::panicking() {
            panic!("the server panicked while serving tests:\n{}", panics.join("\n"));
        }
    }
}

/// One person at one browser: keeps the session cookie, never follows redirects.
pub struct Browser {
    http: reqwest::Client,
    pub base: String,
}

impl Browser {
    pub async fn get(&self, path: &str) -> Response {
        self.http.get(format!("{}{path}", self.base)).send().await.expect("GET answered")
    }

    /// A GET whose reader goes away after `after`, as a tab closed or reloaded mid-page.
    pub async fn get_and_leave(&self, path: &str, after: Duration) {
        let req = self.http.get(format!("{}{path}", self.base)).timeout(after);
        if let Ok(r) = req.send().await {
            let _ = r.bytes().await;
        }
    }

    /// A POST with no browser headers at all; the caller adds its own.
    pub fn bare_post(&self, path: &str) -> reqwest::RequestBuilder {
        self.http.post(format!("{}{path}", self.base))
    }

    /// A request as our own pages send it: same origin, saying so.
    pub fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.bare_post(path).header(ORIGIN, &self.base).header("sec-fetch-site", "same-origin")
    }

    /// Calls the server function at `/api/<endpoint>` with form fields named like its arguments.
    pub async fn call(&self, endpoint: &str, fields: &[(&str, &str)]) -> Response {
        self.post(&format!("/api/{endpoint}")).form(fields).send().await.expect("server function answered")
    }

    /// Uploads one file as the multipart field `field` to the server function at `/api/<endpoint>`.
    pub async fn upload(&self, endpoint: &str, field: &str, file_name: &str, bytes: &[u8]) -> Response {
        let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(file_name.to_string());
        let form = reqwest::multipart::Form::new().part(field.to_string(), part);
        self.post(&format!("/api/{endpoint}")).multipart(form).send().await.expect("upload answered")
    }

    /// A call that must succeed, decoded from its JSON answer.
    pub async fn ok<T: DeserializeOwned>(&self, endpoint: &str, fields: &[(&str, &str)]) -> T {
        decode_ok(endpoint, self.call(endpoint, fields).await).await
    }

    /// A call that must be refused: its status and the error it names.
    pub async fn refused(&self, endpoint: &str, fields: &[(&str, &str)]) -> (StatusCode, AppError) {
        decode_err(endpoint, self.call(endpoint, fields).await).await
    }

    /// Opens the live feed (`/events`), as `EventSource` does, resuming after `last_event_id`.
    pub async fn events(&self, last_event_id: Option<i64>) -> EventFeed {
        let mut req = self.http.get(format!("{}/events", self.base)).header("accept", "text/event-stream").timeout(Duration::from_secs(3600));
        if let Some(id) = last_event_id {
            req = req.header("last-event-id", id.to_string());
        }
        let r = req.send().await.expect("/events answered");
        assert_eq!(r.status(), StatusCode::OK, "/events refused");
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let reader = server_sent(r, move |_, data| match serde_json::from_str::<app::domain::notice::Notice>(data) {
            Ok(n) => tx.send(n).is_ok(),
            Err(_) => true,
        });
        EventFeed { rx, reader }
    }

    /// Signs in and returns where the server sends the person next.
    pub async fn sign_in(&self, username: &str, password: &str) -> String {
        let r = self.call("auth/signin", &[("username", username), ("password", password)]).await;
        let status = r.status();
        let to = location(&r);
        assert!(status.is_success() || status.is_redirection(), "sign-in of {username} refused: {status} {}", r.text().await.unwrap_or_default());
        to.unwrap_or_else(|| panic!("sign-in of {username} gave no Location"))
    }
}

/// Reads a stream of Server-Sent Events in the background, handing each event's name and
/// data to `each` until it returns false or the stream ends.
pub fn server_sent(r: Response, mut each: impl FnMut(&str, &str) -> bool + Send + 'static) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut r = r;
        let mut buf = String::new();
        while let Ok(Some(chunk)) = r.chunk().await {
            buf.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = buf.find("\n\n") {
                let block: String = buf.drain(..end + 2).collect();
                let field = |name: &str| block.lines().filter_map(|l| l.strip_prefix(name)).map(str::trim_start).collect::<String>();
                if !each(&field("event:"), &field("data:")) {
                    return;
                }
            }
        }
    })
}

/// The notices arriving on one open `/events` stream.
pub struct EventFeed {
    rx: tokio::sync::mpsc::UnboundedReceiver<app::domain::notice::Notice>,
    reader: tokio::task::JoinHandle<()>,
}

/// A dropped feed closes its connection, as a closed tab does.
impl Drop for EventFeed {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

impl EventFeed {
    /// The next notice within `within`, or None.
    pub async fn next_within(&mut self, within: Duration) -> Option<app::domain::notice::Notice> {
        tokio::time::timeout(within, self.rx.recv()).await.ok().flatten()
    }

    /// The next notice, which must come within 2 seconds.
    pub async fn next(&mut self) -> app::domain::notice::Notice {
        self.next_within(Duration::from_secs(2)).await.expect("a notice within 2 s")
    }

    /// Whether the server ends the stream within `within` (notices before the end are skipped).
    pub async fn ends_within(&mut self, within: Duration) -> bool {
        tokio::time::timeout(within, async { while self.rx.recv().await.is_some() {} }).await.is_ok()
    }

    /// Nothing more arrives within `quiet`.
    pub async fn assert_quiet(&mut self, quiet: Duration) {
        if let Some(n) = self.next_within(quiet).await {
            panic!("unexpected notice {n:?}");
        }
    }
}

pub async fn decode_ok<T: DeserializeOwned>(what: &str, r: Response) -> T {
    let status = r.status();
    let body = r.text().await.expect("response body");
    assert!(status.is_success(), "{what}: expected success, got {status}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{what}: cannot decode {body:?}: {e}"))
}

pub async fn decode_err(what: &str, r: Response) -> (StatusCode, AppError) {
    let status = r.status();
    let body = r.text().await.expect("response body");
    assert!(!status.is_success(), "{what}: expected a refusal, got {status}: {body}");
    let err = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{what}: {status} body {body:?} is no AppError: {e}"));
    (status, err)
}

/// The `Location` header, if any.
pub fn location(r: &Response) -> Option<String> {
    r.headers().get(LOCATION).and_then(|v| v.to_str().ok()).map(str::to_string)
}

pub fn is_html(r: &Response) -> bool {
    r.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"))
}

/// The text of the element carrying `data-testid="<id>"`.
pub fn testid(html: &str, id: &str) -> Option<String> {
    let start = html.find(&format!("data-testid=\"{id}\""))?;
    let rest = &html[start..];
    let open = rest.find('>')? + 1;
    let close = rest[open..].find('<')?;
    Some(rest[open..open + close].trim().to_string())
}
