//! Palm command's push (issue 5): a directive posted through the app reaches 1,000 open
//! `/events` streams, and what those streams cost the server in memory.
//!
//! On a fresh database per backend, the fixture is made as the tests make it: units and
//! their staff accounts and a commander through the services, then over HTTP a case
//! registered by the commander, launched as a palm command to 1 lead + (units - 1)
//! cooperating units, and signed by every unit, so directives are accepted. The server is
//! this binary re-executed as a child (`SHEZHI_BENCH_ROLE=server`: it only serves the real
//! router on the given database), so its memory (`VmRSS` of `/proc/<pid>/status`) holds
//! nothing of the clients', and every figure includes real loopback TCP.
//!
//! Then:
//!   1. `subscribers` streams `GET /events` are opened (at most 64 opening at a time) and
//!      each waits for its first frame (`retry` + `: hello`). Argon2 makes sign-ins slow, so
//!      the streams share one session per unit staff account (`units` sessions, assigned
//!      round robin); every one of those units is in the force, so every stream receives
//!      every directive. Server memory is read before (after a warm-up) and once all are
//!      open: the growth divided by the streams is the cost of one open connection.
//!   2. `directives` directives to the whole force are posted as the commander through
//!      `/api/cases/act` (multipart, `command=direct`, what the case page sends), one every
//!      `interval-ms`: authorised, written to the database with its history entry and
//!      notice, then pushed (SQLite: the process's hub after the commit; PostgreSQL: NOTIFY
//!      at commit, then the server's LISTEN connection feeds its hub). A sample is the time
//!      from just before the POST is sent to the moment one subscriber has parsed that
//!      notice (its JSON decoded, the directive's number read from its text).
//! Targets: p99 over all (directive x subscriber) samples <= 30 ms; <= 50 KB server memory
//! per open connection. Client and server share the machine's cores, as they do here.
//! On SQLite, and on PostgreSQL when `SHEZHI_BENCH_PG_URL` (or `SHEZHI_TEST_PG_URL`, as
//! `source scripts/pg.sh` exports) is set. Needs about subscribers + 300 open files per
//! process (`ulimit -n`; scripts/bench.sh raises it). The last line is `RESULT {json}`.
//!
//! `cargo bench -p server --bench command -- [--subscribers N] [--units U] [--directives K]
//!  [--interval-ms MS]`
mod common;
use app::domain::notice::Notice;
use app::domain::org::{Role, UnitKind};
use app::service::{AuditActor, org};
use app::store::{Backend, Db};
use common::with_database;
use leptos::prelude::LeptosOptions;
use reqwest::multipart::Form;
use serde_json::{Value, json};
use server::config::Config;
use sqlx::Connection;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::{Notify, Semaphore, watch};

const PASSWORD: &str = "correct-horse-42";
/// A measured directive's text starts with this and its number.
const MARK: &str = "压测指令#";
const WARM: &str = "预热指令#";
/// Streams opening at the same time (a page load wave, not 1,000 in one instant).
const OPENING: usize = 64;

struct Opts {
    subscribers: usize,
    units: usize,
    directives: usize,
    interval_ms: u64,
}

fn opts() -> Opts {
    let args: Vec<String> = std::env::args().collect();
    let get = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse::<f64>().ok());
    Opts {
        subscribers: get("--subscribers").map_or(1000, |v| v as usize).max(1),
        units: get("--units").map_or(10, |v| v as usize).max(2),
        directives: get("--directives").map_or(50, |v| v as usize).max(1),
        interval_ms: get("--interval-ms").map_or(100, |v| v as u64),
    }
}

// ---------------------------------------------------------------------------------------
// The server role: the real router on a given database, nothing else.

