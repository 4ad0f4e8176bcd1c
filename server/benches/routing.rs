//! Routing that learns (issue 17): accuracy on the demo's year of closed cases, split by time
//! (trained on the older 80 %, tested on the newest 20 %) beside the rule baseline; the time a
//! training run takes at 100,000 closed cases (the demo's history repeated, a year apart each
//! time, so the texts and units are real ones); and what one suggestion costs through the
//! service (place, category and unit names read from the database), after that training.
//! Targets: learned top-3 lead accuracy above the rule baseline; training <= 60 s at 100,000;
//! a suggestion <= 5 ms. SQLite in a temp file. The last line is `RESULT {json}` for
//! `scripts/bench.sh`.
//!
//! `cargo bench -p server --bench routing -- [--cases N] [--suggestions S]`
use app::domain::clock::DAY_MS;
use app::domain::routing::{Model, Routed};
use app::service::routing::{self, Routing};
use app::store::Db;
use serde_json::json;
use std::time::Instant;

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let (cases, suggestions) = (arg("--cases", 100_000), arg("--suggestions", 500));
    let dir = std::env::temp_dir().join(format!("shezhi-routing-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let db = Db::connect(&format!("sqlite://{}?mode=rwc", dir.join("bench.db").display())).await.expect("database");
    db.migrate().await.expect("migrations");
    let t = Instant::now();
    app::service::seed::seed_demo(&db).await.expect("demo organisation");
    app::service::seed::cases::seed_demo_cases(&db).await.expect("demo cases");
    println!("demo seeded in {:.1} s", t.elapsed().as_secs_f64());

    // Accuracy, exactly as the server measures it after each training run.
    let status = routing::train(&db, &Routing::default()).await.expect("trained");
    let a = status.accuracy;
    println!("accuracy on the demo history: {} closed cases; trained on the older {}, tested on the newest {}", status.cases, a.trained_on, a.tested_on);
    println!("{:<26} {:>7} {:>7}", "", "top-1", "top-3");
    for (what, h) in [("category, learned", a.category), ("lead unit, learned", a.lead), ("lead unit, rule baseline", a.rule_lead)] {
        println!("{what:<26} {:>6.1}% {:>6.1}%", h.top1 * 100.0, h.top3 * 100.0);
    }

    // A training run at `cases` closed cases.
    let history = app::store::routing::history(&mut *db.read().await.unwrap(), 0).await.expect("history");
    let big: Vec<Routed> = (0..cases)
        .map(|i| {
            let mut r = history[i % history.len()].clone();
            r.received_ms -= (i / history.len()) as i64 * 365 * DAY_MS;
            r
        })
        .collect();
    let t = Instant::now();
    let model = Model::train(&big);
    let train_s = t.elapsed().as_secs_f64();
    println!("training at {} closed cases: {train_s:.2} s (one thread)", model.cases);

    // Suggestions through the service, with that model in use.
    let routing = Routing::default();
    routing.install(model);
    let texts: Vec<&Routed> = history.iter().rev().take(suggestions).collect();
    let mut ms = Vec::with_capacity(texts.len());
    for r in &texts {
        let t = Instant::now();
        let s = routing::suggest(&db, &routing, &r.text.title, &r.text.description, None, None).await.expect("suggestion");
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(!s.categories.is_empty());
    }
    ms.sort_by(f64::total_cmp);
    let (p50, p99) = (percentile(&ms, 0.5), percentile(&ms, 0.99));
    println!("a suggestion through the service: p50 {p50:.2} ms, p99 {p99:.2} ms over {}", ms.len());
    let _ = std::fs::remove_dir_all(&dir);
    let result = json!({
        "cases": status.cases, "trained_on": a.trained_on, "tested_on": a.tested_on,
        "category_top1": a.category.top1, "category_top3": a.category.top3,
        "lead_top1": a.lead.top1, "lead_top3": a.lead.top3,
        "rule_top1": a.rule_lead.top1, "rule_top3": a.rule_lead.top3,
        "train_cases": cases, "train_s": train_s, "suggest_p50_ms": p50, "suggest_p99_ms": p99,
    });
    println!("RESULT {result}");
}
