//! The request guard: role checks on pages and server functions, cross-site refusal,
//! and that no route escapes the access table.
#[macro_use]
mod common;

use app::domain::access::access_for;
use app::domain::org::Role;
use app::error::AppError;
use common::{PASSWORD, TestApp, is_html, location};
use reqwest::StatusCode;
use reqwest::header::ORIGIN;

on_both_backends!(unit_staff_gets_403_on_admin_pages_and_admin_api, cross_site_post_is_refused, a_path_in_no_rule_is_refused_to_everyone);

async fn unit_staff_gets_403_on_admin_pages_and_admin_api(app: TestApp) {
    let unit = app.unit("区应急管理局").await;
    app.user("yj.chen", Role::UnitStaff, Some(unit)).await;
    let worker = app.browser();
    assert_eq!(worker.sign_in("yj.chen", PASSWORD).await, "/field");

    for page in ["/center/admin/users", "/center"] {
        let r = worker.get(page).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{page}");
        assert!(is_html(&r), "{page} answers with a page");
    }
    let (status, err) = worker.refused("admin/users/list", &[]).await;
    assert_eq!((status, err), (StatusCode::FORBIDDEN, AppError::Forbidden));

    let users = app.count("SELECT COUNT(*) FROM users").await;
    let attempt = [("username", "sneaky"), ("display_name", "x"), ("role", "admin"), ("unit_id", ""), ("phone", ""), ("password", "long-enough-password")];
    let (status, _) = worker.refused("admin/users/save", &attempt).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, users, "no account was made");
}

async fn cross_site_post_is_refused(app: TestApp) {
    app.user("boss", Role::Admin, None).await;
    let browser = app.browser();
    let fields = [("username", "boss"), ("password", PASSWORD)];

    let r =
        browser.bare_post("/api/auth/signin").header("sec-fetch-site", "cross-site").header(ORIGIN, "https://evil.example").form(&fields).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // An older browser sends only Origin; a foreign one is refused too.
    let r = browser.bare_post("/api/auth/signin").header(ORIGIN, "https://evil.example").form(&fields).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let r = browser.get("/center").await;
    assert!(r.status().is_redirection(), "nobody signed in: {}", r.status());
    assert_eq!(location(&r).as_deref(), Some("/signin?next=/center"));
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE kind IN ('signed_in', 'sign_in_failed')").await, 0);
}

async fn a_path_in_no_rule_is_refused_to_everyone(app: TestApp) {
    app.user("boss", Role::Admin, None).await;
    let admin = app.browser();
    admin.sign_in("boss", PASSWORD).await;
    for browser in [app.browser(), admin] {
        let r = browser.get("/nowhere").await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert!(is_html(&r));
        assert!(r.text().await.unwrap().contains("页面不存在"), "the refusal says so in the reader's language");
        let r = browser.get("/api/nowhere").await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(r.json::<AppError>().await.unwrap(), AppError::NotFound);
    }
}

/// A concrete path for an axum route pattern: `{id}` → `1`, `{*rest}` → `x/y`.
fn sample(pattern: &str) -> String {
    pattern
        .split('/')
        .map(|seg| {
            if seg.starts_with("{*") {
                "x/y"
            } else if seg.starts_with('{') {
                "1"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test]
async fn every_route_is_public_or_role_guarded() {
    let pages: Vec<String> = leptos_axum::generate_route_list(app::App).iter().map(|r| r.path().to_string()).collect();
    let functions: Vec<String> = leptos::server_fn::axum::server_fn_paths().map(|(p, _)| p.to_string()).collect();
    // Guard against an empty list passing vacuously (e.g. server functions not linked in).
    assert!(pages.iter().any(|p| p == "/center/admin/users"), "pages: {pages:?}");
    assert!(functions.iter().any(|p| p == "/api/admin/users/list"), "server functions: {functions:?}");

    let hand_written: Vec<String> =
        server::router::hand_written(&server::config::Config::from_vars(|_| None).unwrap()).iter().map(|(p, _)| sample(p)).collect();
    assert!(hand_written.iter().any(|p| p == "/events") && hand_written.iter().any(|p| p == "/api/v1/x/y"), "hand-written: {hand_written:?}");

    let unguarded: Vec<&String> = pages.iter().chain(&functions).chain(&hand_written).filter(|p| access_for(p).is_none()).collect();
    assert!(unguarded.is_empty(), "routes missing from domain::access::RULES: {unguarded:?}");
}