fn serve() -> std::process::ExitCode {
    let url = std::env::var("SHEZHI_BENCH_DB").expect("SHEZHI_BENCH_DB");
    let files = std::env::var("SHEZHI_BENCH_FILES").expect("SHEZHI_BENCH_FILES");
    // As server/src/main.rs: at least 4 workers.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(cores.max(4)).enable_all().build().expect("runtime");
    rt.block_on(async move {
        tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn,sqlx=warn".into()))
            .init();
        let db = Db::connect(&url).await.expect("server: database opens");
        let config = Config {
            database_url: url.clone(),
            session_idle: Duration::from_secs(1800),
            session_absolute: Duration::from_secs(12 * 3600),
            secure_cookies: false,
            seed_demo: false,
            files_dir: PathBuf::from(files),
            suggest_limits: app::service::limiter::Limits::OFF,
            trusted_proxies: Default::default(),
            streams_per_user: 100_000,
            contact_retention: app::domain::privacy::Retention::DEFAULT,
            metrics_from: Default::default(),
        };
        let options = LeptosOptions::builder().output_name("shezhi").site_root("target/site").build();
        let effects = app::service::Effects::new(&db, config.files_dir.clone());
        let router = server::router::build(&config, db, effects, options);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        println!("PORT {}", listener.local_addr().unwrap().port());
        std::io::stdout().flush().unwrap();
        // The parent holds our stdin: when it closes (or the parent dies), stop.
        std::thread::spawn(|| {
            let _ = std::io::stdin().read_to_end(&mut Vec::new());
            std::process::exit(0);
        });
        // As the server binary does (`server::net::no_delay`).
        axum::serve(server::net::no_delay(listener), router.into_make_service_with_connect_info::<SocketAddr>()).await.expect("server runs");
    });
    std::process::ExitCode::SUCCESS
}

struct ServerProcess {
    child: Child,
    stdin: Option<ChildStdin>,
    base: String,
}

impl ServerProcess {
    fn start(url: &str, files_dir: &Path) -> ServerProcess {
        let mut child = Command::new(std::env::current_exe().expect("own path"))
            .env("SHEZHI_BENCH_ROLE", "server")
            .env("SHEZHI_BENCH_DB", url)
            .env("SHEZHI_BENCH_FILES", files_dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("server process starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).expect("server prints its port");
        let port = line.trim().strip_prefix("PORT ").unwrap_or_else(|| panic!("server said {line:?}"));
        let stdin = child.stdin.take();
        ServerProcess { base: format!("http://127.0.0.1:{port}"), child, stdin }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn stop(mut self) {
        drop(self.stdin.take());
        for _ in 0..50 {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Resident memory of a process, KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc/<pid>/status");
    status.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok()).expect("VmRSS")
}

/// CPU time (user + system) a process has used, ms (clock ticks of 10 ms, Linux's USER_HZ 100).
fn cpu_ms(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc/<pid>/stat");
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')').expect("stat") + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f[11].parse::<u64>().unwrap() + f[12].parse::<u64>().unwrap();
    ticks as f64 * 10.0
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" ")).unwrap_or_default()
}

/// For the breakdown: what the server does per subscriber to turn one notice into an SSE
/// frame (`server/src/events.rs` `event_of`: JSON-encode the notice, build the event),
/// timed in this process, microseconds.
fn encode_us() -> f64 {
    let n = Notice {
        id: 123_456,
        at_ms: app::store::now_ms(),
        case_id: 42,
        kind: app::domain::notice::kind::DIRECTIVE.into(),
        units: (1..=10).collect(),
        title: "杭衢铁路施工致耿山村房屋开裂".into(),
        text: Some(format!("{MARK}7：请各单位18点前报告房屋安全鉴定进展")),
    };
    let rounds = 20_000;
    let start = Instant::now();
    for _ in 0..rounds {
        let data = serde_json::to_string(std::hint::black_box(&n)).unwrap();
        let e = axum::response::sse::Event::default().id(n.id.to_string()).event("notice").data(data);
        let _ = std::hint::black_box(e);
    }
    start.elapsed().as_secs_f64() * 1e6 / rounds as f64
}

fn open_files_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

// ---------------------------------------------------------------------------------------
// HTTP as the pages use it.

/// Signs in and returns the session cookie(s) as a `Cookie` header value.
async fn sign_in(http: &reqwest::Client, base: &str, username: &str) -> String {
    let r = http
        .post(format!("{base}/api/auth/signin"))
        .header("origin", base)
        .header("sec-fetch-site", "same-origin")
        .form(&[("username", username), ("password", PASSWORD)])
        .send()
        .await
        .expect("sign-in answered");
    let status = r.status();
    let cookies: Vec<String> =
        r.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).filter_map(|v| v.split(';').next()).map(str::to_string).collect();
    assert!(status.is_success() || status.is_redirection(), "sign-in of {username}: {status} {}", r.text().await.unwrap_or_default());
    assert!(cookies.iter().any(|c| c.starts_with("shezhi_sid=")), "sign-in of {username} set no session cookie");
    cookies.join("; ")
}

