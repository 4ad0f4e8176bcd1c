//! What every answer tells the browser: a Content-Security-Policy whose nonce is the one on
//! the page's own scripts, no framing, no caching of anything but static files, HSTS behind
//! TLS; and the language switch sends nobody off-site.
#[macro_use]
mod common;

use app::domain::org::Role;
use common::{PASSWORD, TestApp, location};
use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, STRICT_TRANSPORT_SECURITY};

fn header(r: &reqwest::Response, name: impl reqwest::header::AsHeaderName) -> String {
    r.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pages_carry_a_policy_with_their_scripts_nonce_and_are_not_cached() {
    let app = TestApp::sqlite().await;
    app.user("desk.op", Role::Operator, None).await;
    let resident = app.browser();
    for path in ["/", "/report", "/track"] {
        let r = resident.get(path).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let policy = header(&r, CONTENT_SECURITY_POLICY);
        assert_eq!(header(&r, CACHE_CONTROL), "no-store", "{path}");
        assert!(header(&r, "permissions-policy").contains("microphone=()"), "{path}");
        assert!(header(&r, STRICT_TRANSPORT_SECURITY).is_empty(), "no HSTS over plain HTTP");
        let html = r.text().await.unwrap();
        let nonce = policy.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).unwrap_or_else(|| panic!("{path}: no nonce in {policy:?}"));
        assert!(html.contains(&format!("nonce=\"{nonce}\"")), "{path}: the hydration scripts carry the policy's nonce");
        assert!(policy.contains("frame-ancestors 'none'") && policy.contains("object-src 'none'"), "{policy}");
        assert!(!policy.contains("script-src 'self' 'unsafe-inline'"), "{policy}");
    }
    // A second render has a nonce of its own.
    let a = header(&resident.get("/").await, CONTENT_SECURITY_POLICY);
    let b = header(&resident.get("/").await, CONTENT_SECURITY_POLICY);
    assert_ne!(a, b);

    let op = app.browser();
    op.sign_in("desk.op", PASSWORD).await;
    for path in ["/center", "/center/cases", "/center/cases/export.csv"] {
        let r = op.get(path).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert_eq!(header(&r, CACHE_CONTROL), "no-store", "{path}");
        assert!(header(&r, CONTENT_SECURITY_POLICY).contains("default-src 'self'"), "{path}");
    }
    let r = op.bare_post("/api/cases/list").form(&[("filter", "")]).send().await.unwrap();
    assert_eq!(header(&r, CACHE_CONTROL), "no-store", "server-function answers too ({})", r.status());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn behind_tls_browsers_are_told_to_stay_on_https() {
    let app = TestApp::sqlite_with(|c| c.secure_cookies = true).await;
    let r = app.browser().get("/").await;
    assert!(header(&r, STRICT_TRANSPORT_SECURITY).starts_with("max-age="), "{:?}", r.headers());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_language_switch_goes_only_to_pages_of_this_site() {
    let app = TestApp::sqlite().await;
    let browser = app.browser();
    for (next, to) in [("/suggest", "/suggest"), ("/%5Cevil.example", "/"), ("//evil.example", "/"), ("https://evil.example", "/"), ("/%09/evil.example", "/")]
    {
        let r = browser.get(&format!("/lang/en?next={next}")).await;
        assert!(r.status().is_redirection(), "{next}: {}", r.status());
        assert_eq!(location(&r).as_deref(), Some(to), "{next}");
    }
}
