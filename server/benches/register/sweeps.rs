//! The detection sweeps at scale (issue 16): the scheduler's looks for emergency reports past
//! their deadlines (missed, hidden), duty check-ins not made, and hazards past their
//! rectification deadline, over the 1,000,000-case register with 100,000 hazards and an
//! emergency on every 重大应急管理 case.
//!
//! The hazards and emergencies are written once from the register's own cases (a cached
//! register keeps them), in the state a running scheduler leaves: what passed its deadline is
//! already flagged, so the partial indexes hold only what is still in time. Then two figures:
//! a sweep with nothing due (the scheduler's every look: target ≤ 100 ms), and a sweep that
//! finds 1,000 hazards fallen due at once (their deadlines moved to just before now; each run
//! takes the next thousand still in time).
use super::{Opts, percentile};
use app::service::Effects;
use app::store::Db;
use serde_json::{Value, json};
use std::time::Instant;

const HAZARDS: i64 = 100_000;
const BURST: i64 = 1_000;
const DAY: i64 = 86_400_000;
/// Written into the statement as numbers: PostgreSQL would multiply 32-bit literals.
const DUE_AFTER: i64 = 30 * DAY;
const TICKED_AFTER: i64 = 20 * DAY;

async fn scalar(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql).fetch_one(&db.pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Writes what is missing of the 100,000 hazards and the emergencies.
async fn populate(db: &Db, now: i64) {
    let have = scalar(db, "SELECT COUNT(*) FROM hazards").await;
    if have < HAZARDS {
        let t = Instant::now();
        // Domains, levels and states spread over the cases' ids; deadlines 30 days after
        // receipt, so the older ones are past and flagged, the newest still in time.
        let sql = format!(
            "INSERT INTO hazards (domain, source, level, title, description, place, area_id, township_id, lat_e6, lng_e6,
                responsible_unit_id, enterprise, measures, deadline_at, status, watch, case_id, found_at, found_by, overdue_at,
                ticked_off_at, last_seq, next_due)
             SELECT
                CASE c.id % 8 WHEN 0 THEN 'road_traffic' WHEN 1 THEN 'mines_chemicals' WHEN 2 THEN 'fire' WHEN 3 THEN 'industry'
                    WHEN 4 THEN 'construction' WHEN 5 THEN 'city_operation' WHEN 6 THEN 'tourism_agriculture' ELSE 'forest_fire' END,
                'inspection', CASE WHEN c.id % 10 = 0 THEN 'major' ELSE 'general' END, c.title, '', '集镇区块', c.area_id, c.township_id,
                c.lat_e6, c.lng_e6, (SELECT MIN(id) FROM units), '', '限期整改', c.received_at + {DUE_AFTER},
                CASE c.id % 4 WHEN 0 THEN 'found' WHEN 1 THEN 'rectifying' WHEN 2 THEN 'checked' ELSE 'ticked_off' END,
                CASE WHEN c.id % 25 = 0 THEN 'listed' WHEN c.id % 10 = 0 THEN 'tracking' END,
                c.id, c.received_at, (SELECT MIN(id) FROM users),
                CASE WHEN c.id % 4 IN (0, 1) AND c.received_at + {DUE_AFTER} < $1 THEN c.received_at + {DUE_AFTER} + 1 END,
                CASE WHEN c.id % 4 = 3 THEN c.received_at + {TICKED_AFTER} END, 1,
                CASE WHEN c.id % 4 IN (0, 1) AND c.received_at + {DUE_AFTER} >= $1 THEN c.received_at + {DUE_AFTER} + 1 END
             FROM cases c WHERE c.township_id IS NOT NULL AND c.id NOT IN (SELECT case_id FROM hazards WHERE case_id IS NOT NULL)
             ORDER BY c.id DESC LIMIT {}",
            HAZARDS - have
        );
        let n = sqlx::query(&sql).bind(now).execute(&db.pool).await.expect("hazards").rows_affected();
        println!("  {n} hazards written in {:.0} s", t.elapsed().as_secs_f64());
    }
    // An emergency on every 重大应急管理 case, its quick and written reports filed in time.
    let t = Instant::now();
    let written = sqlx::query(
        "INSERT INTO emergencies (case_id, unit_id, level, category, channel, township_id, lat_e6, lng_e6, opened_at, quick_due,
            quick_filed_at, written_due, written_filed_at, next_due)
         SELECT c.id, (SELECT MIN(id) FROM units), 'iv', c.category, c.channel, c.township_id, c.lat_e6, c.lng_e6, c.received_at,
            c.received_at + 1800000, c.received_at + 600000, c.received_at + 3600000, c.received_at + 3000000, NULL
         FROM cases c WHERE c.kind = 'major_emergency' AND c.id NOT IN (SELECT case_id FROM emergencies)",
    )
    .execute(&db.pool)
    .await
    .expect("emergencies")
    .rows_affected();
    if written > 0 {
        println!("  {written} emergencies written in {:.0} s", t.elapsed().as_secs_f64());
    }
}

