//! The case register at scale: list and search over a million cases, and exports.
//!
//! 1. A register of `--cases` (default 1,000,000) generated cases on the app's real schema
//!    (`Db::connect` + `migrate`, the demo organisation of `seed_demo`): Chinese titles,
//!    descriptions and addresses from a vocabulary, statuses as a few years of work leave
//!    them, deadlines from the categories, `case_units` and `case_search` rows, the state
//!    JSON of a real case in the same status. Written with multi-row INSERTs in big
//!    transactions, the cases' indexes dropped during the load and rebuilt from their own
//!    definitions after it. (No `case_events` rows and no reporters: lists never read
//!    them.) The SQLite file is cached under `target/bench-data/` and reused until the
//!    migrations (or this generator) change.
//! 2. `app::service::cases::list` for a matrix of filters, each on its first page and on a
//!    page about 10,000 rows deep (keyset), `--runs` times: p50 / p99 against 50 ms.
//! 3. Excel and CSV export of the newest 100,000 cases (and 10,000, to see whether memory
//!    grows with the length), each in a child process that reports its time and peak RSS.
//! 4. The list matrix on PostgreSQL when `SHEZHI_BENCH_PG_URL` (or `SHEZHI_TEST_PG_URL`)
//!    names a server whose user may create databases (`--pg-cases`, default as `--cases`;
//!    the database `shezhi_bench_register` is kept for the next run).
//! 5. The command screen, supervision list, evaluation, risk rules and detection sweeps
//!    (`register/sweeps.rs`: 100,000 hazards and the emergencies written once into the
//!    register) on each database.
//!
//! `cargo bench -p server --bench register -- [--cases N] [--runs R] [--export-rows N]
//!  [--pg-cases N] [--only SUBSTRING|sweeps] [--no-export] [--no-sqlite] [--regen]`
//! The last line is `RESULT {json}`.
mod common;
// A folder of its own, so cargo does not take the generator for a benchmark.
#[path = "register/generator.rs"]
mod generator;
#[path = "register/risk.rs"]
mod risk;
#[path = "register/sweeps.rs"]
mod sweeps;
use app::domain::case::{Actor, CaseFilter, CaseKind, CaseStatus, Channel, Cursor};
use app::domain::org::{AreaLevel, Role};
use app::store::{Backend, Db};
use common::with_database;
use serde_json::{Value, json};
use sqlx::{Connection, Row};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Bump when the generated data changes, so cached databases are rebuilt.
const GENERATOR: &str = "register-gen-2";
const TARGET_MS: f64 = 50.0;
const EXPORT_TARGET_S: f64 = 5.0;
const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;
const DAY: i64 = 24 * HOUR;

struct Opts {
    cases: usize,
    pg_cases: usize,
    runs: usize,
    deep: usize,
    export_rows: usize,
    max_secs: f64,
    only: Option<String>,
    export: bool,
    sqlite: bool,
    regen: bool,
}

fn opts() -> Opts {
    let args: Vec<String> = std::env::args().collect();
    let get = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let num = |name: &str, d: usize| get(name).and_then(|v| v.replace('_', "").parse::<usize>().ok()).unwrap_or(d);
    let has = |name: &str| args.iter().any(|a| a == name);
    let cases = num("--cases", 1_000_000).max(20_000);
    Opts {
        cases,
        pg_cases: num("--pg-cases", cases).max(20_000),
        runs: num("--runs", 60).max(5),
        deep: num("--deep", 10_000),
        export_rows: num("--export-rows", 100_000),
        max_secs: get("--max-secs").and_then(|v| v.parse().ok()).unwrap_or(12.0),
        only: get("--only"),
        export: !has("--no-export"),
        sqlite: !has("--no-sqlite"),
        regen: has("--regen"),
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// Checksum of the backend's migrations (as compiled in, like the app's) and of this
/// generator: the cache key.
fn schema_key(backend: Backend, cases: usize) -> String {
    static SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
    static POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");
    let m = if backend == Backend::Sqlite { &SQLITE } else { &POSTGRES };
    let mut all = format!("{GENERATOR}/{cases}/");
    for mig in m.iter() {
        let _ = write!(all, "{}:{};", mig.version, mig.checksum.iter().map(|b| format!("{b:02x}")).collect::<String>());
    }
    app::store::hash::sha256_hex(all.as_bytes())[..12].to_string()
}

// ---------------------------------------------------------------------------------------
// The generated register

/// What people report, by category: (category, weight, subjects).
/// The register for `backend`, generated unless a cached one with the same key exists.
async fn sqlite_register(o: &Opts) -> (Db, String) {
    let dir = std::env::var_os("SHEZHI_BENCH_DATA").map(PathBuf::from).unwrap_or_else(|| workspace().join("target/bench-data"));
    std::fs::create_dir_all(&dir).expect("bench data dir");
    let key = schema_key(Backend::Sqlite, o.cases);
    let path = dir.join(format!("register-{}-{key}.db", o.cases));
    if o.regen || !path.exists() {
        // Older generations go: they are big.
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with(&format!("register-{}-", o.cases)) {
                let _ = std::fs::remove_file(e.path());
            }
        }
        let tmp = dir.join(format!("register-{}-{key}.tmp.db", o.cases));
        println!("generating {} cases into {} (SQLite)", o.cases, path.display());
        let t = Instant::now();
        let db = Db::connect(&format!("sqlite://{}", tmp.display())).await.expect("open");
        db.migrate().await.expect("migrate");
        generator::generate(&db, o.cases).await;
        sqlx::raw_sql("PRAGMA wal_checkpoint(TRUNCATE)").execute(&db.pool).await.unwrap();
        db.pool.close().await;
        std::fs::rename(&tmp, &path).expect("rename");
        for ext in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", tmp.display()));
        }
        println!("generated in {:.0} s", t.elapsed().as_secs_f64());
    } else {
        println!("reusing {}", path.display());
    }
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let url = format!("sqlite://{}", path.display());
    let db = Db::connect(&url).await.expect("open");
    db.migrate().await.expect("migrations apply");
    println!("database file: {:.0} MiB", size as f64 / 1048576.0);
    (db, url)
}

