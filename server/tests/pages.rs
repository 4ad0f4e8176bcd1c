//! Every page renders whole, every time, for every role that may open it; and requests a
//! server function cannot read are refused with a 4xx before its decoder sees them. The
//! server panicking anywhere fails the test (see `common::watch_server_panics`).
#[macro_use]
mod common;

use app::domain::access::{access_for, allows};
use app::domain::case::CaseStatus;
use app::domain::org::Role;
use common::{Browser, PASSWORD, TestApp};
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;

on_both_backends!(
    every_page_renders_whole_for_every_role,
    readers_leaving_mid_page_leave_the_server_whole,
    malformed_calls_to_every_server_function_are_refused,
);

/// How many times each page is fetched, all at once: a page whose render depends on which
/// worker finishes it (the bug this guards against) shows up within a few.
const VISITS: usize = 8;

async fn id(app: &TestApp, sql: &str) -> Option<i64> {
    sqlx::query_scalar(sql).fetch_optional(&app.db.pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn unit(app: &TestApp, name: &str) -> i64 {
    id(app, &format!("SELECT id FROM units WHERE name = '{name}'")).await.unwrap_or_else(|| panic!("demo unit {name}"))
}

/// The demo center with one signed-in browser per role (unit staff in the township that
/// holds the railway case) and a resident's browser.
async fn demo(app: &TestApp) -> Vec<(Option<Role>, Browser)> {
    app::service::seed::seed_demo(&app.db).await.expect("demo organisation");
    app::service::seed::cases::seed_demo_cases(&app.db).await.expect("demo cases");
    app::service::seed::campaigns::seed_demo_campaigns(&app.db).await.expect("demo calls");
    app::service::seed::emergency::seed_demo_emergencies(&app.db).await.expect("demo emergencies");
    app::service::seed::hazards::seed_demo_hazards(&app.db).await.expect("demo hazards");
    let center = unit(app, "区社会治理中心").await;
    let town = unit(app, "莲花镇人民政府").await;
    let mut browsers = vec![(None, app.browser())];
    for &role in Role::ALL {
        let name = format!("pages.{}", role.code());
        let home = if role == Role::UnitStaff { town } else { center };
        app.user(&name, role, Some(home)).await;
        let b = app.browser();
        b.sign_in(&name, PASSWORD).await;
        browsers.push((Some(role), b));
    }
    browsers
}

/// Each route of the app with its parameters filled in from the demo data: a case in every
/// state there is, the railway palm command, a call, a suggestion, a bulletin, a warning.
async fn pages(app: &TestApp) -> Vec<String> {
    let mut cases = Vec::new();
    for s in CaseStatus::ALL {
        if let Some(c) = id(app, &format!("SELECT id FROM cases WHERE status = '{}' ORDER BY id LIMIT 1", s.code())).await {
            cases.push(c);
        }
    }
    cases.extend(id(app, "SELECT id FROM cases WHERE title LIKE '杭衢高铁%'").await);
    let campaign = id(app, "SELECT id FROM campaigns ORDER BY id LIMIT 1").await.expect("a demo call");
    let suggestion = id(app, "SELECT id FROM suggestions ORDER BY id LIMIT 1").await.expect("a demo suggestion");
    let bulletin = id(app, "SELECT id FROM bulletins ORDER BY id LIMIT 1").await.expect("the demo's bulletin");
    let warning = id(app, "SELECT id FROM risk_warnings ORDER BY id LIMIT 1").await.expect("a demo warning");
    // The township's own, so its staff's browser sees it too.
    let emergency = id(app, "SELECT e.case_id FROM emergencies e JOIN units u ON u.id = e.unit_id WHERE u.name = '莲花镇人民政府' ORDER BY e.case_id LIMIT 1")
        .await
        .expect("a demo emergency of Lianhua");
    let hazard = id(app, "SELECT h.id FROM hazards h JOIN units u ON u.id = h.responsible_unit_id WHERE u.name = '莲花镇人民政府' ORDER BY h.id LIMIT 1")
        .await
        .expect("a demo hazard of Lianhua");
    let mut out = Vec::new();
    for route in common::routes() {
        let path = route.path().to_string();
        match path.as_str() {
            p if p.contains("/cases/{id}") => out.extend(cases.iter().map(|c| p.replace("{id}", &c.to_string()))),
            p if p.contains("/campaigns/{id}") => out.push(p.replace("{id}", &campaign.to_string())),
            p if p.contains("/suggestions/{id}") => out.push(p.replace("{id}", &suggestion.to_string())),
            p if p.contains("/bulletins/{id}") => out.push(p.replace("{id}", &bulletin.to_string())),
            p if p.contains("/risk/{id}") => out.push(p.replace("{id}", &warning.to_string())),
            p if p.contains("/emergency/{id}") => out.push(p.replace("{id}", &emergency.to_string())),
            p if p.contains("/hazards/{id}") => out.push(p.replace("{id}", &hazard.to_string())),
            p => {
                assert!(!p.contains('{'), "a new kind of page parameter in {p}: give it a value here");
                out.push(p.to_string());
            }
        }
    }
    out.push("/no-such-page".to_string());
    out.sort();
    out.dedup();
    out
}

async fn every_page_renders_whole_for_every_role(app: TestApp) {
    let browsers = demo(&app).await;
    let pages = pages(&app).await;
    assert!(pages.len() > 20, "the app's pages: {pages:?}");
    for (role, b) in &browsers {
        for page in &pages {
            // A path no route has gets the not-found page, for anyone.
            let access = access_for(page).unwrap_or(app::domain::access::Access::Public);
            if !allows(access, *role) {
                continue;
            }
            let visits = (0..VISITS).map(|_| async {
                let r = b.get(page).await;
                let status = r.status();
                let body = r.text().await.unwrap_or_else(|e| panic!("{page} as {role:?}: the body was cut off: {e}"));
                (status, body)
            });
            for (status, body) in futures_util::future::join_all(visits).await {
                assert!(status == StatusCode::OK || status == StatusCode::NOT_FOUND, "{page} as {role:?}: {status}");
                // Streamed pages end with Leptos's resolver scripts after `</html>`; a page cut
                // off (the bug) fails in reading the body above, or lacks `</html>`.
                assert!(body.contains("</html>"), "{page} as {role:?}: the document is incomplete: …{}", tail(&body));
            }
        }
    }
}

/// Readers who leave while a page streams (a reload, a tap elsewhere) must not make the
/// render panic in an owner already gone; the pages still load whole afterwards.
async fn readers_leaving_mid_page_leave_the_server_whole(app: TestApp) {
    let browsers = demo(&app).await;
    let commander = &browsers.iter().find(|(r, _)| *r == Some(Role::Commander)).expect("a commander").1;
    let staff = &browsers.iter().find(|(r, _)| *r == Some(Role::UnitStaff)).expect("unit staff").1;
    let cases: Vec<String> = pages(&app).await.into_iter().filter(|p| p.contains("/cases/") && p.ends_with(char::is_numeric)).collect();
    for round in 0..40u64 {
        let leaving = cases.iter().map(|page| {
            let b = if page.starts_with("/field") { staff } else { commander };
            // Spread over the whole render: before the first byte, mid-stream, near the end.
            b.get_and_leave(page, std::time::Duration::from_millis(1 + (round * 7) % 60))
        });
        futures_util::future::join_all(leaving).await;
    }
    for page in &cases {
        let b = if page.starts_with("/field") { staff } else { commander };
        let body = b.get(page).await.text().await.expect("a whole page after the readers who left");
        assert!(body.contains("</html>"), "{page}: …{}", tail(&body));
    }
}

fn tail(s: &str) -> &str {
    let mut at = s.len().saturating_sub(200);
    while !s.is_char_boundary(at) {
        at += 1;
    }
    &s[at..]
}

/// Bodies no server function can read, each with its content type (None: no header).
fn malformed() -> Vec<(&'static str, Option<&'static str>, Vec<u8>)> {
    vec![
        ("multipart without a boundary", Some("multipart/form-data"), b"x".to_vec()),
        ("multipart with an empty boundary", Some("multipart/form-data; boundary="), b"x".to_vec()),
        ("multipart cut off", Some("multipart/form-data; boundary=zz"), b"--zz\r\nContent-Disposition: form-data; name=\"id\"\r\n\r\n1".to_vec()),
        ("no content type", None, b"id=1".to_vec()),
        ("JSON", Some("application/json"), b"{\"id\":".to_vec()),
        ("plain text", Some("text/plain"), b"hello".to_vec()),
        ("a form that is not UTF-8", Some("application/x-www-form-urlencoded"), vec![b'i', b'd', b'=', 0xFF, 0xFE, 0x80]),
        ("a form with broken escapes", Some("application/x-www-form-urlencoded"), b"id=%ZZ%E4%B8&command=%".to_vec()),
        ("a form longer than any of ours", Some("application/x-www-form-urlencoded"), [b"note=".as_slice(), &[b'a'; 100 * 1024]].concat()),
    ]
}

async fn malformed_calls_to_every_server_function_are_refused(app: TestApp) {
    app.user("malformed.admin", Role::Admin, None).await;
    let admin = app.browser();
    admin.sign_in("malformed.admin", PASSWORD).await;
    let resident = app.browser();
    let mut functions: Vec<_> = leptos::server_fn::axum::server_fn_paths().filter(|(_, m)| m == reqwest::Method::POST).map(|(p, _)| p).collect();
    functions.sort();
    assert!(functions.len() > 30, "the app's server functions: {functions:?}");
    for b in [&resident, &admin] {
        for path in &functions {
            // Signing out would end the admin's session for the calls after it.
            if path.ends_with("/signout") {
                continue;
            }
            for (what, content_type, body) in malformed() {
                // A refusal may come before the body is read, and then the server closes the
                // connection: none is reused for the next request.
                let mut req = b.post(path).header(reqwest::header::CONNECTION, "close").body(body);
                if let Some(t) = content_type {
                    req = req.header(CONTENT_TYPE, t);
                }
                let r = req.send().await.unwrap_or_else(|e| panic!("{path} with {what}: no answer: {e}"));
                let status = r.status();
                let text = r.text().await.unwrap_or_default();
                assert!(status.is_client_error(), "{path} with {what}: expected a 4xx, got {status}: {text}");
                assert!(!text.is_empty(), "{path} with {what}: {status} says why");
            }
        }
    }
}