pub async fn sweep_timing(label: &str, db: &Db, o: &Opts) -> Value {
    let now = app::service::now_ms();
    populate(db, now).await;
    let (hazards, in_time) = (scalar(db, "SELECT COUNT(*) FROM hazards").await, scalar(db, "SELECT COUNT(*) FROM hazards WHERE next_due IS NOT NULL").await);
    let emergencies = scalar(db, "SELECT COUNT(*) FROM emergencies").await;
    let cases = scalar(db, "SELECT COUNT(*) FROM cases").await;
    let fx = Effects::new(db, std::env::temp_dir().join(format!("shezhi-bench-sweeps-{}", std::process::id())));
    // What fell due since the register was written (a cached one is reused hours later) is
    // flagged first, as the running scheduler would have, so the timed looks find nothing.
    let caught_up = app::service::duty::flag_missed(db, &fx, now).await.expect("duty")
        + app::service::emergency::sweep(db, &fx, now).await.expect("emergencies")
        + app::service::hazards::sweep(db, &fx, now).await.expect("hazards");
    println!("caught up with what fell due since the register was written: {caught_up}");
    // The scheduler's look with nothing due: each detection sweep, as `scheduler::sweep_at`
    // runs them after the cases' own alarms.
    let sweep = async || {
        let t = Instant::now();
        let now = app::service::now_ms();
        let n = app::service::duty::flag_missed(db, &fx, now).await.expect("duty")
            + app::service::emergency::sweep(db, &fx, now).await.expect("emergencies")
            + app::service::hazards::sweep(db, &fx, now).await.expect("hazards");
        assert_eq!(n, 0, "nothing is due in the steady state");
        t.elapsed().as_secs_f64() * 1000.0
    };
    let ms = super::timed_runs(o, sweep).await;
    let (p50, p99) = (percentile(&ms, 0.5), percentile(&ms, 0.99));
    println!(
        "\n{label}: detection sweep (duty, emergencies, hazards) with nothing due: p50 {p50:.2} ms, p99 {p99:.2} ms over {} sweeps (target <= 100 ms{}) — {cases} cases, {hazards} hazards ({in_time} in time), {emergencies} emergencies",
        ms.len(),
        if p99 <= 100.0 { ", met" } else { ", MISSED" }
    );
    // A burst: the next thousand hazards still in time fall due at once.
    sqlx::query(&format!(
        "UPDATE hazards SET deadline_at = $1 - 1000, next_due = $1 - 999 WHERE id IN (SELECT id FROM hazards WHERE next_due IS NOT NULL ORDER BY id LIMIT {BURST})"
    ))
    .bind(now)
    .execute(&db.pool)
    .await
    .expect("move deadlines");
    let t = Instant::now();
    let flagged = app::service::hazards::sweep(db, &fx, app::service::now_ms()).await.expect("burst");
    let burst = t.elapsed().as_secs_f64() * 1000.0;
    println!("{label}: a sweep finding {flagged} hazards fallen due at once flags them in {burst:.0} ms ({:.2} ms per hazard)", burst / flagged.max(1) as f64);
    let _ = std::fs::remove_dir_all(&fx.files_dir);
    json!({ "p50_ms": p50, "p99_ms": p99, "sweeps": ms.len(), "hazards": hazards, "emergencies": emergencies, "burst": flagged, "burst_ms": burst })
}
