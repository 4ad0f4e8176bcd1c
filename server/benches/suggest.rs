//! Suggestions accepted per second through HTTP, and what the rate limiter costs.
//!
//! Each phase serves the real router in-process on a fresh database with an open call and
//! has `clients` tasks post suggestions to `/api/public/suggest/submit` (what the hydrated
//! form calls: rules, per-person count, suggestion row and its first hash-chained history
//! entry in one transaction), each with its own phone number so every one is accepted.
//! Phases alternate the limiter off (`SUGGEST_LIMITS=off`) and on (per address and per
//! phone, with limits high enough that nothing is refused, so only its bookkeeping is
//! measured), `rounds` times each; the medians are compared. On a busy machine run-to-run
//! noise is of the order of the effect, so the limiter's own work is also timed directly
//! (one check on buckets holding as many keys as a phase made) against a request's time.
//! Targets: >= 500 accepted/s with the limiter off; its cost <= 5 %. On SQLite, and on
//! PostgreSQL when `SHEZHI_BENCH_PG_URL` (or `SHEZHI_TEST_PG_URL`) is set. The last line is
//! `RESULT {json}` for `scripts/bench.sh`.
//!
//! `cargo bench -p server --bench suggest -- [--rows N] [--clients C] [--rounds R] [--max-secs S]`
mod common;
use app::domain::campaign::{Campaign, DEFAULT_CATEGORIES};
use app::domain::clock::local_date;
use app::service::limiter::{Limiter, Limits, Rate};
use app::store::Db;
use common::with_database;
use leptos::prelude::LeptosOptions;
use serde_json::{Value, json};
use server::config::Config;
use sqlx::Connection;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

struct Opts {
    rows: usize,
    clients: usize,
    rounds: usize,
    max_secs: f64,
}

fn opts() -> Opts {
    let args: Vec<String> = std::env::args().collect();
    let get = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse::<f64>().ok());
    Opts {
        rows: get("--rows").map_or(2000, |v| v as usize).max(10),
        clients: get("--clients").map_or(4, |v| v as usize).max(1),
        rounds: get("--rounds").map_or(3, |v| v as usize).max(1),
        max_secs: get("--max-secs").unwrap_or(5.0),
    }
}

/// Limits no benchmark request reaches: the limiter does all its work and refuses nothing.
const UNREACHED: Limits = Limits {
    per_address: Some(Rate { burst: u32::MAX, per: Duration::from_secs(1) }),
    per_phone: Some(Rate { burst: u32::MAX, per: Duration::from_secs(1) }),
    lookups: None,
    storage_per_day: None,
    api_per_token: None,
};

fn day(ms: i64) -> String {
    let (y, m, d) = local_date(ms);
    format!("{y:04}-{m:02}-{d:02}")
}

fn fields(campaign: i64, i: usize) -> Vec<(String, String)> {
    let cats = DEFAULT_CATEGORIES;
    [
        ("campaign", campaign.to_string()),
        ("name", format!("第{i}号民生实事建议：新增公共停车位")),
        ("content", format!("在城区新增{}个公共停车位，改造{}条背街小巷", 100 + i % 400, 1 + i % 9)),
        ("overview", "老城区停车难、小巷路面破损，群众反映强烈，建议列入明年民生实事项目统筹实施。".to_string()),
        ("category", cats[i % cats.len()].to_string()),
        ("area_id", String::new()),
        ("person", "王女士".to_string()),
        ("phone", format!("139{:08}", i)),
        ("consent", "yes".to_string()),
        ("website", String::new()),
    ]
    .into_iter()
    .map(|(k, v)| (format!("input[{k}]"), v))
    .collect()
}

struct Phase {
    accepted: usize,
    secs: f64,
}

impl Phase {
    fn per_sec(&self) -> f64 {
        self.accepted as f64 / self.secs
    }
}

async fn phase(url: &str, files_dir: &Path, limits: Limits, o: &Opts) -> Phase {
    let db = Db::connect(url).await.expect("database opens");
    db.migrate().await.expect("migrations apply");
    let now = app::store::now_ms();
    let cats = DEFAULT_CATEGORIES.iter().map(|c| c.to_string()).collect();
    let call = Campaign::checked(0, 2027, "2027年度区政府民生实事项目征集", "一事一提", &day(now - 86_400_000), &day(now + 20 * 86_400_000), cats).unwrap();
    let campaign = app::service::campaigns::create_campaign(&db, &Default::default(), call).await.expect("campaign");
    let config = Config {
        database_url: url.to_string(),
        session_idle: Duration::from_secs(1800),
        session_absolute: Duration::from_secs(12 * 3600),
        secure_cookies: false,
        seed_demo: false,
        files_dir: files_dir.to_path_buf(),
        suggest_limits: limits,
        trusted_proxies: Default::default(),
        streams_per_user: 8,
        contact_retention: app::domain::privacy::Retention::DEFAULT,
        metrics_from: Default::default(),
    };
    let options = LeptosOptions::builder().output_name("shezhi").site_root("target/site").build();
    let router = server::router::build(&config, db.clone(), app::service::Effects::new(&db, config.files_dir.clone()), options);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await.expect("server runs");
    });
    let url = format!("http://{addr}/api/public/suggest/submit");
    let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap();
    let warm = o.clients * 5;
    for i in 0..warm {
        let r = http.post(&url).form(&fields(campaign, o.rows + i)).send().await.expect("warm-up answered");
        assert_eq!(r.status(), 200, "warm-up: {}", r.text().await.unwrap_or_default());
    }
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(o.max_secs);
    let mut tasks = Vec::new();
    for _ in 0..o.clients {
        let (http, url, next, rows) = (http.clone(), url.clone(), next.clone(), o.rows);
        tasks.push(tokio::spawn(async move {
            let mut accepted = 0;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= rows || Instant::now() > deadline {
                    break accepted;
                }
                let r = http.post(&url).form(&fields(campaign, i)).send().await.expect("POST answered");
                let status = r.status();
                let body = r.bytes().await.expect("body");
                assert_eq!(status, 200, "suggestion {i}: {}", String::from_utf8_lossy(&body));
                accepted += 1;
            }
        }));
    }
    let mut accepted = 0;
    for t in tasks {
        accepted += t.await.expect("client task");
    }
    let secs = start.elapsed().as_secs_f64();
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM suggestions").fetch_one(&db.pool).await.unwrap();
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM suggestion_events").fetch_one(&db.pool).await.unwrap();
    assert_eq!((stored as usize, events as usize), (accepted + warm, accepted + warm), "every suggestion stored with its history");
    server.abort();
    db.pool.close().await;
    Phase { accepted, secs }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Nanoseconds of one limiter check (address + phone) on buckets already holding `keys`
