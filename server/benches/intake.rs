//! Case intake throughput, against what the database itself can do.
//!
//! In one run, on fresh databases:
//!   (a) baseline: the rows an intake writes (reporter, case with its state, first history
//!       entry, search index entries), inserted by plain sqlx statements, one transaction
//!       per case, into the same schema; and, for scale, one plain row per transaction into
//!       a table without indexes;
//!   (b) intake through the JSON API: `POST /api/v1/cases` from a few concurrent clients
//!       against the real router served in-process — token check, intake rules, case row,
//!       first history entry (hash-chained), state and search index in one transaction.
//!   (c) for the breakdown: the same intake called in-process (`service::api::file_case`),
//!       one caller, no HTTP — what the intake transaction alone costs.
//! Prints the rates and the ratio (b)/(a) (target: intake >= 0.5 x baseline), on SQLite, and
//! on PostgreSQL when `SHEZHI_BENCH_PG_URL` (or `SHEZHI_TEST_PG_URL`, as `scripts/pg.sh`
//! exports) names a server whose user may create databases. The last line is
//! `RESULT {json}` for `scripts/bench.sh`.
//!
//! `cargo bench -p server --bench intake -- [--rows N] [--clients C] [--max-secs S]`
mod common;
use app::domain::case::{Actor, Case, CaseKind, Category, Channel, GeoPoint, Intake, IntakeText, Urgency};
use app::service::cases::IntakeInput;
use app::store::{Backend, Db};
use common::with_database;
use leptos::prelude::LeptosOptions;
use serde_json::{Value, json};
use server::config::Config;
use sqlx::Connection;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CATEGORIES: [&str; 6] = ["noise", "roads", "environment", "utilities", "dispute-neighbour", "construction-damage"];
const PLACES: [&str; 5] = ["莲花镇五坪村", "浮石街道浮石村", "全旺镇上山头村", "杜泽镇杜泽村", "高家镇高家村"];

struct Opts {
    rows: usize,
    clients: usize,
    max_secs: f64,
}

fn opts() -> Opts {
    let args: Vec<String> = std::env::args().collect();
    let get = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse::<f64>().ok());
    Opts {
        rows: get("--rows").map_or(3000, |v| v as usize).max(10),
        clients: get("--clients").map_or(4, |v| v as usize).max(1),
        max_secs: get("--max-secs").unwrap_or(12.0),
    }
}

/// Row `i` of the run: the same fields, texts and sizes for the baseline and the API.
fn row(i: usize) -> Value {
    let place = PLACES[i % PLACES.len()];
    json!({
        "category": CATEGORIES[i % CATEGORIES.len()],
        "urgency": Urgency::ALL[i % 7 % Urgency::ALL.len()].code(),
        "title": format!("{place}第{i}号反映事项"),
        "description": format!(
            "{place}群众来电反映：第{i}号事项，夜间施工噪音持续到凌晨，路面破损积水，垃圾清运不及时，\
             影响周边居民正常生活，请相关部门尽快核实处理并回复。"
        ),
        "address": format!("{place}{}号", i % 200 + 1),
        "lat": 28.9 + (i % 1000) as f64 * 1e-4,
        "lng": 118.8 + (i % 997) as f64 * 1e-4,
        "reporter_name": "张先生",
        "reporter_phone": format!("138{:08}", i),
        "external_ref": format!("12345-{i:08}"),
    })
}

struct Rate {
    rows: usize,
    secs: f64,
    p50_ms: f64,
    p99_ms: f64,
}

