//! The risk rules at scale (issue 15): what they add to an intake over the 1,000,000-case
//! register, and a replay of a year of its history.
//!
//! An intake runs the rules inside its own write, so their cost is measured as the
//! difference between two sets of intakes through `service::cases::register` into the
//! same register: with every rule on (the defaults), and with every rule off. The intakes
//! alternate, land in the busiest village with a phone and a point (so every query of the
//! rules runs), and stay in the register (its history is append-only): 2 × runs cases per
//! run, nothing next to a million. Target: ≤ 2 ms added at p50 and at p99.
use super::{Opts, percentile};
use app::domain::case::{Actor, Channel, GeoPoint, IntakeText, Urgency};
use app::domain::org::Role;
use app::domain::risk::Settings;
use app::service::{AuditActor, Effects, cases::IntakeInput};
use app::store::Db;
use serde_json::{Value, json};
use sqlx::Row;
use std::time::Instant;

const CATEGORIES: [&str; 4] = ["noise", "roads", "environment", "utilities"];

pub async fn risk_timing(label: &str, db: &Db, o: &Opts) -> Value {
    let files = std::env::temp_dir().join(format!("shezhi-bench-risk-{}", std::process::id()));
    let fx = Effects::new(db, files.clone());
    // The busiest village, and a point in it from one of its cases.
    let row = sqlx::query(
        "SELECT village_id, MIN(lat_e6), MIN(lng_e6) FROM cases WHERE village_id IS NOT NULL AND lat_e6 IS NOT NULL
         GROUP BY village_id ORDER BY COUNT(*) DESC LIMIT 1",
    )
    .fetch_one(&db.pool)
    .await
    .expect("a village with cases");
    let (village, lat, lng): (i64, i64, i64) = (row.get(0), row.get(1), row.get(2));
    let admin = Actor::staff(1, Role::Admin, None);
    let operator = Actor::staff(1, Role::Operator, None);
    let set = async |s: Settings| app::service::risk::set_settings(db, &AuditActor::default(), &admin, s).await.expect("settings");
    let mut off = Settings::default();
    (off.cluster.on, off.repeat.on, off.mass.on, off.emergency_overdue, off.unsigned) = (false, false, false, false, false);
    let before = app::service::risk::settings(db).await.expect("settings");
    let intake = async |i: usize| {
        let input = IntakeInput {
            category: CATEGORIES[i % CATEGORIES.len()].into(),
            channel: Channel::Hotline12345,
            urgency: Urgency::Normal,
            text: IntakeText {
                title: format!("基准测试第{i}号反映：村口路灯不亮、垃圾堆积"),
                description: "晚上村口一段路没有灯，旁边垃圾两天没人清运，请尽快处理。".into(),
                address: "村口公交站旁".into(),
                reporter_name: "基准".into(),
                reporter_phone: format!("1390000{:04}", i % 50),
            },
            area_id: Some(village),
            location: Some(GeoPoint { lat_e6: lat + (i % 7) as i64 * 300, lng_e6: lng }),
        };
        let t = Instant::now();
        app::service::cases::register(db, &fx, &operator, input, vec![]).await.expect("intake");
        t.elapsed().as_secs_f64() * 1000.0
    };
    // Warm-up, then alternate so both sets meet the same database.
    set(off.clone()).await;
    for i in 0..5 {
        intake(i).await;
    }
    let (mut with, mut without) = (Vec::new(), Vec::new());
    let start = Instant::now();
    for i in 0..o.runs.max(20) {
        set(Settings::default()).await;
        with.push(intake(2 * i).await);
        set(off.clone()).await;
        without.push(intake(2 * i + 1).await);
        if i >= 20 && start.elapsed().as_secs_f64() > o.max_secs {
            break;
        }
    }
    set(before).await;
    let _ = std::fs::remove_dir_all(&files);
    with.sort_by(f64::total_cmp);
    without.sort_by(f64::total_cmp);
    let (w50, w99, n50, n99) = (percentile(&with, 0.5), percentile(&with, 0.99), percentile(&without, 0.5), percentile(&without, 0.99));
    let (a50, a99) = (w50 - n50, w99 - n99);
    let met = |v: f64| if v <= 2.0 { ", met" } else { ", MISSED" };
    println!(
        "{label}: intake with every risk rule on: p50 {w50:.2} ms, p99 {w99:.2} ms; with every rule off: p50 {n50:.2} ms, p99 {n99:.2} ms ({} each)",
        with.len()
    );
    println!("{label}: the rules add p50 {a50:.2} ms (target <= 2 ms{}), p99 {a99:.2} ms (target <= 2 ms{})", met(a50), met(a99));

    // A year of history replayed under the default settings.
    let now = app::store::now_ms();
    let t = Instant::now();
    let r = app::service::risk::replay(db, Settings::default(), now - 365 * 86_400_000, now).await.expect("replay");
    let secs = t.elapsed().as_secs_f64();
    let counts: Vec<String> = r.counts.iter().map(|(rule, n)| format!("{} {n}", rule.code())).collect();
    println!("{label}: replay of a year: {} cases in {secs:.1} s ({})", r.cases, counts.join(", "));
    json!({
        "with_p50_ms": w50, "with_p99_ms": w99, "without_p50_ms": n50, "without_p99_ms": n99,
        "added_p50_ms": a50, "added_p99_ms": a99,
        "replay_cases": r.cases, "replay_secs": secs, "replay_counts": r.counts.iter().map(|(rule, n)| json!([rule.code(), n])).collect::<Vec<_>>(),
    })
}