/// phone numbers, as after a phase.
fn limiter_ns(keys: usize) -> f64 {
    let l = Limiter::new(UNREACHED);
    let phones: Vec<String> = (0..keys.max(1)).map(|i| format!("139{:08}", i)).collect();
    for p in &phones {
        l.check("127.0.0.1", Some(p)).unwrap();
    }
    let n = 200_000;
    let start = Instant::now();
    for i in 0..n {
        l.check("127.0.0.1", Some(&phones[i % phones.len()])).unwrap();
    }
    start.elapsed().as_secs_f64() * 1e9 / n as f64
}

async fn backend(label: &str, url_for: &dyn Fn(&str) -> String, files_dir: &Path, o: &Opts) -> Value {
    let (mut off, mut on) = (Vec::new(), Vec::new());
    let mut most = 0;
    for round in 0..o.rounds {
        for (limits, out, name) in [(Limits::OFF, &mut off, "off"), (UNREACHED, &mut on, "on")] {
            let p = phase(&url_for(&format!("{name}{round}")), files_dir, limits, o).await;
            println!("{label:<9} round {} limiter {name:<3}: {:>5} accepted in {:.2} s = {:>6.0}/s", round + 1, p.accepted, p.secs, p.per_sec());
            most = most.max(p.accepted);
            out.push(p.per_sec());
        }
    }
    let (off_rps, on_rps) = (median(off), median(on));
    let cost = 1.0 - on_rps / off_rps;
    let ns = limiter_ns(most);
    // The share of a request's server time that is the limiter's: clients keep `clients`
    // requests in flight, so one request's time is clients / rate.
    let request_us = o.clients as f64 / off_rps * 1e6;
    let direct = ns / 1000.0 / request_us;
    println!("{label:<9} limiter off: {off_rps:>6.0} accepted/s (median of {})   target >= 500   {}", o.rounds, if off_rps >= 500.0 { "PASS" } else { "MISS" });
    println!(
        "{label:<9} limiter on:  {on_rps:>6.0} accepted/s -> cost {:+.1} % end to end (noise included); one check {ns:.0} ns = {:.3} % of a request's {request_us:.0} us   target <= 5 %   {}",
        cost * 100.0,
        direct * 100.0,
        if direct <= 0.05 && cost <= 0.05 {
            "PASS"
        } else if direct <= 0.05 {
            "PASS (direct; end-to-end within noise)"
        } else {
            "MISS"
        }
    );
    json!({
        "off_rps": off_rps.round(), "on_rps": on_rps.round(), "cost_pct": (cost * 1000.0).round() / 10.0,
        "check_ns": ns.round(), "direct_cost_pct": (direct * 100_000.0).round() / 1000.0, "clients": o.clients, "rounds": o.rounds,
    })
}

fn main() {
    let o = opts();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let dir: PathBuf = std::env::temp_dir().join(format!("shezhi-bench-suggest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("suggestions: up to {} per phase, {} clients, {} rounds, {cores} cores, phases capped at {} s", o.rows, o.clients, o.rounds, o.max_secs);
    let result = rt.block_on(async {
        let d = dir.clone();
        let sqlite = backend("sqlite", &move |n| format!("sqlite://{}", d.join(format!("{n}.db")).display()), &dir.join("files"), &o).await;
        let pg_url = ["SHEZHI_BENCH_PG_URL", "SHEZHI_TEST_PG_URL"].iter().find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
        let postgres = match pg_url {
            Some(server) => {
                let pid = std::process::id();
                let mut conn = sqlx::PgConnection::connect(&server).await.unwrap_or_else(|e| panic!("cannot connect to {server}: {e}"));
                let names: Vec<String> = (0..o.rounds).flat_map(|r| [format!("bench_sg_{pid}_off{r}"), format!("bench_sg_{pid}_on{r}")]).collect();
                for n in &names {
                    sqlx::query(&format!("DROP DATABASE IF EXISTS {n}")).execute(&mut conn).await.unwrap();
                    sqlx::query(&format!("CREATE DATABASE {n}")).execute(&mut conn).await.expect("CREATE DATABASE");
                }
                let s = server.clone();
                let v = backend("postgres", &move |n| with_database(&s, &format!("bench_sg_{pid}_{n}")), &dir.join("files"), &o).await;
                for n in &names {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {n} WITH (FORCE)")).execute(&mut conn).await;
                }
                v
            }
            None => {
                println!("postgres  skipped (set SHEZHI_BENCH_PG_URL, or source scripts/pg.sh)");
                Value::Null
            }
        };
        json!({ "sqlite": sqlite, "postgres": postgres })
    });
    let _ = std::fs::remove_dir_all(&dir);
    println!("RESULT {result}");
}