impl Rate {
    fn per_sec(&self) -> f64 {
        self.rows as f64 / self.secs
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// (a) The same rows an intake writes — reporter, case (with its state), first history
/// entry, search index entries — inserted with plain sqlx statements, one transaction per
/// case, into a freshly migrated database with the same pool settings as the server (WAL,
/// synchronous=NORMAL on SQLite). Everything the app computes (state, hashes, codes) is
/// prepared before the clock starts.
async fn baseline(url: &str, o: &Opts) -> Rate {
    let db = Db::connect(url).await.expect("baseline database opens");
    db.migrate().await.expect("migrations apply");
    let rows: Vec<RawCase> = (0..o.rows).map(|i| RawCase::of(i, &row(i))).collect();
    let mut latencies = Vec::with_capacity(rows.len());
    let start = Instant::now();
    for r in &rows {
        let t = Instant::now();
        let mut tx = db.begin_write().await.expect("begin");
        r.insert(&mut tx, db.backend).await;
        tx.commit().await.expect("commit");
        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
        if start.elapsed().as_secs_f64() > o.max_secs {
            break;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM case_events").fetch_one(&db.pool).await.unwrap();
    assert_eq!(n as usize, latencies.len(), "every baseline case stored");
    db.pool.close().await;
    latencies.sort_by(f64::total_cmp);
    Rate { rows: latencies.len(), secs, p50_ms: percentile(&latencies, 0.5), p99_ms: percentile(&latencies, 0.99) }
}

/// One case's rows as the intake writes them, computed ahead.
struct RawCase {
    code: String,
    category: String,
    urgency: String,
    title: String,
    description: String,
    address: String,
    lat_e6: i64,
    lng_e6: i64,
    name: String,
    phone: String,
    deadline_offset: i64,
    state: String,
    event: String,
    hash: String,
}

impl RawCase {
    fn of(i: usize, r: &Value) -> RawCase {
        let s = |k: &str| r[k].as_str().unwrap_or_default().to_string();
        let category = Category {
            code: s("category"),
            name: s("category"),
            kind: CaseKind::GovernanceIncident,
            allowed_ms: 7 * 86_400_000,
            ack_ms: app::domain::case::DEFAULT_ACK_MS,
            list_after_ms: app::domain::case::DEFAULT_LIST_AFTER_MS,
            escalate_again_ms: app::domain::case::DEFAULT_ESCALATE_AGAIN_MS,
            active: true,
            department_id: None,
        };
        let intake = Intake::new(&category, Channel::Hotline12345, s("urgency").parse().expect("urgency")).expect("intake");
        let (case, event) = Case::receive(i as i64 + 1, intake, &Actor::System, 0).expect("received");
        RawCase {
            code: format!("B{i:09}"),
            category: s("category"),
            urgency: s("urgency"),
            title: s("title"),
            description: s("description"),
            address: s("address"),
            lat_e6: (r["lat"].as_f64().unwrap() * 1e6).round() as i64,
            lng_e6: (r["lng"].as_f64().unwrap() * 1e6).round() as i64,
            name: s("reporter_name"),
            phone: s("reporter_phone"),
            deadline_offset: case.sla.deadline_ms(),
            state: serde_json::to_string(&case).unwrap(),
            event: serde_json::to_string(&event).unwrap(),
            hash: app::store::hash::sha256_hex(format!("{i}").as_bytes()),
        }
    }

    async fn insert(&self, conn: &mut sqlx::AnyConnection, backend: Backend) {
        let now = app::store::now_ms();
        let reporter: i64 = sqlx::query_scalar("INSERT INTO reporters (name, phone, created_at) VALUES ($1, $2, $3) RETURNING id")
            .bind(&self.name)
            .bind(&self.phone)
            .bind(now)
            .fetch_one(&mut *conn)
            .await
            .expect("reporter");
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO cases (code, secret_hash, kind, category, channel, urgency, status, title, description, address,
                lat_e6, lng_e6, reporter_id, received_at, deadline_at, updated_at, last_seq, last_hash, state)
             VALUES ($1, $2, $14, $3, $15, $4, 'received', $5, $6, $7, $8, $9, $10, $11, $12, $11, 1, $2, $13)
             RETURNING id",
        )
        .bind(&self.code)
        .bind(&self.hash)
        .bind(&self.category)
        .bind(&self.urgency)
        .bind(&self.title)
        .bind(&self.description)
        .bind(&self.address)
        .bind(self.lat_e6)
        .bind(self.lng_e6)
        .bind(reporter)
        .bind(now)
        .bind(now + self.deadline_offset)
        .bind(&self.state)
        .bind(CaseKind::GovernanceIncident.code())
        .bind(Channel::Hotline12345.code())
        .fetch_one(&mut *conn)
        .await
        .expect("case");
        sqlx::query("INSERT INTO case_events (case_id, seq, at, actor_id, kind, body, prev_hash, hash) VALUES ($1, 1, $2, NULL, 'received', $3, '', $4)")
            .bind(id)
            .bind(now)
            .bind(&self.event)
            .bind(&self.hash)
            .execute(&mut *conn)
            .await
            .expect("history");
        let text = app::domain::case::CheckedText {
            title: self.title.clone(),
            description: self.description.clone(),
            address: Some(self.address.clone()),
            reporter_name: None,
            reporter_phone: None,
        };
        app::store::cases::index_text(conn, backend, id, &text).await.expect("search index");
    }
}

/// For scale only: one plain row per transaction into a table without indexes (what
/// "raw one-row inserts" cost on this disk), through the same pool settings.
async fn one_row_baseline(url: &str, o: &Opts) -> Rate {
    let db = Db::connect(url).await.expect("baseline database opens");
    let ddl = match db.backend {
        Backend::Sqlite => {
            "CREATE TABLE raw_cases (id INTEGER PRIMARY KEY, category TEXT NOT NULL, urgency TEXT NOT NULL,
            title TEXT NOT NULL, description TEXT NOT NULL, address TEXT, lat_e6 INTEGER, lng_e6 INTEGER,
            reporter_name TEXT, reporter_phone TEXT, external_ref TEXT, received_at INTEGER NOT NULL)"
        }
        Backend::Postgres => {
            "CREATE TABLE raw_cases (id BIGSERIAL PRIMARY KEY, category TEXT NOT NULL, urgency TEXT NOT NULL,
            title TEXT NOT NULL, description TEXT NOT NULL, address TEXT, lat_e6 BIGINT, lng_e6 BIGINT,
            reporter_name TEXT, reporter_phone TEXT, external_ref TEXT, received_at BIGINT NOT NULL)"
        }
    };
    sqlx::query(ddl).execute(&db.pool).await.expect("baseline table");
    let rows: Vec<Value> = (0..o.rows).map(row).collect();
    let mut latencies = Vec::with_capacity(rows.len());
    let start = Instant::now();
    for r in &rows {
        let t = Instant::now();
        let mut tx = db.begin_write().await.expect("begin");
        sqlx::query(
            "INSERT INTO raw_cases (category, urgency, title, description, address, lat_e6, lng_e6, reporter_name,
                reporter_phone, external_ref, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(r["category"].as_str())
        .bind(r["urgency"].as_str())
        .bind(r["title"].as_str())
        .bind(r["description"].as_str())
        .bind(r["address"].as_str())
        .bind((r["lat"].as_f64().unwrap() * 1e6).round() as i64)
        .bind((r["lng"].as_f64().unwrap() * 1e6).round() as i64)
        .bind(r["reporter_name"].as_str())
        .bind(r["reporter_phone"].as_str())
        .bind(r["external_ref"].as_str())
        .bind(app::store::now_ms())
        .execute(&mut *tx)
        .await
        .expect("insert");
        tx.commit().await.expect("commit");
        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
        if start.elapsed().as_secs_f64() > o.max_secs {
            break;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM raw_cases").fetch_one(&db.pool).await.unwrap();
    assert_eq!(n as usize, latencies.len(), "every baseline row stored");
    db.pool.close().await;
    latencies.sort_by(f64::total_cmp);
    Rate { rows: latencies.len(), secs, p50_ms: percentile(&latencies, 0.5), p99_ms: percentile(&latencies, 0.99) }
}

/// (b) The real router on a fresh database, `clients` tasks posting the rows.
async fn through_api(url: &str, files_dir: &Path, o: &Opts) -> Rate {
    let db = Db::connect(url).await.expect("intake database opens");
    db.migrate().await.expect("migrations apply");
    let token = app::service::api::create_token(&db, "bench", app::domain::case::Channel::Hotline12345, false).await.expect("token");
    let config = Config {
        database_url: url.to_string(),
        session_idle: Duration::from_secs(1800),
        session_absolute: Duration::from_secs(12 * 3600),
        secure_cookies: false,
        seed_demo: false,
        files_dir: files_dir.to_path_buf(),
        suggest_limits: app::service::limiter::Limits::OFF,
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
    let url = format!("http://{addr}/api/v1/cases");
    let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap();
    let auth = format!("Bearer {token}");

    // Warm-up (not counted): connections open, statements prepared.
    let warm = o.clients * 5;
    for i in 0..warm {
        let r = http.post(&url).header("authorization", &auth).json(&row(o.rows + i)).send().await.expect("warm-up answered");
        assert_eq!(r.status(), 201, "warm-up: {}", r.text().await.unwrap_or_default());
    }

    let rows: Arc<Vec<Value>> = Arc::new((0..o.rows).map(row).collect());
    let next = Arc::new(AtomicUsize::new(0));
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(o.rows)));
    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(o.max_secs);
    let mut tasks = Vec::new();
    for _ in 0..o.clients {
        let (http, url, auth, rows, next, latencies) = (http.clone(), url.clone(), auth.clone(), rows.clone(), next.clone(), latencies.clone());
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= rows.len() || Instant::now() > deadline {
                    break;
                }
                let t = Instant::now();
                let r = http.post(&url).header("authorization", &auth).json(&rows[i]).send().await.expect("POST answered");
                let status = r.status();
                let body = r.bytes().await.expect("body");
                assert_eq!(status, 201, "row {i}: {}", String::from_utf8_lossy(&body));
                mine.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            latencies.lock().unwrap().extend(mine);
        }));
    }
    for t in tasks {
        t.await.expect("client task");
    }
    let secs = start.elapsed().as_secs_f64();
    let mut latencies = std::mem::take(&mut *latencies.lock().unwrap());
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases").fetch_one(&db.pool).await.unwrap();
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM case_events").fetch_one(&db.pool).await.unwrap();
    assert_eq!((stored as usize, events as usize), (latencies.len() + warm, latencies.len() + warm), "every case stored with its history");
    server.abort();
    db.pool.close().await;
    latencies.sort_by(f64::total_cmp);
    Rate { rows: latencies.len(), secs, p50_ms: percentile(&latencies, 0.5), p99_ms: percentile(&latencies, 0.99) }
}