async fn post_form(http: &reqwest::Client, base: &str, cookie: &str, endpoint: &str, form: Form) -> Result<String, String> {
    let r = http
        .post(format!("{base}/api/{endpoint}"))
        .header("origin", base)
        .header("sec-fetch-site", "same-origin")
        .header("cookie", cookie)
        .multipart(form)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = r.status();
    let body = r.text().await.unwrap_or_default();
    if status.is_success() { Ok(body) } else { Err(format!("{endpoint}: {status} {body}")) }
}

fn act(id: i64, command: &str) -> Form {
    Form::new().text("id", id.to_string()).text("command", command.to_string())
}

fn directive(id: i64, text: String) -> Form {
    act(id, "direct").text("text", text)
}

/// One open `/events` stream: becomes ready at its first frame, then records when each
/// measured directive was parsed, until `stop`.
struct Subscribers {
    ready: AtomicUsize,
    /// Streams that have received every measured directive.
    complete: AtomicUsize,
    changed: Notify,
}

async fn subscriber(
    http: reqwest::Client,
    url: String,
    cookie: String,
    expected: usize,
    shared: Arc<Subscribers>,
    open: Arc<Semaphore>,
    mut stop: watch::Receiver<bool>,
) -> Result<Vec<(usize, Instant)>, String> {
    let permit = open.acquire_owned().await.map_err(|e| e.to_string())?;
    let mut r = http.get(&url).header("accept", "text/event-stream").header("cookie", cookie).send().await.map_err(|e| format!("open: {e}"))?;
    if r.status() != 200 {
        return Err(format!("open: {}", r.status()));
    }
    let mut permit = Some(permit);
    let mut buf = String::new();
    let mut seen = vec![false; expected];
    let mut got = Vec::with_capacity(expected);
    loop {
        let chunk = tokio::select! {
            c = r.chunk() => c.map_err(|e| format!("read: {e}"))?,
            _ = stop.changed() => return Ok(got),
        };
        let Some(chunk) = chunk else { return Err("stream ended".into()) };
        buf.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            if permit.take().is_some() {
                // The first frame (`retry` + `: hello`): this stream is live.
                shared.ready.fetch_add(1, Ordering::SeqCst);
                shared.changed.notify_one();
            }
            if !block.lines().any(|l| l == "event: notice" || l == "event:notice") {
                continue;
            }
            let data: String = block.lines().filter_map(|l| l.strip_prefix("data:")).map(str::trim_start).collect();
            let Ok(n) = serde_json::from_str::<Notice>(&data) else { continue };
            let Some(k) = n.text.as_deref().and_then(|t| t.strip_prefix(MARK)).and_then(|t| t.split('：').next()).and_then(|k| k.parse::<usize>().ok()) else {
                continue;
            };
            let at = Instant::now();
            if k < expected && !std::mem::replace(&mut seen[k], true) {
                got.push((k, at));
                if got.len() == expected {
                    shared.complete.fetch_add(1, Ordering::SeqCst);
                    shared.changed.notify_one();
                }
            }
        }
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// Waits until `count()` reaches `n` or `within` passes; returns whether it did.
async fn wait_for(shared: &Subscribers, count: impl Fn(&Subscribers) -> usize, n: usize, within: Duration) -> bool {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let notified = shared.changed.notified();
        if count(shared) >= n {
            return true;
        }
        if tokio::time::timeout_at(deadline, notified).await.is_err() {
            return count(shared) >= n;
        }
    }
}

// ---------------------------------------------------------------------------------------

