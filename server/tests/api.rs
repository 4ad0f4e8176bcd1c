//! The JSON API for other systems (`/api/v1`), called the way a 12345 hotline platform
//! calls it: server to server, a bearer token, no browser headers.
#[macro_use]
mod common;

use app::domain::case::{CaseStatus, Channel, Urgency};
use app::store::hash::sha256_hex;
use common::TestApp;
use reqwest::header::{AUTHORIZATION, CACHE_CONTROL, LOCATION, WWW_AUTHENTICATE};
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};

on_both_backends!(a_hotline_files_a_case_and_follows_it, tokens_are_checked, bad_input_stores_nothing, the_document_describes_the_api);
on_both_backends!(a_token_reads_only_what_it_filed_unless_it_reads_all_and_every_call_is_audited);
on_both_backends!(configured |c: &mut server::config::Config| c.suggest_limits.api_per_token = Some(app::service::limiter::Rate { burst: 3, per: std::time::Duration::from_secs(60) }) => calls_are_limited_per_token);

async fn a_token_reads_only_what_it_filed_unless_it_reads_all_and_every_call_is_audited(app: TestApp) {
    let hotline = token(&app, "12345 热线平台").await;
    let grid = token_for(&app, "网格通", Channel::Field, false).await;
    let overseer = token_for(&app, "区大数据中心", Channel::Hotline12345, true).await;
    let case = json!({"category": "noise", "description": "夜间施工噪音"});
    let (_, filed) = json_of(post(&app, Some(&hotline), &case).await).await;
    let code = filed["code"].as_str().unwrap().to_string();
    let path = format!("/api/v1/cases/{code}");
    assert_eq!(get(&app, Some(&hotline), &path).await.status(), StatusCode::OK);
    refused(get(&app, Some(&grid), &path).await, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(get(&app, Some(&overseer), &path).await.status(), StatusCode::OK, "a read-all token reads every case");
    // The grid app's cases are filed under its channel without naming it.
    let (status, mine) = json_of(post(&app, Some(&grid), &case).await).await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, seen) = json_of(get(&app, Some(&grid), &format!("/api/v1/cases/{}", mine["code"].as_str().unwrap())).await).await;
    assert_eq!(seen["channel"], Channel::Field.code());
    // A filing refused, before the intake (not JSON) or by it (no such category), is
    // recorded too, with nothing else written.
    let cases = app.count("SELECT COUNT(*) FROM cases").await;
    let r = client().post(format!("{}/api/v1/cases", app.base)).header(AUTHORIZATION, format!("Bearer {grid}")).body("{").send().await.unwrap();
    refused(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_json").await;
    refused(post(&app, Some(&grid), &json!({"category": "no-such", "description": "x"})).await, StatusCode::UNPROCESSABLE_ENTITY, "unknown_code").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM cases").await, cases);
    let calls = app.count("SELECT COUNT(*) FROM audit_events WHERE kind = 'api_called'").await;
    assert_eq!(calls, 8, "every authenticated call is in the audit trail");
}

async fn calls_are_limited_per_token(app: TestApp) {
    let (a, b) = (token(&app, "a").await, token(&app, "b").await);
    for _ in 0..3 {
        assert_eq!(get(&app, Some(&a), "/api/v1/categories").await.status(), StatusCode::OK);
    }
    let r = get(&app, Some(&a), "/api/v1/categories").await;
    assert!(r.headers().contains_key("retry-after"));
    refused(r, StatusCode::TOO_MANY_REQUESTS, "too_many_requests").await;
    assert_eq!(get(&app, Some(&b), "/api/v1/categories").await.status(), StatusCode::OK, "another token has its own budget");
}

/// A token for a hotline platform, as `server token add NAME` makes it.
async fn token(app: &TestApp, name: &str) -> String {
    token_for(app, name, Channel::Hotline12345, false).await
}

async fn token_for(app: &TestApp, name: &str, channel: Channel, read_all: bool) -> String {
    app::service::api::create_token(&app.db, name, channel, read_all).await.expect("token made")
}

/// A plain HTTP client: no cookies, no `Origin`, no `Sec-Fetch-Site`.
fn client() -> Client {
    Client::builder().timeout(std::time::Duration::from_secs(30)).build().expect("http client")
}

async fn post(app: &TestApp, token: Option<&str>, body: &Value) -> Response {
    let mut req = client().post(format!("{}/api/v1/cases", app.base)).json(body);
    if let Some(t) = token {
        req = req.header(AUTHORIZATION, format!("Bearer {t}"));
    }
    req.send().await.expect("POST answered")
}

async fn get(app: &TestApp, token: Option<&str>, path: &str) -> Response {
    let mut req = client().get(format!("{}{path}", app.base));
    if let Some(t) = token {
        req = req.header(AUTHORIZATION, format!("Bearer {t}"));
    }
    req.send().await.expect("GET answered")
}

/// Status and JSON body of an answer.
async fn json_of(r: Response) -> (StatusCode, Value) {
    let status = r.status();
    let body = r.text().await.expect("body");
    let v = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{status}: body {body:?} is not JSON: {e}"));
    (status, v)
}

/// A refusal must be `{"error", "message"}` with the given status and code.
async fn refused(r: Response, status: StatusCode, code: &str) -> Value {
    let (got, v) = json_of(r).await;
    assert_eq!(got, status, "{v}");
    assert_eq!(v["error"], code, "{v}");
    assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()), "a message in words: {v}");
    v
}