/// (c) The intake use case called directly, one caller: the transaction without HTTP.
/// The intake use case called in-process; with the risk rules as they ship (`rules`), or
/// every rule switched off, to show what the rules add.
async fn in_process(url: &str, files_dir: &Path, o: &Opts, rules: bool) -> Rate {
    let db = Db::connect(url).await.expect("direct database opens");
    db.migrate().await.expect("migrations apply");
    if !rules {
        let mut off = app::domain::risk::Settings::default();
        (off.cluster.on, off.repeat.on, off.mass.on, off.emergency_overdue, off.unsigned) = (false, false, false, false, false);
        let admin = app::domain::case::Actor::staff(1, app::domain::org::Role::Admin, None);
        app::service::risk::set_settings(&db, &app::service::AuditActor::default(), &admin, off).await.expect("rules off");
    }
    let fx = app::service::Effects::new(&db, files_dir.to_path_buf());
    let token = app::service::api::create_token(&db, "bench-direct", app::domain::case::Channel::Hotline12345, false).await.expect("token");
    let client = app::service::api::authenticate(&db, &token).await.expect("client");
    let inputs: Vec<IntakeInput> = (0..o.rows).map(|i| intake_input(&row(i))).collect();
    let call = app::service::api::Call { line: "POST /api/v1/cases".into(), ip: Some("127.0.0.1".into()) };
    let mut latencies = Vec::with_capacity(inputs.len());
    let start = Instant::now();
    for input in inputs {
        let t = Instant::now();
        app::service::api::file_case(&db, &fx, &client, &call, input).await.expect("case filed");
        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
        if start.elapsed().as_secs_f64() > o.max_secs {
            break;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    db.pool.close().await;
    latencies.sort_by(f64::total_cmp);
    Rate { rows: latencies.len(), secs, p50_ms: percentile(&latencies, 0.5), p99_ms: percentile(&latencies, 0.99) }
}

/// A JSON row as the intake use case takes it (what the API handler builds).
fn intake_input(r: &Value) -> IntakeInput {
    let s = |k: &str| r[k].as_str().unwrap_or_default().to_string();
    IntakeInput {
        category: s("category"),
        channel: Channel::Hotline12345,
        urgency: s("urgency").parse().expect("urgency"),
        text: IntakeText {
            title: s("title"),
            description: s("description"),
            address: s("address"),
            reporter_name: s("reporter_name"),
            reporter_phone: s("reporter_phone"),
        },
        area_id: None,
        location: Some(GeoPoint::from_degrees(r["lat"].as_f64().unwrap(), r["lng"].as_f64().unwrap()).expect("a point")),
    }
}

fn report(label: &str, one_row: &Rate, base: &Rate, api: &Rate, direct: &Rate, bare: &Rate, clients: usize) -> Value {
    let ratio = api.per_sec() / base.per_sec();
    println!("{label:<10} for scale, one plain row per transaction: {:>6} rows in {:.2} s = {:>7.0} rows/s", one_row.rows, one_row.secs, one_row.per_sec());
    println!(
        "{label:<10} baseline, the same rows by plain inserts, 1 case per transaction: {:>6} cases in {:.2} s = {:>7.0} cases/s (p50 {:.2} ms, p99 {:.2} ms)",
        base.rows,
        base.secs,
        base.per_sec(),
        base.p50_ms,
        base.p99_ms
    );
    println!(
        "{label:<10} POST /api/v1/cases, {clients} clients: {:>6} cases in {:.2} s = {:>7.0} cases/s (p50 {:.2} ms, p99 {:.2} ms)",
        api.rows,
        api.secs,
        api.per_sec(),
        api.p50_ms,
        api.p99_ms
    );
    println!(
        "{label:<10} (breakdown) intake in-process, 1 caller, no HTTP: {:>6} cases in {:.2} s = {:>7.0} cases/s (p50 {:.2} ms); {:.2} x baseline",
        direct.rows,
        direct.secs,
        direct.per_sec(),
        direct.p50_ms,
        direct.per_sec() / base.per_sec()
    );
    println!(
        "{label:<10} (breakdown) the same with every risk rule off: {:>6} cases in {:.2} s = {:>7.0} cases/s (p50 {:.2} ms); the rules add p50 {:.2} ms",
        bare.rows,
        bare.secs,
        bare.per_sec(),
        bare.p50_ms,
        direct.p50_ms - bare.p50_ms
    );
    println!("{label:<10} ratio API intake / baseline: {ratio:.2} (target >= 0.5): {}", if ratio >= 0.5 { "PASS" } else { "MISS" });
    json!({
        "one_row_rps": one_row.per_sec().round(), "baseline_rps": base.per_sec().round(), "baseline_rows": base.rows, "baseline_p99_ms": base.p99_ms,
        "api_rps": api.per_sec().round(), "api_rows": api.rows, "api_p50_ms": api.p50_ms, "api_p99_ms": api.p99_ms,
        "direct_rps": direct.per_sec().round(), "direct_p50_ms": direct.p50_ms,
        "no_rules_rps": bare.per_sec().round(), "no_rules_p50_ms": bare.p50_ms,
        "clients": clients, "ratio": (ratio * 100.0).round() / 100.0,
    })
}

async fn postgres(server: &str, files_dir: &Path, o: &Opts) -> Value {
    let pid = std::process::id();
    let names =
        [format!("bench_raw_{pid}"), format!("bench_api_{pid}"), format!("bench_direct_{pid}"), format!("bench_row_{pid}"), format!("bench_bare_{pid}")];
    let mut conn = sqlx::PgConnection::connect(server).await.unwrap_or_else(|e| panic!("cannot connect to {server}: {e}"));
    for n in &names {
        sqlx::query(&format!("DROP DATABASE IF EXISTS {n}")).execute(&mut conn).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {n}")).execute(&mut conn).await.expect("CREATE DATABASE");
    }
    let one_row = one_row_baseline(&with_database(server, &names[3]), o).await;
    let base = baseline(&with_database(server, &names[0]), o).await;
    let api = through_api(&with_database(server, &names[1]), files_dir, o).await;
    let direct = in_process(&with_database(server, &names[2]), files_dir, o, true).await;
    let bare = in_process(&with_database(server, &names[4]), files_dir, o, false).await;
    for n in &names {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {n} WITH (FORCE)")).execute(&mut conn).await;
    }
    report("postgres", &one_row, &base, &api, &direct, &bare, o.clients)
}

fn main() {
    let o = opts();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let dir: PathBuf = std::env::temp_dir().join(format!("shezhi-bench-intake-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("case intake: up to {} rows per phase, {} API clients, {cores} cores, phases capped at {} s", o.rows, o.clients, o.max_secs);
    let started = Instant::now();
    let result = rt.block_on(async {
        let one_row = one_row_baseline(&format!("sqlite://{}", dir.join("row.db").display()), &o).await;
        let base = baseline(&format!("sqlite://{}", dir.join("raw.db").display()), &o).await;
        let api = through_api(&format!("sqlite://{}", dir.join("api.db").display()), &dir.join("files"), &o).await;
        let direct = in_process(&format!("sqlite://{}", dir.join("direct.db").display()), &dir.join("files"), &o, true).await;
        let bare = in_process(&format!("sqlite://{}", dir.join("bare.db").display()), &dir.join("files"), &o, false).await;
        let sqlite = report("sqlite", &one_row, &base, &api, &direct, &bare, o.clients);
        let pg_url = ["SHEZHI_BENCH_PG_URL", "SHEZHI_TEST_PG_URL"].iter().find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
        let postgres = match pg_url {
            Some(url) => postgres(&url, &dir.join("files"), &o).await,
            None => {
                println!("postgres   skipped (set SHEZHI_BENCH_PG_URL, or source scripts/pg.sh)");
                Value::Null
            }
        };
        json!({ "sqlite": sqlite, "postgres": postgres, "secs": started.elapsed().as_secs_f64().round() })
    });
    let _ = std::fs::remove_dir_all(&dir);
    println!("RESULT {result}");
}
