//! What the IT office watches: `/metrics` read by the Prometheus project's own text parser
//! (Python `prometheus_client`, installed by `scripts/setup.sh` into `target/py`), the
//! operators'-network-only rule, `/readyz`, and the request id.
#[macro_use]
mod common;

use app::domain::case::Channel;
use common::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::process::Command;

on_both_backends!(metrics_parse_and_count_what_happened, readiness_follows_the_schema, every_answer_carries_a_request_id);
on_both_backends!(configured |c: &mut server::config::Config| c.metrics_from = server::observe::MetricsFrom::parse("10.20.0.0/16").unwrap() => metrics_answer_only_the_operators_network);

/// The parser's reading of a scrape: every sample as `[family, type, sample name, labels, value]`.
fn parsed(text: &str) -> Vec<Value> {
    let python = std::env::var("SHEZHI_PYTHON").unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../target/py/bin/python").to_string());
    let script = r#"
import json, sys
from prometheus_client.parser import text_string_to_metric_families
out = []
for f in text_string_to_metric_families(sys.stdin.read()):
    for s in f.samples:
        out.append([f.name, f.type, s.name, s.labels, s.value])
print(json.dumps(out))
"#;
    let mut child = Command::new(&python)
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {python} (scripts/setup.sh test installs it, or set SHEZHI_PYTHON): {e}"));
    use std::io::Write;
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "the Prometheus parser refused the scrape: {}\n{text}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice::<Vec<Value>>(&out.stdout).unwrap()
}

fn value(samples: &[Value], sample: &str, labels: Value) -> Option<f64> {
    samples.iter().find(|s| s[2] == sample && labels.as_object().unwrap().iter().all(|(k, v)| &s[3][k] == v)).map(|s| s[4].as_f64().unwrap())
}

async fn scrape(app: &TestApp) -> Vec<Value> {
    let r = app.browser().get("/metrics").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    parsed(&r.text().await.unwrap())
}

async fn metrics_parse_and_count_what_happened(app: TestApp) {
    let before = scrape(&app).await;
    let received_before = value(&before, "shezhi_cases_received_total", json!({"channel": "hotline12345"})).unwrap_or(0.0);
    let refused_before = value(&before, "shezhi_sign_ins_total", json!({"outcome": "wrong_credentials"})).unwrap_or(0.0);

    // A case through the API, a wrong password, a page, and an open live stream.
    let token = app::service::api::create_token(&app.db, "12345 热线平台", Channel::Hotline12345, false).await.unwrap();
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/cases", app.base))
        .bearer_auth(&token)
        .json(&json!({"category": "noise", "description": "夜间施工噪音"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    app.user("op.wang", app::domain::org::Role::Operator, None).await;
    let refused = app.browser().call("auth/signin", &[("username", "op.wang"), ("password", "not-the-password")]).await;
    assert!(!refused.status().is_redirection());
    assert_eq!(app.browser().get("/healthz").await.status(), StatusCode::OK);
    let operator = app.signed_in("op.wang").await;
    let _feed = operator.events(None).await;

    let after = scrape(&app).await;
    let kinds: std::collections::BTreeMap<&str, &str> = after.iter().map(|s| (s[0].as_str().unwrap(), s[1].as_str().unwrap())).collect();
    for (family, kind) in [
        ("shezhi_http_requests", "counter"),
        ("shezhi_http_request_duration_seconds", "histogram"),
        ("shezhi_event_streams_open", "gauge"),
        ("shezhi_alarms_due", "gauge"),
        ("shezhi_scheduler_lag_seconds", "gauge"),
        ("shezhi_db_pool_connections", "gauge"),
        ("shezhi_cases_received", "counter"),
        ("shezhi_sign_ins", "counter"),
    ] {
        assert_eq!(kinds.get(family), Some(&kind), "{family} in {kinds:?}");
    }
    assert!(value(&after, "shezhi_cases_received_total", json!({"channel": "hotline12345"})).unwrap() >= received_before + 1.0);
    assert!(value(&after, "shezhi_sign_ins_total", json!({"outcome": "wrong_credentials"})).unwrap() >= refused_before + 1.0);
    // By route pattern, not by path.
    assert!(value(&after, "shezhi_http_requests_total", json!({"method": "GET", "route": "/healthz", "status": "200"})).unwrap() >= 1.0);
    assert!(value(&after, "shezhi_http_requests_total", json!({"method": "POST", "route": "/api/v1/cases", "status": "201"})).unwrap() >= 1.0);
    assert!(value(&after, "shezhi_http_request_duration_seconds_count", json!({"method": "GET", "route": "/healthz"})).unwrap() >= 1.0);
    assert!(value(&after, "shezhi_event_streams_open", json!({})).unwrap() >= 1.0);
    assert!(value(&after, "shezhi_db_pool_connections", json!({"state": "open"})).unwrap() >= 1.0);
    assert_eq!(value(&after, "shezhi_alarms_due", json!({})), Some(0.0), "the scheduler is not behind");
    assert_eq!(value(&after, "shezhi_scheduler_lag_seconds", json!({})), Some(0.0));
}

async fn metrics_answer_only_the_operators_network(app: TestApp) {
    // The test's requests come from 127.0.0.1, outside 10.20.0.0/16.
    let r = app.browser().get("/metrics").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(!r.text().await.unwrap().contains("shezhi_"));
}

async fn readiness_follows_the_schema(app: TestApp) {
    let r = app.browser().get("/readyz").await;
    assert_eq!((r.status(), r.text().await.unwrap()), (StatusCode::OK, "ready".to_string()));
    // An instance whose database a newer release migrated must take no traffic.
    sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (99999, 'from the future', TRUE, $1, 0)")
        .bind(vec![0u8; 48])
        .execute(&app.db.pool)
        .await
        .unwrap();
    let r = app.browser().get("/readyz").await;
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.text().await.unwrap().contains("newer release"));
    assert_eq!(app.browser().get("/healthz").await.status(), StatusCode::OK, "alive all the same");
}

async fn every_answer_carries_a_request_id(app: TestApp) {
    let a = app.browser().get("/healthz").await;
    let b = app.browser().get("/no/such/page").await;
    let (a, b) = (a.headers()["x-request-id"].to_str().unwrap().to_string(), b.headers()["x-request-id"].to_str().unwrap().to_string());
    assert!(!a.is_empty() && a != b, "{a} {b}");
    // The proxy's id is kept; a header that is not a sane token is replaced.
    let c = reqwest::Client::new();
    let kept = c.get(format!("{}/healthz", app.base)).header("x-request-id", "lb-7f3a.42").send().await.unwrap();
    assert_eq!(kept.headers()["x-request-id"], "lb-7f3a.42");
    let replaced = c.get(format!("{}/healthz", app.base)).header("x-request-id", "<script>").send().await.unwrap();
    assert_ne!(replaced.headers()["x-request-id"], "<script>");
}