async fn postgres_register(server: &str, n: usize, regen: bool) -> (Db, String) {
    let name = "shezhi_bench_register";
    let key = schema_key(Backend::Postgres, n);
    let url = with_database(server, name);
    let mut admin = sqlx::PgConnection::connect(server).await.unwrap_or_else(|e| panic!("cannot connect to {server}: {e}"));
    let cached = if regen {
        false
    } else {
        match sqlx::PgConnection::connect(&url).await {
            Ok(mut c) => sqlx::query_scalar::<_, String>("SELECT v FROM bench_meta WHERE k = 'key'")
                .fetch_optional(&mut c)
                .await
                .ok()
                .flatten()
                .is_some_and(|v| v == key),
            Err(_) => false,
        }
    };
    if cached {
        println!("reusing PostgreSQL database {name}");
    } else {
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.expect("CREATE DATABASE");
        println!("generating {n} cases into PostgreSQL database {name}");
        let t = Instant::now();
        let db = Db::connect(&url).await.expect("open");
        db.migrate().await.expect("migrate");
        generator::generate(&db, n).await;
        sqlx::raw_sql(&format!("CREATE TABLE bench_meta (k TEXT PRIMARY KEY, v TEXT NOT NULL); INSERT INTO bench_meta VALUES ('key', '{key}')"))
            .execute(&db.pool)
            .await
            .unwrap();
        db.pool.close().await;
        println!("generated in {:.0} s", t.elapsed().as_secs_f64());
    }
    let db = Db::connect(&url).await.expect("open");
    db.migrate().await.expect("migrations apply");
    (db, url)
}

// ---------------------------------------------------------------------------------------
// The list matrix

struct Probe {
    name: String,
    by: Actor,
    filter: CaseFilter,
}

async fn scalar_i64(db: &Db, sql: &str) -> Option<i64> {
    sqlx::query_scalar::<_, i64>(sql).fetch_optional(&db.pool).await.unwrap()
}