async fn run(label: &str, url: &str, files_dir: &Path, o: &Opts) -> Value {
    let db = Db::connect(url).await.expect("database opens");
    db.migrate().await.expect("migrations apply");
    let push = match db.backend {
        Backend::Sqlite => "in-process hub after the commit",
        Backend::Postgres => "NOTIFY at commit -> LISTEN connection -> hub",
    };

    // Units and accounts through the services, as the tests make them.
    let t = Instant::now();
    let user = |username: String, role: Role, unit: Option<i64>| {
        let db = db.clone();
        async move {
            let display_name = format!("{username} 的名字");
            let input = org::StaffInput { username: &username, display_name: &display_name, role, unit_id: unit, phone: "" };
            org::save_user(&db, &AuditActor::default(), None, &input, Some(PASSWORD), org::FirstPassword::OwnersOwn).await.expect("user saved")
        }
    };
    let commander_id = user("cmd.bench".into(), Role::Commander, None).await;
    let mut units = Vec::new();
    for i in 0..o.units {
        let name = format!("压测单位{i:02}");
        let input = org::UnitInput { name: &name, kind: UnitKind::ResidentDepartment, area_id: None, phone: "" };
        let unit = org::save_unit(&db, &AuditActor::default(), None, &input).await.expect("unit saved");
        user(format!("unit{i:02}.staff"), Role::UnitStaff, Some(unit)).await;
        units.push(unit);
    }
    let fixture_secs = t.elapsed().as_secs_f64();

    let server = ServerProcess::start(url, files_dir);
    let base = server.base.clone();
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).timeout(Duration::from_secs(30)).build().unwrap();
    let t = Instant::now();
    let commander = sign_in(&http, &base, "cmd.bench").await;
    let mut staff = Vec::new();
    for i in 0..o.units {
        staff.push(sign_in(&http, &base, &format!("unit{i:02}.staff")).await);
    }
    let signin_secs = t.elapsed().as_secs_f64();

    // A case, launched as a palm command to the whole force, signed by every unit.
    let report = Form::new()
        .text("channel", "hotline12345")
        .text("urgency", "urgent")
        .text("category", "construction-damage")
        .text("title", "杭衢铁路施工致耿山村房屋开裂")
        .text("description", "杭衢高铁施工致耿山村多户房屋墙面、院墙开裂");
    let receipt: Value = serde_json::from_str(&post_form(&http, &base, &commander, "cases/register", report).await.expect("case registered")).unwrap();
    let case = receipt["id"].as_i64().expect("case id");
    let mut launch = act(case, "launch").text("commander", commander_id.to_string()).text("lead", units[0].to_string());
    for u in &units[1..] {
        launch = launch.text("cooperating", u.to_string());
    }
    post_form(&http, &base, &commander, "cases/act", launch).await.expect("palm command launched");
    for cookie in &staff {
        post_form(&http, &base, cookie, "cases/act", act(case, "sign")).await.expect("unit signs");
    }

    let sse = reqwest::Client::builder().build().unwrap();
    let events_url = format!("{base}/events");
    let open = |n: usize, expected: usize, shared: &Arc<Subscribers>, stop: &watch::Receiver<bool>| {
        let gate = Arc::new(Semaphore::new(OPENING));
        (0..n)
            .map(|i| {
                let task = subscriber(sse.clone(), events_url.clone(), staff[i % staff.len()].clone(), expected, shared.clone(), gate.clone(), stop.clone());
                tokio::spawn(task)
            })
            .collect::<Vec<_>>()
    };

    // Warm-up (not counted): a few streams open, receive two directives, close.
    {
        let shared = Arc::new(Subscribers { ready: AtomicUsize::new(0), complete: AtomicUsize::new(0), changed: Notify::new() });
        let (stop_tx, stop_rx) = watch::channel(false);
        let n = 2 * staff.len();
        let tasks = open(n, 1, &shared, &stop_rx);
        assert!(wait_for(&shared, |s| s.ready.load(Ordering::SeqCst), n, Duration::from_secs(30)).await, "warm-up streams open");
        for k in 0..2 {
            post_form(&http, &base, &commander, "cases/act", directive(case, format!("{WARM}{k}：各单位注意"))).await.expect("warm-up directive");
        }
        post_form(&http, &base, &commander, "cases/act", directive(case, format!("{MARK}0：预热"))).await.expect("warm-up directive");
        assert!(wait_for(&shared, |s| s.complete.load(Ordering::SeqCst), n, Duration::from_secs(10)).await, "warm-up streams received");
        let _ = stop_tx.send(true);
        for t in tasks {
            t.await.unwrap().expect("warm-up stream");
        }
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_before = rss_kib(server.pid());

    // 1. Open the streams.
    let shared = Arc::new(Subscribers { ready: AtomicUsize::new(0), complete: AtomicUsize::new(0), changed: Notify::new() });
    let (stop_tx, stop_rx) = watch::channel(false);
    let t = Instant::now();
    let tasks = open(o.subscribers, o.directives, &shared, &stop_rx);
    let all_open = wait_for(&shared, |s| s.ready.load(Ordering::SeqCst), o.subscribers, Duration::from_secs(180)).await;
    let open_secs = t.elapsed().as_secs_f64();
    let ready = shared.ready.load(Ordering::SeqCst);
    if !all_open {
        let _ = stop_tx.send(true);
        let mut errors = Vec::new();
        for t in tasks {
            if let Ok(Err(e)) = t.await {
                errors.push(e);
            }
        }
        errors.dedup();
        panic!("{label}: only {ready} of {} streams opened within 180 s: {:?}", o.subscribers, &errors[..errors.len().min(5)]);
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_open = rss_kib(server.pid());
    let kb_per_conn = (rss_open as f64 - rss_before as f64) * 1024.0 / 1000.0 / o.subscribers as f64;

    // 2. The directives, one every interval, as the commander.
    let mut sent = Vec::with_capacity(o.directives);
    let mut post_ms = Vec::with_capacity(o.directives);
    let (server_cpu0, client_cpu0) = (cpu_ms(server.pid()), cpu_ms(std::process::id()));
    let start = tokio::time::Instant::now();
    for k in 0..o.directives {
        tokio::time::sleep_until(start + Duration::from_millis(o.interval_ms * k as u64)).await;
        let form = directive(case, format!("{MARK}{k}：请各单位18点前报告房屋安全鉴定进展"));
        let t0 = Instant::now();
        post_form(&http, &base, &commander, "cases/act", form).await.expect("directive accepted");
        post_ms.push(t0.elapsed().as_secs_f64() * 1000.0);
        sent.push(t0);
    }
    let all_delivered = wait_for(&shared, |s| s.complete.load(Ordering::SeqCst), o.subscribers, Duration::from_secs(30)).await;
    let rss_pushed = rss_kib(server.pid());
    let server_cpu = (cpu_ms(server.pid()) - server_cpu0) / o.directives as f64;
    let client_cpu = (cpu_ms(std::process::id()) - client_cpu0) / o.directives as f64;
    let _ = stop_tx.send(true);
    let mut samples = Vec::with_capacity(o.subscribers * o.directives);
    let mut first_last = vec![(f64::INFINITY, 0f64); o.directives];
    let mut failed = Vec::new();
    for t in tasks {
        match t.await.expect("subscriber task") {
            Ok(got) => {
                for (k, at) in got {
                    let ms = at.saturating_duration_since(sent[k]).as_secs_f64() * 1000.0;
                    samples.push(ms);
                    first_last[k] = (first_last[k].0.min(ms), first_last[k].1.max(ms));
                }
            }
            Err(e) => failed.push(e),
        }
    }
    let missing = o.subscribers * o.directives - samples.len();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_closed = rss_kib(server.pid());

    let directives: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notices WHERE body LIKE $1").bind(format!("%{MARK}%")).fetch_one(&db.pool).await.unwrap();
    assert_eq!(directives as usize, o.directives + 1, "every directive stored as a notice (+1 warm-up)");
    server.stop();
    db.pool.close().await;

    samples.sort_by(f64::total_cmp);
    post_ms.sort_by(f64::total_cmp);
    let mut spread: Vec<f64> = first_last.iter().filter(|(f, _)| f.is_finite()).map(|(f, l)| l - f).collect();
    spread.sort_by(f64::total_cmp);
    let mut firsts: Vec<f64> = first_last.iter().map(|(f, _)| *f).filter(|f| f.is_finite()).collect();
    firsts.sort_by(f64::total_cmp);
    let (p50, p90, p99, max) = (percentile(&samples, 0.5), percentile(&samples, 0.9), percentile(&samples, 0.99), percentile(&samples, 1.0));
    let pass_latency = p99 <= 30.0 && missing == 0;
    let pass_memory = kb_per_conn <= 50.0;
    let encode = encode_us();
    println!(
        "{label:<9} fixture: {} units with one staff account each + a commander ({fixture_secs:.1} s, Argon2 included); {} sign-ins over HTTP in {signin_secs:.1} s",
        o.units,
        o.units + 1
    );
    println!(
        "{label:<9} {} streams on /events ({} sessions of unit staff, every unit in the force, ~{} streams each), all open in {open_secs:.1} s",
        o.subscribers,
        staff.len(),
        o.subscribers.div_ceil(staff.len())
    );
    println!("{label:<9} push path: {push}");
    println!(
        "{label:<9} {} directives every {} ms through POST /api/cases/act: POST p50 {:.1} ms, p99 {:.1} ms; first subscriber p50 {:.1} ms; last - first subscriber p50 {:.1} ms, max {:.1} ms",
        o.directives,
        o.interval_ms,
        percentile(&post_ms, 0.5),
        percentile(&post_ms, 0.99),
        percentile(&firsts, 0.5),
        percentile(&spread, 0.5),
        percentile(&spread, 1.0)
    );
    println!(
        "{label:<9} directive -> subscriber, {} samples: p50 {p50:.1} ms, p90 {p90:.1} ms, p99 {p99:.1} ms, max {max:.1} ms; missing {missing}{}   target p99 <= 30 ms   {}",
        samples.len(),
        if failed.is_empty() { String::new() } else { format!(" ({} streams failed: {:?})", failed.len(), &failed[..failed.len().min(3)]) },
        if pass_latency { "PASS" } else { "MISS" }
    );
    println!(
        "{label:<9} server memory: VmRSS {rss_before} KiB before, {rss_open} KiB with the streams open = {kb_per_conn:.1} KB per connection   target <= 50 KB   {}",
        if pass_memory { "PASS" } else { "MISS" }
    );
    println!(
        "{label:<9} (breakdown) CPU per directive: server {server_cpu:.1} ms ({:.1} us per stream), client {client_cpu:.1} ms; encoding one notice into an SSE frame (done per stream) {encode:.2} us",
        server_cpu * 1000.0 / o.subscribers as f64,
    );
    println!(
        "{label:<9} (info) VmRSS after the directives {rss_pushed} KiB ({:+.1} KB per connection), after closing them {rss_closed} KiB{}",
        (rss_pushed as f64 - rss_open as f64) * 1.024 / o.subscribers as f64,
        if all_delivered { "" } else { "; not every stream got every directive within 30 s" }
    );
    json!({
        "subscribers": o.subscribers, "sessions": staff.len(), "directives": o.directives, "interval_ms": o.interval_ms,
        "push": push, "samples": samples.len(), "missing": missing,
        "p50_ms": round2(p50), "p90_ms": round2(p90), "p99_ms": round2(p99), "max_ms": round2(max),
        "post_p50_ms": round2(percentile(&post_ms, 0.5)), "post_p99_ms": round2(percentile(&post_ms, 0.99)),
        "spread_p50_ms": round2(percentile(&spread, 0.5)),
        "rss_before_kib": rss_before, "rss_open_kib": rss_open, "rss_pushed_kib": rss_pushed, "rss_closed_kib": rss_closed,
        "kb_per_conn": round2(kb_per_conn), "open_secs": round2(open_secs),
        "server_cpu_ms_per_directive": round2(server_cpu), "client_cpu_ms_per_directive": round2(client_cpu), "encode_us": round2(encode),
        "latency_pass": pass_latency, "memory_pass": pass_memory,
    })
}

fn main() -> std::process::ExitCode {
    if std::env::var("SHEZHI_BENCH_ROLE").is_ok_and(|r| r == "server") {
        return serve();
    }
    let o = opts();
    let need = o.subscribers as u64 + 300;
    if let Some(limit) = open_files_limit().filter(|l| *l < need) {
        eprintln!("error: {limit} open files allowed, {need} needed: raise it first (ulimit -n {need})");
        return std::process::ExitCode::FAILURE;
    }
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let dir: PathBuf = std::env::temp_dir().join(format!("shezhi-bench-command-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "palm command push: {} /events streams, {} units in the force (1 lead + {} cooperating), {} directives every {} ms, {cores} cores shared by client and server process (load average {})",
        o.subscribers,
        o.units,
        o.units - 1,
        o.directives,
        o.interval_ms,
        load_average()
    );
    let started = Instant::now();
    let result = rt.block_on(async {
        let sqlite = run("sqlite", &format!("sqlite://{}", dir.join("command.db").display()), &dir.join("files"), &o).await;
        let pg_url = ["SHEZHI_BENCH_PG_URL", "SHEZHI_TEST_PG_URL"].iter().find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
        let postgres = match pg_url {
            Some(server) => {
                let name = format!("bench_cmd_{}", std::process::id());
                let mut conn = sqlx::PgConnection::connect(&server).await.unwrap_or_else(|e| panic!("cannot connect to {server}: {e}"));
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name}")).execute(&mut conn).await.unwrap();
                sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("CREATE DATABASE");
                let v = run("postgres", &with_database(&server, &name), &dir.join("files"), &o).await;
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut conn).await;
                v
            }
            None => {
                println!("postgres  skipped (set SHEZHI_BENCH_PG_URL, or source scripts/pg.sh)");
                Value::Null
            }
        };
        json!({ "sqlite": sqlite, "postgres": postgres, "secs": started.elapsed().as_secs_f64().round(), "load": load_average() })
    });
    let _ = std::fs::remove_dir_all(&dir);
    println!("RESULT {result}");
    std::process::ExitCode::SUCCESS
}