fn work_order() -> Value {
    json!({
        "category": "construction-damage",
        "urgency": "urgent",
        "title": "高铁施工致房屋开裂",
        "description": "杭衢高铁施工后，村内多户房屋墙面开裂，请尽快核查。",
        "address": "莲花镇五坪村",
        "lat": 28.9801,
        "lng": 118.9601,
        "reporter_name": "张三丰",
        "reporter_phone": "138-1234-5678",
        "external_ref": "12345-20260301-0042"
    })
}

async fn registered(app: &TestApp) -> [i64; 4] {
    [
        app.count("SELECT COUNT(*) FROM cases").await,
        app.count("SELECT COUNT(*) FROM case_events").await,
        app.count("SELECT COUNT(*) FROM reporters").await,
        app.count("SELECT COUNT(*) FROM case_search").await,
    ]
}

async fn a_hotline_files_a_case_and_follows_it(app: TestApp) {
    let t = token(&app, "12345 热线平台").await;
    let r = post(&app, Some(&t), &work_order()).await;
    let location = r.headers().get(LOCATION).and_then(|v| v.to_str().ok()).map(str::to_string);
    let (status, filed) = json_of(r).await;
    assert_eq!(status, StatusCode::CREATED, "{filed}");
    let code = filed["code"].as_str().expect("a tracking code").to_string();
    assert_eq!(code.len(), 12, "YYMMDD + 6 characters: {code}");
    assert_eq!(filed["status"], "received");
    assert_eq!(filed["secret"].as_str().map(str::len), Some(8), "{filed}");
    assert_eq!(filed["external_ref"], "12345-20260301-0042");
    assert_eq!(location.as_deref(), Some(format!("/api/v1/cases/{code}").as_str()));

    // Stored like every other channel: the case, its first history entry, its search row.
    let id = filed["id"].as_i64().expect("an id");
    assert_eq!(registered(&app).await, [1, 1, 1, 1]);
    let channel: String = sqlx::query_scalar("SELECT channel FROM cases WHERE id = $1").bind(id).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(channel, Channel::Hotline12345.code(), "the default channel");
    let actor: Option<i64> = sqlx::query_scalar("SELECT actor_id FROM case_events WHERE case_id = $1").bind(id).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(actor, None, "filed by the system, not by a staff member");
    let phone: Option<String> = sqlx::query_scalar("SELECT phone FROM reporters").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(phone.as_deref(), Some("13812345678"));

    // The resident can track it with the code and secret the hotline passes on.
    let track = app::service::cases::track(&app.db, &code, filed["secret"].as_str().unwrap()).await.expect("trackable");
    assert_eq!(track.status, CaseStatus::Received);

    let r = get(&app, Some(&t), &format!("/api/v1/cases/{}", code.to_ascii_lowercase())).await;
    assert_eq!(r.headers().get(CACHE_CONTROL).and_then(|v| v.to_str().ok()), Some("no-store"));
    let (status, case) = json_of(r).await;
    assert_eq!(status, StatusCode::OK, "{case}");
    assert_eq!(case["code"], code.as_str());
    assert_eq!(case["status"], "received");
    assert_eq!((case["category"].as_str(), case["kind"].as_str()), (Some("construction-damage"), Some("governance_incident")));
    assert_eq!(case["urgency"], Urgency::Urgent.code());
    let day = 24 * 3600 * 1000;
    assert_eq!(case["deadline_ms"].as_i64().unwrap() - case["received_ms"].as_i64().unwrap(), day, "urgent: at most 24 h");
    let history = case["history"].as_array().expect("history");
    assert_eq!(history.len(), 1, "{case}");
    assert_eq!(history[0]["step"], "received");
    let text = case.to_string();
    assert!(!text.contains("13812345678") && !text.contains("张三丰"), "no personal data: {text}");

    let (status, cats) = json_of(get(&app, Some(&t), "/api/v1/categories").await).await;
    assert_eq!(status, StatusCode::OK);
    let noise = cats.as_array().unwrap().iter().find(|c| c["code"] == "noise").expect("seeded categories are listed");
    assert_eq!((noise["kind"].as_str(), noise["allowed_ms"].as_i64()), (Some("governance_incident"), Some(day)));

    refused(get(&app, Some(&t), "/api/v1/cases/260101ZZZZZZ").await, StatusCode::NOT_FOUND, "not_found").await;
    refused(get(&app, Some(&t), "/api/v1/nothing-here").await, StatusCode::NOT_FOUND, "not_found").await;

    // The token fixes the channel: another one named is refused, nothing filed.
    let elsewhere = json!({"category": "noise", "description": "夜间施工噪音", "channel": "online"});
    refused(post(&app, Some(&t), &elsewhere).await, StatusCode::UNPROCESSABLE_ENTITY, "channel_fixed").await;
    // Only a title-less description, its own channel named, no urgency: still fine.
    let minimal = json!({"category": "noise", "description": "夜间施工噪音\n持续到凌晨两点", "channel": "hotline12345", "urgency": null});
    let (status, filed) = json_of(post(&app, Some(&t), &minimal).await).await;
    assert_eq!(status, StatusCode::CREATED, "{filed}");
    let (_, case) = json_of(get(&app, Some(&t), &format!("/api/v1/cases/{}", filed["code"].as_str().unwrap())).await).await;
    assert_eq!((case["title"].as_str(), case["channel"].as_str(), case["urgency"].as_str()), (Some("夜间施工噪音"), Some("hotline12345"), Some("normal")));
}

