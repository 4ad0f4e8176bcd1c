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

/// The nonce a page's policy names, checked against the page's scripts.
async fn policy_matches_scripts(r: reqwest::Response, what: &str) {
    assert_eq!(r.status(), StatusCode::OK, "{what}");
    let policy = header(&r, CONTENT_SECURITY_POLICY);
    let html = r.text().await.unwrap();
    let nonce = policy.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).unwrap_or_else(|| panic!("{what}: no nonce in {policy:?}"));
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "{what}: the scripts carry another nonce than the policy's");
}

// Pages rendered whole (`SsrMode::Async`: the phone's, the residents' forms) while the same
// reader's other calls are under way, as when a phone's inbox loads beside its live feed:
// every one must name its own scripts' nonce, or the browser refuses the scripts and the
// page never starts. A nonce set through the render's response options went missing here.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pages_rendered_whole_beside_other_calls_always_name_their_scripts_nonce() {
    let app = TestApp::sqlite().await;
    let town = app.unit("莲花镇人民政府").await;
    app.user("town.staff", Role::UnitStaff, Some(town)).await;
    let phone = app.browser();
    phone.sign_in("town.staff", PASSWORD).await;
    let resident = app.browser();
    let (phone, resident) = (&phone, &resident);
    for round in 0..20 {
        let pages = ["/field", "/field/report", "/report", "/suggest"].map(|path| {
            let who = if path.starts_with("/field") { phone } else { resident };
            async move { policy_matches_scripts(who.get(path).await, &format!("{path}, round {round}")).await }
        });
        let calls = ["/api/field/inbox", "/api/field/profile"].map(|path| async move {
            let r = phone.bare_post(path).form(&[("_", "")]).send().await.unwrap();
            assert!(r.status().is_success(), "{path}: {}", r.status());
        });
        // The files a page asks for next, each carrying only a policy of its own.
        let files = ["/favicon.svg", "/pkg/shezhi.css", "/favicon.svg", "/pkg/shezhi.css"].map(|path| async move {
            let r = phone.get(path).await;
            assert_eq!(r.status(), StatusCode::OK, "{path}");
            let policy = header(&r, CONTENT_SECURITY_POLICY);
            assert!(!policy.contains("'nonce-"), "{path} went out with a page's policy: {policy}");
        });
        let ([a, b, c, d], [e, f], [g, h, i, j]) = (pages, calls, files);
        tokio::join!(a, b, c, d, e, f, g, h, i, j);
    }
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

// A page names the build's files under the build's stamp, and those are kept for a year: a
// phone starts the app again without downloading it. Anything else static is checked each
// time, and so is a file asked for under another stamp (an old page's), so no browser keeps
// one release's code under another's name.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_builds_files_are_kept_a_year_under_its_stamp_and_checked_each_time_otherwise() {
    let app = TestApp::sqlite().await;
    let resident = app.browser();
    let html = resident.get("/report").await.text().await.unwrap();
    let named: Vec<&str> = html.split("href=\"").skip(1).filter_map(|s| s.split('"').next()).filter(|h| h.starts_with("/pkg/")).collect();
    let css = *named.iter().find(|h| h.ends_with("/shezhi.css")).unwrap_or_else(|| panic!("no style in {named:?}"));
    let stamp = css.strip_prefix("/pkg/~").and_then(|s| s.split_once('/')).map(|(s, _)| s).unwrap_or_else(|| panic!("unstamped: {css}"));
    assert_eq!(stamp.len(), 16, "{css}");
    assert!(named.contains(&format!("/pkg/~{stamp}/shezhi.js").as_str()), "the code under the same stamp: {named:?}");

    let on_disk = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/site/pkg/shezhi.css")).unwrap();
    let r = resident.get(css).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(header(&r, CACHE_CONTROL), "public, max-age=31536000, immutable");
    assert!(!header(&r, CONTENT_SECURITY_POLICY).contains("'nonce-"));
    assert_eq!(r.text().await.unwrap(), on_disk);

    for (path, status, cache) in [
        ("/pkg/shezhi.css", StatusCode::OK, "no-cache"),
        ("/pkg/~0000000000000000/shezhi.css", StatusCode::OK, "no-cache"),
        ("/favicon.svg", StatusCode::OK, "no-cache"),
        (&*format!("/pkg/~{stamp}/missing.js"), StatusCode::NOT_FOUND, ""),
        (&*format!("/pkg/~{stamp}/..%2f..%2fCargo.toml"), StatusCode::NOT_FOUND, ""),
    ] {
        let r = resident.get(path).await;
        assert_eq!(r.status(), status, "{path}");
        if status == StatusCode::OK {
            assert_eq!(header(&r, CACHE_CONTROL), cache, "{path}");
        }
    }
    assert_eq!(resident.get("/pkg/~0000000000000000/shezhi.css").await.text().await.unwrap(), on_disk, "an old page still gets a style");
}