async fn matrix(db: &Db) -> Vec<Probe> {
    let staff = app::store::users::all_staff(&mut *db.read().await.expect("a connection")).await.unwrap();
    let areas = app::store::org::all_areas(&mut *db.read().await.expect("a connection")).await.unwrap();
    let units = app::store::org::all_units(&mut *db.read().await.expect("a connection")).await.unwrap();
    let op = staff.iter().find(|s| s.role == Role::Operator).map(|s| Actor::staff(s.id, s.role, None)).expect("an operator");
    let staff_of = |unit: i64| staff.iter().find(|s| s.unit_id == Some(unit)).map(|s| Actor::staff(s.id, s.role, Some(unit))).expect("unit staff");
    let now = app::store::now_ms();
    let area_code = |id: i64| areas.iter().find(|a| a.id == id).map(|a| a.code.clone()).unwrap_or_default();
    // Busy and quiet areas and units, as the data has them.
    let per_area: Vec<(i64, i64)> = sqlx::query("SELECT area_id, COUNT(*) FROM cases WHERE area_id IS NOT NULL GROUP BY area_id ORDER BY 2 DESC")
        .fetch_all(&db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    // Counted with everything below, as the filter counts.
    let subtree = |code: &str| {
        let below = format!("{code}-");
        per_area
            .iter()
            .filter(|(a, _)| {
                let c = area_code(*a);
                c == code || c.starts_with(&below)
            })
            .map(|x| x.1)
            .sum::<i64>()
    };
    let township = areas.iter().filter(|a| a.level == AreaLevel::Township).max_by_key(|t| subtree(&t.code)).expect("a township");
    let village = areas.iter().filter(|a| a.level == AreaLevel::Village).max_by_key(|v| subtree(&v.code)).expect("a village");
    let quiet_area = areas.iter().min_by_key(|a| subtree(&a.code)).map(|a| a.id).expect("areas");
    let district = areas.iter().find(|a| a.level == AreaLevel::District).expect("district");
    let per_unit: Vec<(i64, i64)> = sqlx::query("SELECT unit_id, COUNT(*) FROM case_units GROUP BY unit_id ORDER BY 2 DESC")
        .fetch_all(&db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let busy_unit = per_unit.first().map(|x| x.0).expect("assignments");
    let quiet_unit = per_unit.last().map(|x| x.0).expect("assignments");
    let idle_unit = units
        .iter()
        .find(|u| !per_unit.iter().any(|x| x.0 == u.id) && staff.iter().any(|s| s.unit_id == Some(u.id) && s.role == Role::UnitStaff))
        .map(|u| u.id);
    let unit_name = |id: i64| units.iter().find(|u| u.id == id).map(|u| u.name.clone()).unwrap_or_default();
    let area_name = |id: i64| areas.iter().find(|a| a.id == id).map(|a| format!("{} {}", a.code, a.name)).unwrap_or_default();
    let count_of = |list: &[(i64, i64)], id: i64| list.iter().find(|x| x.0 == id).map_or(0, |x| x.1);
    let newest = scalar_i64(db, "SELECT MAX(received_at) FROM cases").await.unwrap_or(now);
    let year_ago = newest - 365 * DAY;
    let two_years = newest - 730 * DAY;

    let f = CaseFilter::default;
    let text = |t: &str| CaseFilter { text: Some(t.into()), ..f() };
    let mut p: Vec<(String, Actor, CaseFilter)> = vec![
        ("no filter".into(), op.clone(), f()),
        ("status closed".into(), op.clone(), CaseFilter { status: Some(CaseStatus::Closed), ..f() }),
        ("status in_progress".into(), op.clone(), CaseFilter { status: Some(CaseStatus::InProgress), ..f() }),
        ("status received".into(), op.clone(), CaseFilter { status: Some(CaseStatus::Received), ..f() }),
        ("status reopened".into(), op.clone(), CaseFilter { status: Some(CaseStatus::Reopened), ..f() }),
        ("kind major_emergency".into(), op.clone(), CaseFilter { kind: Some(CaseKind::MajorEmergency), ..f() }),
        ("kind governance_incident".into(), op.clone(), CaseFilter { kind: Some(CaseKind::GovernanceIncident), ..f() }),
        ("category noise".into(), op.clone(), CaseFilter { category: Some("noise".into()), ..f() }),
        ("category emergency-flood".into(), op.clone(), CaseFilter { category: Some("emergency-flood".into()), ..f() }),
        ("channel hotline12345".into(), op.clone(), CaseFilter { channel: Some(Channel::Hotline12345), ..f() }),
        ("channel open311".into(), op.clone(), CaseFilter { channel: Some(Channel::Open311), ..f() }),
        (format!("area {} (district, all below)", district.code), op.clone(), CaseFilter { area_id: Some(district.id), ..f() }),
        (format!("area {} {} (township)", township.code, township.name), op.clone(), CaseFilter { area_id: Some(township.id), ..f() }),
        (format!("area {} {} (village)", village.code, village.name), op.clone(), CaseFilter { area_id: Some(village.id), ..f() }),
        (
            format!("area {} (quietest, {} cases)", area_name(quiet_area), subtree(&area_code(quiet_area))),
            op.clone(),
            CaseFilter { area_id: Some(quiet_area), ..f() },
        ),
        (format!("unit {} (busiest, {})", unit_name(busy_unit), count_of(&per_unit, busy_unit)), op.clone(), CaseFilter { unit_id: Some(busy_unit), ..f() }),
        (
            format!("unit {} (quietest, {})", unit_name(quiet_unit), count_of(&per_unit, quiet_unit)),
            op.clone(),
            CaseFilter { unit_id: Some(quiet_unit), ..f() },
        ),
        ("overdue".into(), op.clone(), CaseFilter { overdue: true, ..f() }),
        ("received in the last 7 days".into(), op.clone(), CaseFilter { from_ms: Some(newest - 7 * DAY), ..f() }),
        ("received in a month a year ago".into(), op.clone(), CaseFilter { from_ms: Some(year_ago - 30 * DAY), to_ms: Some(year_ago), ..f() }),
        ("received on one day two years ago".into(), op.clone(), CaseFilter { from_ms: Some(two_years - DAY), to_ms: Some(two_years), ..f() }),
        ("text 噪音 (2 chars, common)".into(), op.clone(), text("噪音")),
        ("text 铁塔 (2 chars, rare)".into(), op.clone(), text("铁塔")),
        ("text 地铁 (2 chars, none)".into(), op.clone(), text("地铁")),
        ("text 路灯不亮 (common)".into(), op.clone(), text("路灯不亮")),
        ("text 鑫达建材 (rare)".into(), op.clone(), text("鑫达建材")),
        ("text 不存在的词 (none)".into(), op.clone(), text("不存在的词")),
        ("text led (Latin, rare)".into(), op.clone(), text("led")),
        ("text 施 (1 char)".into(), op.clone(), text("施")),
        ("status in_progress + category noise".into(), op.clone(), CaseFilter { status: Some(CaseStatus::InProgress), category: Some("noise".into()), ..f() }),
        (
            "township + status closed + channel online".into(),
            op.clone(),
            CaseFilter { area_id: Some(township.id), status: Some(CaseStatus::Closed), channel: Some(Channel::Online), ..f() },
        ),
        ("busiest unit + overdue".into(), op.clone(), CaseFilter { unit_id: Some(busy_unit), overdue: true, ..f() }),
        ("text 噪音 + village".into(), op.clone(), CaseFilter { area_id: Some(village.id), ..text("噪音") }),
        (
            "category roads + a month a year ago".into(),
            op.clone(),
            CaseFilter { category: Some("roads".into()), from_ms: Some(year_ago - 30 * DAY), to_ms: Some(year_ago), ..f() },
        ),
        (
            "kind petition + walk-in + last 90 days".into(),
            op.clone(),
            CaseFilter { kind: Some(CaseKind::PetitionMediation), channel: Some(Channel::WalkIn), from_ms: Some(newest - 90 * DAY), ..f() },
        ),
        ("overdue + village".into(), op.clone(), CaseFilter { overdue: true, area_id: Some(village.id), ..f() }),
        ("status closed + text 鑫达建材".into(), op.clone(), CaseFilter { status: Some(CaseStatus::Closed), ..text("鑫达建材") }),
        ("text 施工 + one day two years ago".into(), op.clone(), CaseFilter { from_ms: Some(two_years - DAY), to_ms: Some(two_years), ..text("施工") }),
        (
            "rejected + major_emergency + quietest area".into(),
            op.clone(),
            CaseFilter { status: Some(CaseStatus::Rejected), kind: Some(CaseKind::MajorEmergency), area_id: Some(quiet_area), ..f() },
        ),
        ("unit staff of the busiest unit, no filter".into(), staff_of(busy_unit), f()),
        ("unit staff of the quietest unit + text 噪音".into(), staff_of(quiet_unit), text("噪音")),
    ];
    // Access by area: a grid team's and a village committee's staff read their area's cases
    // (the township governments above already do: the busiest unit is one).
    for kind in ["grid_team", "village_committee"] {
        if let Some(u) = scalar_i64(db, &format!("SELECT id FROM units WHERE kind = '{kind}' AND area_id IS NOT NULL ORDER BY id LIMIT 1")).await {
            p.push((format!("area reader: staff of {} ({kind})", unit_name(u)), staff_of(u), f()));
        }
    }
    if let Some(u) = idle_unit {
        p.push((format!("unit {} (holds none)", unit_name(u)), op.clone(), CaseFilter { unit_id: Some(u), ..f() }));
        p.push((format!("unit staff of {} (holds none)", unit_name(u)), staff_of(u), f()));
    }
    p.into_iter().map(|(name, by, filter)| Probe { name, by, filter }).collect()
}

struct Timing {
    p50: f64,
    p99: f64,
    max: f64,
    runs: usize,
    rows: usize,
}

async fn time_page(db: &Db, p: &Probe, after: Option<Cursor>, o: &Opts) -> Timing {
    let once = || async {
        let t = Instant::now();
        let page = app::service::cases::list(db, &p.by, &p.filter, after).await.expect("list");
        (t.elapsed().as_secs_f64() * 1000.0, page)
    };
    // Warm-up: statements prepared, pages cached.
    let (_, page) = once().await;
    let rows = page.rows.len();
    assert!(page.rows.windows(2).all(|w| (w[0].received_ms, w[0].id) > (w[1].received_ms, w[1].id)), "{}: rows out of order", p.name);
    once().await;
    let ms = timed_runs(o, async || once().await.0).await;
    Timing { p50: percentile(&ms, 0.5), p99: percentile(&ms, 0.99), max: *ms.last().unwrap(), runs: ms.len(), rows }
}

/// Up to `o.runs` timings in milliseconds (at least 5, then as many as `o.max_secs`
/// allows), sorted.
async fn timed_runs(o: &Opts, mut run: impl AsyncFnMut() -> f64) -> Vec<f64> {
    let mut ms = Vec::with_capacity(o.runs);
    let start = Instant::now();
    while ms.len() < o.runs {
        ms.push(run().await);
        if ms.len() >= 5 && start.elapsed().as_secs_f64() > o.max_secs {
            break;
        }
    }
    ms.sort_by(f64::total_cmp);
    ms
}

/// The command screen's data (issue 13) over the register: every counter, trend, the
/// promise, live commands and map, read as the wall reads it. Target: p99 <= 50 ms.
async fn screen_timing(label: &str, db: &Db, o: &Opts) -> Value {
    let by = app::domain::case::Actor::staff(1, app::domain::org::Role::Leader, None);
    let once = || async {
        let t = Instant::now();
        let s = app::service::screen::screen(db, &by).await.expect("screen");
        (t.elapsed().as_secs_f64() * 1000.0, s)
    };
    let (_, s) = once().await;
    let ms = timed_runs(o, async || once().await.0).await;
    let (p50, p99) = (percentile(&ms, 0.5), percentile(&ms, 0.99));
    println!(
        "\n{label}: command screen data p50 {p50:.1} ms, p99 {p99:.1} ms over {} reads (target p99 <= 50 ms{}) — {} open, {} received this year",
        ms.len(),
        if p99 <= 50.0 { ", met" } else { ", MISSED" },
        s.counters.open.value,
        s.counters.received_year.value
    );
    json!({ "p50_ms": p50, "p99_ms": p99, "runs": ms.len() })
}

/// The supervision list (issue 14) over the register, as the supervision office reads it.
/// The generated register has no supervision history, so first every open overdue case gets
/// the row the scheduler's automatic reminder leaves, and every 40th of them is listed with a
/// deadline and a leader, as the office would (idempotent: a cached register is reused).
/// Target: p99 <= 50 ms for each view.
async fn supervision_timing(label: &str, db: &Db, o: &Opts) -> Value {
    use app::domain::case::SupervisionStage;
    use app::domain::supervision::SupervisionFilter;
    let now = app::store::now_ms();
    sqlx::query(
        "INSERT INTO supervisions (case_id, stage, reminders, last_reminded_at, listed_at, list_deadline_at, leader, updated_at, lead_unit_id)
         SELECT id, CASE WHEN id % 40 = 0 THEN 'listed' ELSE 'reminded' END, 1, deadline_at + 1,
                CASE WHEN id % 40 = 0 THEN deadline_at + 86400000 END,
                CASE WHEN id % 40 = 0 THEN deadline_at + 8 * 86400000 END,
                CASE WHEN id % 40 = 0 THEN '王建国 副区长' END,
                deadline_at + 1, lead_unit_id
         FROM cases WHERE stopped_at IS NULL AND deadline_at < $1
         ON CONFLICT (case_id) DO NOTHING",
    )
    .bind(now)
    .execute(&db.pool)
    .await
    .expect("supervision rows");
    let _ = db.optimize().await;
    let by = app::domain::case::Actor::staff(1, app::domain::org::Role::Supervisor, None);
    let unit = scalar_i64(db, "SELECT lead_unit_id FROM supervisions WHERE lead_unit_id IS NOT NULL LIMIT 1").await;
    let views = [
        ("listed", SupervisionFilter::listed()),
        ("listed, due within 7 days", SupervisionFilter { due_days: Some(7), ..SupervisionFilter::listed() }),
        ("reminded", SupervisionFilter { stage: Some(SupervisionStage::Reminded), ..Default::default() }),
        ("reminded, page 20", SupervisionFilter { stage: Some(SupervisionStage::Reminded), page: 20, ..Default::default() }),
        ("every rung", SupervisionFilter { stage: None, ..Default::default() }),
        ("every rung, one unit", SupervisionFilter { stage: None, unit_id: unit, ..Default::default() }),
    ];
    let mut out = Vec::new();
    let mut worst: f64 = 0.0;
    for (name, filter) in views {
        let once = || async {
            let t = Instant::now();
            let page = app::service::supervision::list(db, &by, &filter).await.expect("supervision list");
            (t.elapsed().as_secs_f64() * 1000.0, page.total)
        };
        let (_, total) = once().await;
        let ms = timed_runs(o, async || once().await.0).await;
        let (p50, p99) = (percentile(&ms, 0.5), percentile(&ms, 0.99));
        worst = worst.max(p99);
        println!("{label}: supervision list [{name}] p50 {p50:.1} ms, p99 {p99:.1} ms over {} reads — {total} rows", ms.len());
        out.push(json!({ "view": name, "p50_ms": p50, "p99_ms": p99, "rows": total }));
    }
    println!("{label}: supervision list worst p99 {worst:.1} ms (target <= 50 ms{})", if worst <= 50.0 { ", met" } else { ", MISSED" });
    json!({ "views": out, "worst_p99_ms": worst })
}

/// The evaluation (issue 14) of every unit for the current year. The generated register has
/// no history, so first each unit's part of each case leaves the marks its history would: a
/// dispatch, a signature (one in ten late) and, for a lead unit whose case stopped, a result
/// on time or late; the daily tallies are summed from them as the app keeps them (idempotent:
/// a cached register is reused). Target: all units for a year <= 2 s; the cases behind one
/// figure are timed too.
async fn evaluation_timing(label: &str, db: &Db, o: &Opts) -> Value {
    use app::domain::evaluation::Dimension;
    use app::domain::period::{Period, PeriodKind};
    if scalar_i64(db, "SELECT COUNT(*) FROM unit_marks").await.unwrap_or(0) == 0 {
        let t = Instant::now();
        for sql in [
            "INSERT INTO unit_marks (unit_id, case_id, measure, at, day, hit)
             SELECT unit_id, case_id, 'assigned', received_at, (received_at + 28800000) / 86400000, 0 FROM case_units",
            "INSERT INTO unit_marks (unit_id, case_id, measure, at, day, hit)
             SELECT unit_id, case_id, 'ack', received_at + 60000, (received_at + 60000 + 28800000) / 86400000, CASE WHEN case_id % 10 = 0 THEN 0 ELSE 1 END
             FROM case_units",
            "INSERT INTO unit_marks (unit_id, case_id, measure, at, day, hit)
             SELECT unit_id, case_id, 'on_time', stopped_at, (stopped_at + 28800000) / 86400000, CASE WHEN stopped_at <= deadline_at THEN 1 ELSE 0 END
             FROM case_units WHERE lead = 1 AND stopped_at IS NOT NULL",
            "INSERT INTO unit_tallies (day, unit_id, measure, n, hits) SELECT day, unit_id, measure, COUNT(*), SUM(hit) FROM unit_marks GROUP BY day, unit_id, measure",
        ] {
            sqlx::query(sql).execute(&db.pool).await.expect("marks");
        }
        let _ = db.optimize().await;
        println!("{label}: evaluation marks written in {:.0} s", t.elapsed().as_secs_f64());
    }
    let by = app::domain::case::Actor::staff(1, app::domain::org::Role::Leader, None);
    let year = Period::containing(PeriodKind::Year, app::store::now_ms()).code();
    let once = || async {
        let t = Instant::now();
        let e = app::service::evaluation::evaluation(db, &by, &year).await.expect("evaluation");
        (t.elapsed().as_secs_f64() * 1000.0, e)
    };
    let (_, e) = once().await;
    let marks: i64 = e.ranking.iter().flat_map(|(_, u)| u.dimensions.iter().map(|d| d.denominator)).sum();
    let ms = timed_runs(o, async || once().await.0).await;
    let (p50, p99) = (percentile(&ms, 0.5), percentile(&ms, 0.99));
    println!(
        "{label}: evaluation of {} units for {year} ({marks} marks counted): p50 {p50:.1} ms, p99 {p99:.1} ms (target <= 2000 ms{})",
        e.ranking.len(),
        if p99 <= 2000.0 { ", met" } else { ", MISSED" }
    );
    // The busiest unit's dispatches of the year: the longest list behind a figure.
    let busiest = e.ranking.iter().max_by_key(|(_, u)| u.dimension(Dimension::Rework).map_or(0, |d| d.denominator)).map(|(_, u)| u.unit_id);
    let drill = match busiest {
        Some(unit) => {
            let d_ms = timed_runs(o, async || {
                let t = Instant::now();
                app::service::evaluation::drill(db, &by, &year, unit, Dimension::Rework).await.expect("drill");
                t.elapsed().as_secs_f64() * 1000.0
            })
            .await;
            let (d50, d99) = (percentile(&d_ms, 0.5), percentile(&d_ms, 0.99));
            println!("{label}: the cases behind the busiest unit's rework figure: p50 {d50:.1} ms, p99 {d99:.1} ms");
            json!({ "p50_ms": d50, "p99_ms": d99 })
        }
        None => Value::Null,
    };
    json!({ "p50_ms": p50, "p99_ms": p99, "units": e.ranking.len(), "marks": marks, "drill": drill })
}

/// The cursor about `depth` rows into the filtered list (or half-way, if it is shorter).
async fn deep_cursor(db: &Db, p: &Probe, depth: usize) -> Option<(usize, Cursor)> {
    let page = app::service::cases::list_batch(db, &p.by, &p.filter, None, depth).await.expect("list");
    if let Some(next) = page.next {
        return Some((depth, next));
    }
    let half = page.rows.len() / 2;
    (half >= 50).then(|| (half, Cursor { received_ms: page.rows[half - 1].received_ms, id: page.rows[half - 1].id }))
}

async fn list_matrix(label: &str, db: &Db, o: &Opts) -> Value {
    let probes = matrix(db).await;
    println!("\n{label}: app::service::cases::list, {} runs per page (capped at {} s), target p99 <= {TARGET_MS} ms", o.runs, o.max_secs);
    println!("{:<52} {:>5} {:>8} {:>8} {:>8}   {:>13} {:>8} {:>8} {:>8}", "filter", "rows", "p50", "p99", "max", "deep page at", "p50", "p99", "max");
    let mut out = Vec::new();
    let mut worst: f64 = 0.0;
    let mut misses = Vec::new();
    for p in probes.iter().filter(|p| o.only.as_ref().is_none_or(|s| p.name.contains(s.as_str()))) {
        let first = time_page(db, p, None, o).await;
        let deep = match deep_cursor(db, p, o.deep).await {
            Some((depth, c)) => Some((depth, time_page(db, p, Some(c), o).await)),
            None => None,
        };
        let mark = |t: &Timing| if t.p99 <= TARGET_MS { " " } else { "!" };
        let deep_txt = match &deep {
            Some((d, t)) => format!("{:>13} {:>8.2} {:>7.2}{} {:>8.2}", d, t.p50, t.p99, mark(t), t.max),
            None => format!("{:>13}", "(short list)"),
        };
        println!(
            "{:<52} {:>5} {:>8.2} {:>7.2}{} {:>8.2}   {deep_txt}{}",
            truncate(&p.name, 52),
            first.rows,
            first.p50,
            first.p99,
            mark(&first),
            first.max,
            if first.runs < o.runs || deep.as_ref().is_some_and(|d| d.1.runs < o.runs) { "  (capped runs)" } else { "" }
        );
        worst = worst.max(first.p99).max(deep.as_ref().map_or(0.0, |d| d.1.p99));
        if first.p99 > TARGET_MS || deep.as_ref().is_some_and(|d| d.1.p99 > TARGET_MS) {
            misses.push(p.name.clone());
        }
        out.push(json!({
            "filter": p.name, "rows": first.rows, "p50_ms": round2(first.p50), "p99_ms": round2(first.p99),
            "deep_at": deep.as_ref().map(|d| d.0), "deep_p50_ms": deep.as_ref().map(|d| round2(d.1.p50)),
            "deep_p99_ms": deep.as_ref().map(|d| round2(d.1.p99)),
        }));
    }
    let verdict = if misses.is_empty() { "PASS" } else { "MISS" };
    println!("{label}: worst p99 {worst:.2} ms over {} filters x 2 pages (target <= {TARGET_MS} ms): {verdict}", out.len());
    if !misses.is_empty() {
        println!("{label}: over target: {}", misses.join("; "));
    }
    json!({ "worst_p99_ms": round2(worst), "verdict": verdict, "misses": misses, "filters": out })
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_string() } else { s.chars().take(n - 1).chain(std::iter::once('…')).collect() }
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

// ---------------------------------------------------------------------------------------
// Exports, each in a child process so its peak memory is its own

fn vm_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// In the child: one export of the cases received since `from_ms`, written to `out`.
async fn child_export(kind: &str, url: &str, from_ms: i64, out: &Path) -> Value {
    use app::ui::cases::export;
    let db = Db::connect(url).await.expect("open");
    let staff = app::store::users::all_staff(&mut *db.read().await.expect("a connection")).await.unwrap();
    let op = staff.iter().find(|s| s.role == Role::Operator).map(|s| Actor::staff(s.id, s.role, None)).unwrap();
    let filter = CaseFilter { from_ms: Some(from_ms), ..CaseFilter::default() };
    let l = export::locale(false);
    let hwm_before = vm_kib("VmHWM:");
    let rss_before = vm_kib("VmRSS:");
    let t = Instant::now();
    let mut rows = 0usize;
    let bytes = match kind {
        "csv" => {
            use std::io::Write;
            let mut f = std::io::BufWriter::new(std::fs::File::create(out).unwrap());
            let mut first = true;
            let mut n = 0u64;
            export::walk(&db, &op, &filter, |batch| {
                let chunk = export::csv_chunk(l, batch, first);
                first = false;
                rows += batch.len();
                n += chunk.len() as u64;
                f.write_all(&chunk).is_ok()
            })
            .await
            .expect("csv export");
            f.flush().unwrap();
            n
        }
        _ => {
            // As the route does: rows into the workbook, then the zip streamed to a writer
            // on a blocking thread.
            let book = export::xlsx(&db, &op, &filter, l).await.expect("xlsx export");
            let file = std::fs::File::create(out).unwrap();
            tokio::task::spawn_blocking(move || book.write_to(std::io::BufWriter::new(file)).expect("xlsx written")).await.unwrap();
            rows = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM cases WHERE received_at >= $1").bind(from_ms).fetch_one(&db.pool).await.unwrap() as usize;
            std::fs::metadata(out).unwrap().len()
        }
    };
    let secs = t.elapsed().as_secs_f64();
    json!({ "secs": secs, "bytes": bytes, "rows": rows, "hwm_before_kib": hwm_before, "rss_before_kib": rss_before, "hwm_after_kib": vm_kib("VmHWM:") })
}

fn run_child(kind: &str, url: &str, from_ms: i64) -> Value {
    let out = std::env::temp_dir().join(format!("shezhi-bench-export-{}.{kind}", std::process::id()));
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--child-export", kind, "--url", url, "--from-ms", &from_ms.to_string(), "--out", &out.display().to_string()])
        .output()
        .expect("child runs");
    let _ = std::fs::remove_file(&out);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().find_map(|l| l.strip_prefix("CHILD ")).unwrap_or_else(|| {
        panic!("export child failed: {}\n{}", stdout, String::from_utf8_lossy(&output.stderr));
    });
    serde_json::from_str(line).unwrap()
}

async fn exports(db: &Db, url: &str, o: &Opts) -> Value {
    let from_of = |n: usize| async move {
        sqlx::query_scalar::<_, i64>(&format!("SELECT received_at FROM cases ORDER BY received_at DESC, id DESC LIMIT 1 OFFSET {}", n - 1))
            .fetch_one(&db.pool)
            .await
            .unwrap()
    };
    let small = (o.export_rows / 10).max(1000);
    let (from_small, from_big) = (from_of(small).await, from_of(o.export_rows).await);
    println!("\nexports of the newest cases (filter: received since), each in a child process");
    let mut out = serde_json::Map::new();
    let mut verdicts = Vec::new();
    for kind in ["xlsx", "csv"] {
        let a = run_child(kind, url, from_small);
        let b = run_child(kind, url, from_big);
        let growth = |v: &Value| (v["hwm_after_kib"].as_u64().unwrap() as f64 - v["hwm_before_kib"].as_u64().unwrap() as f64).max(0.0) / 1024.0;
        let (ga, gb) = (growth(&a), growth(&b));
        let secs = b["secs"].as_f64().unwrap();
        // Bounded: ten times the rows must not take anywhere near ten times the memory.
        let bounded = gb <= 2.0 * ga.max(8.0);
        let time_ok = secs <= EXPORT_TARGET_S;
        println!(
            "{kind:<5} {small:>7} rows: {:>6.2} s, {:>6.1} MiB file, peak RSS +{ga:.1} MiB | {:>7} rows: {secs:>6.2} s, {:>6.1} MiB file, peak RSS +{gb:.1} MiB (total {:.1} MiB)",
            a["secs"].as_f64().unwrap(),
            a["bytes"].as_f64().unwrap() / 1048576.0,
            o.export_rows,
            b["bytes"].as_f64().unwrap() / 1048576.0,
            b["hwm_after_kib"].as_f64().unwrap() / 1024.0,
        );
        println!(
            "{kind:<5} {} rows in <= {EXPORT_TARGET_S} s: {}; memory bounded (peak growth at {} rows <= 2 x that at {small}): {}",
            o.export_rows,
            if time_ok { "PASS" } else { "MISS" },
            o.export_rows,
            if bounded { "PASS" } else { "MISS" }
        );
        verdicts.push(time_ok && bounded);
        out.insert(
            kind.into(),
            json!({ "rows": o.export_rows, "secs": round2(secs), "peak_growth_mib": round2(gb), "small_rows": small,
                    "small_peak_growth_mib": round2(ga), "bytes": b["bytes"], "time": if time_ok { "PASS" } else { "MISS" },
                    "memory": if bounded { "PASS" } else { "MISS" } }),
        );
    }
    Value::Object(out)
}

async fn run_sql(text: &str, url: &str, migrate: bool) {
    let db = Db::connect(url).await.expect("open");
    if migrate {
        let t = Instant::now();
        db.migrate().await.expect("migrations apply");
        println!("--- migrations applied in {:.1} s", t.elapsed().as_secs_f64());
    }
    for stmt in text.split(";\n").map(str::trim).filter(|s| !s.is_empty() && !s.lines().all(|l| l.trim_start().starts_with("--"))) {
        let mut times = Vec::new();
        let mut rows = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            rows = sqlx::raw_sql(stmt).fetch_all(&db.pool).await.unwrap_or_else(|e| panic!("{stmt}: {e}"));
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        println!("--- {:.2} ms, {} rows: {}", times[2], rows.len(), stmt.replace('\n', " "));
        for r in rows.iter().take(25) {
            let cells: Vec<String> = (0..r.len())
                .map(|i| {
                    r.try_get::<Option<String>, _>(i)
                        .map(|v| v.unwrap_or_else(|| "NULL".into()))
                        .or_else(|_| r.try_get::<i64, _>(i).map(|v| v.to_string()))
                        .or_else(|_| r.try_get::<f64, _>(i).map(|v| v.to_string()))
                        .unwrap_or_else(|_| "?".into())
                })
                .collect();
            println!("    {}", cells.join(" | "));
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `RUST_LOG=sqlx::query=debug` prints each statement with its time (where a figure goes).
    if std::env::var_os("RUST_LOG").is_some() {
        tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::from_default_env()).with_writer(std::io::stderr).init();
    }
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    if let Some(i) = args.iter().position(|a| a == "--child-export") {
        let get = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned().expect(name);
        let v = rt.block_on(child_export(&args[i + 1], &get("--url"), get("--from-ms").parse().unwrap(), Path::new(&get("--out"))));
        println!("CHILD {v}");
        return;
    }
    // Experiments: `--sql FILE --url URL [--migrate]` runs each `;`-terminated statement of
    // FILE five times and prints its rows and median time (EXPLAIN QUERY PLAN works too);
    // `--migrate` first applies the migrations (and times them: an upgrade of a big register).
    if let Some(i) = args.iter().position(|a| a == "--sql") {
        let url = args.iter().position(|a| a == "--url").and_then(|i| args.get(i + 1)).cloned().expect("--url");
        rt.block_on(run_sql(&std::fs::read_to_string(&args[i + 1]).expect("sql file"), &url, args.iter().any(|a| a == "--migrate")));
        return;
    }
    let o = opts();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("case register benchmark: {} cases, {cores} cores", o.cases);
    let started = Instant::now();
    // `--only sweeps`: the register and the detection sweeps, nothing else.
    let all = o.only.as_deref() != Some("sweeps");
    let result = rt.block_on(async {
        let mut result = serde_json::Map::new();
        if o.sqlite {
            let (db, url) = sqlite_register(&o).await;
            if all {
                result.insert("sqlite".into(), list_matrix("sqlite", &db, &o).await);
                result.insert("screen_sqlite".into(), screen_timing("sqlite", &db, &o).await);
                result.insert("supervision_sqlite".into(), supervision_timing("sqlite", &db, &o).await);
                result.insert("evaluation_sqlite".into(), evaluation_timing("sqlite", &db, &o).await);
                result.insert("risk_sqlite".into(), risk::risk_timing("sqlite", &db, &o).await);
            }
            result.insert("sweeps_sqlite".into(), sweeps::sweep_timing("sqlite", &db, &o).await);
            if o.export && all {
                result.insert("export_sqlite".into(), exports(&db, &url, &o).await);
            }
            db.pool.close().await;
        }
        let pg_url = ["SHEZHI_BENCH_PG_URL", "SHEZHI_TEST_PG_URL"].iter().find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
        match pg_url {
            Some(server) => {
                let (db, _) = postgres_register(&server, o.pg_cases, o.regen).await;
                if all {
                    let mut v = list_matrix(&format!("postgres ({} cases)", o.pg_cases), &db, &o).await;
                    v["cases"] = json!(o.pg_cases);
                    result.insert("postgres".into(), v);
                    result.insert("screen_postgres".into(), screen_timing("postgres", &db, &o).await);
                    result.insert("supervision_postgres".into(), supervision_timing("postgres", &db, &o).await);
                    result.insert("evaluation_postgres".into(), evaluation_timing("postgres", &db, &o).await);
                    result.insert("risk_postgres".into(), risk::risk_timing("postgres", &db, &o).await);
                }
                result.insert("sweeps_postgres".into(), sweeps::sweep_timing("postgres", &db, &o).await);
                db.pool.close().await;
            }
            None => println!("\npostgres: skipped (set SHEZHI_BENCH_PG_URL, or source scripts/pg.sh)"),
        }
        result.insert("secs".into(), json!(started.elapsed().as_secs()));
        Value::Object(result)
    });
    println!("RESULT {}", Value::Object(result.as_object().cloned().unwrap_or_default()));
}