async fn tokens_are_checked(app: TestApp) {
    let good = token(&app, "hotline").await;
    let before = registered(&app).await;
    let v = refused(post(&app, None, &work_order()).await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert!(v["message"].as_str().unwrap().contains("Bearer"), "{v}");
    refused(post(&app, Some("not-a-token"), &work_order()).await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let basic = client().post(format!("{}/api/v1/cases", app.base)).header(AUTHORIZATION, format!("Basic {good}")).json(&work_order()).send().await.unwrap();
    refused(basic, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let r = get(&app, Some("tok-nobody"), "/api/v1/categories").await;
    assert_eq!(r.headers().get(WWW_AUTHENTICATE).and_then(|v| v.to_str().ok()), Some("Bearer realm=\"shezhi\""));
    refused(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    refused(get(&app, None, "/api/v1/cases/260101ZZZZZZ").await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(registered(&app).await, before, "nothing stored");

    // A revoked token stops working at once.
    app::store::api_tokens::set_active(&mut app.db.read().await.expect("a connection"), "hotline", false).await.unwrap();
    refused(get(&app, Some(&good), "/api/v1/categories").await, StatusCode::UNAUTHORIZED, "unauthorized").await;

    // `server token add` makes 32-character tokens, stores only their hash, and refuses a taken name.
    let made = app::service::api::create_token(&app.db, "  网格通  ", Channel::Hotline12345, false).await.expect("token made");
    assert_eq!(made.len(), 32);
    assert!(made.chars().all(|c| c.is_ascii_alphanumeric()), "{made}");
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM api_tokens WHERE name = '网格通'").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(stored, sha256_hex(made.as_bytes()));
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM api_tokens WHERE token_hash = '{made}'")).await, 0);
    assert_eq!(app::service::api::create_token(&app.db, "网格通", Channel::Hotline12345, false).await, Err(app::error::AppError::Duplicate));
    assert_eq!(get(&app, Some(&made), "/api/v1/categories").await.status(), StatusCode::OK);
    // Browsers' cross-site POSTs are still refused by the guard, token or not.
    let cross = client()
        .post(format!("{}/api/v1/cases", app.base))
        .header(AUTHORIZATION, format!("Bearer {made}"))
        .header("sec-fetch-site", "cross-site")
        .json(&work_order())
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), StatusCode::FORBIDDEN);
    assert_eq!(registered(&app).await, before, "nothing stored");
}

async fn bad_input_stores_nothing(app: TestApp) {
    let t = token(&app, "hotline").await;
    let before = registered(&app).await;
    let with = |key: &str, value: Value| {
        let mut body = work_order();
        body[key] = value;
        body
    };
    let without = |key: &str| {
        let mut body = work_order();
        body.as_object_mut().unwrap().remove(key);
        body
    };

    let v = refused(post(&app, Some(&t), &without("description")).await, StatusCode::UNPROCESSABLE_ENTITY, "text_required").await;
    assert_eq!(v["message"], "description is required");
    refused(post(&app, Some(&t), &with("description", json!("   "))).await, StatusCode::UNPROCESSABLE_ENTITY, "text_required").await;
    let v = refused(post(&app, Some(&t), &with("category", json!("fax-complaints"))).await, StatusCode::UNPROCESSABLE_ENTITY, "unknown_code").await;
    assert_eq!(v["message"], "unknown code fax-complaints");
    refused(post(&app, Some(&t), &without("category")).await, StatusCode::UNPROCESSABLE_ENTITY, "unknown_code").await;
    refused(post(&app, Some(&t), &with("channel", json!("fax"))).await, StatusCode::UNPROCESSABLE_ENTITY, "channel_fixed").await;
    refused(post(&app, Some(&t), &with("urgency", json!("asap"))).await, StatusCode::UNPROCESSABLE_ENTITY, "unknown_code").await;
    refused(post(&app, Some(&t), &with("title", json!("墙".repeat(81)))).await, StatusCode::UNPROCESSABLE_ENTITY, "text_too_long").await;
    refused(post(&app, Some(&t), &with("reporter_phone", json!("12345"))).await, StatusCode::UNPROCESSABLE_ENTITY, "bad_phone").await;
    refused(post(&app, Some(&t), &without("lng")).await, StatusCode::UNPROCESSABLE_ENTITY, "bad_location").await;
    refused(post(&app, Some(&t), &with("lat", json!(123.0))).await, StatusCode::UNPROCESSABLE_ENTITY, "bad_location").await;
    refused(post(&app, Some(&t), &with("area_id", json!(987_654))).await, StatusCode::UNPROCESSABLE_ENTITY, "bad_area").await;
    refused(post(&app, Some(&t), &with("lat", json!("north"))).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_json").await;
    refused(post(&app, Some(&t), &with("external_ref", json!("x".repeat(65)))).await, StatusCode::UNPROCESSABLE_ENTITY, "bad_external_ref").await;
    refused(post(&app, Some(&t), &json!(["not", "an", "object"])).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_json").await;
    let garbage = client()
        .post(format!("{}/api/v1/cases", app.base))
        .header(AUTHORIZATION, format!("Bearer {t}"))
        .header("content-type", "application/json")
        .body("{\"category\": \"noise\", ")
        .send()
        .await
        .unwrap();
    refused(garbage, StatusCode::UNPROCESSABLE_ENTITY, "invalid_json").await;
    // An inactive category is refused too (the store keeps it for old cases).
    sqlx::query("UPDATE categories SET active = 0 WHERE code = 'noise'").execute(&app.db.pool).await.unwrap();
    refused(post(&app, Some(&t), &with("category", json!("noise"))).await, StatusCode::UNPROCESSABLE_ENTITY, "category_inactive").await;
    let (_, cats) = json_of(get(&app, Some(&t), "/api/v1/categories").await).await;
    assert!(!cats.as_array().unwrap().iter().any(|c| c["code"] == "noise"), "inactive categories are not offered");

    assert_eq!(registered(&app).await, before, "nothing stored");
}

async fn the_document_describes_the_api(app: TestApp) {
    // Public: a partner reads it before it has a token.
    let (status, doc) = json_of(get(&app, None, "/api/v1/openapi.json").await).await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")), "{}", doc["openapi"]);
    for (path, method) in [("/api/v1/cases", "post"), ("/api/v1/cases/{code}", "get"), ("/api/v1/categories", "get"), ("/api/v1/openapi.json", "get")] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path} is documented");
    }
    assert_eq!(doc["paths"].as_object().unwrap().len(), 4, "and nothing else");
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    let codes = |name: &str| -> Vec<String> {
        doc["components"]["schemas"][name]["enum"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
    };
    let all = |codes: &[&str]| codes.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    use app::domain::case::CaseKind;
    assert_eq!(codes("Status"), all(&CaseStatus::ALL.iter().map(|s| s.code()).collect::<Vec<_>>()));
    assert_eq!(codes("Channel"), all(&Channel::ALL.iter().map(|s| s.code()).collect::<Vec<_>>()));
    assert_eq!(codes("Urgency"), all(&Urgency::ALL.iter().map(|s| s.code()).collect::<Vec<_>>()));
    assert_eq!(codes("Kind"), all(&CaseKind::ALL.iter().map(|s| s.code()).collect::<Vec<_>>()));
}
