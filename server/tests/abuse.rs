//! The public report form has the suggestion form's abuse controls (a rate limit per address
//! and per phone, a honeypot) and a daily storage budget per address; tracking (of cases and
//! of suggestions) and rating are rate-limited; and limits key on the client's address as the trusted proxy gives it.
#[macro_use]
mod common;

use app::domain::case::CaseError;
use app::error::AppError;
use app::service::limiter::{Limits, Rate};
use common::{TestApp, decode_err};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use std::time::Duration;

const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01, 0x01, 0x00];

fn tight(c: &mut server::config::Config) {
    c.suggest_limits = Limits {
        per_address: Some(Rate { burst: 3, per: Duration::from_secs(600) }),
        per_phone: Some(Rate { burst: 2, per: Duration::from_secs(3600) }),
        lookups: Some(Rate { burst: 5, per: Duration::from_secs(60) }),
        storage_per_day: Some(64 * 1024),
        api_per_token: None,
    };
    c.trusted_proxies = server::client::TrustedProxies::parse("127.0.0.1").unwrap();
}

on_both_backends!(configured crate::tight => reports_are_limited_per_address_phone_and_storage);
on_both_backends!(configured crate::tight => tracking_is_limited_and_the_honeypot_catches_programs);

fn report(phone: &str) -> Form {
    Form::new().text("category", "noise").text("description", "西山下村厂房夜间施工噪音").text("reporter_phone", phone.to_string()).text("consent", "yes")
}

/// A report as sent through the center's proxy for the resident at `client`.
async fn send(app: &TestApp, client: &str, form: Form) -> reqwest::Response {
    app.browser().post("/api/public/report").header("x-forwarded-for", client).multipart(form).send().await.unwrap()
}

async fn reports_are_limited_per_address_phone_and_storage(app: TestApp) {
    let cases = || app.count("SELECT COUNT(*) FROM cases");
    // Someone at one address types a neighbour's number twice: their own quota for it is spent…
    for _ in 0..2 {
        assert_eq!(send(&app, "203.0.113.1", report("13812345678")).await.status(), StatusCode::OK);
    }
    let (status, err) = decode_err("report", send(&app, "203.0.113.1", report("13812345678")).await).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(matches!(err, AppError::TooManyRequests(s) if s >= 1));
    // …but the number's owner, elsewhere, still reports.
    assert_eq!(send(&app, "198.51.100.7", report("13812345678")).await.status(), StatusCode::OK);
    assert_eq!(cases().await, 3);
    // The address itself has made its three attempts: refused whatever the number.
    assert_eq!(send(&app, "203.0.113.1", report("")).await.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(cases().await, 3, "a refused report stores nothing");

    // Photos: 64 KiB a day from one address.
    let photo = |kb: usize| {
        let mut bytes = JPEG.to_vec();
        bytes.resize(kb * 1024, 0);
        report("").part("files", Part::bytes(bytes).file_name("现场.jpg"))
    };
    assert_eq!(send(&app, "192.0.2.9", photo(40)).await.status(), StatusCode::OK);
    let files = std::fs::read_dir(app.files_dir()).map(|d| d.count()).unwrap_or(0);
    let (status, _) = decode_err("report", send(&app, "192.0.2.9", photo(40)).await).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "over the day's storage");
    assert_eq!(std::fs::read_dir(app.files_dir()).map(|d| d.count()).unwrap_or(0), files, "nothing stored for it");
    assert_eq!(send(&app, "192.0.2.10", photo(40)).await.status(), StatusCode::OK, "another address has its own budget");
}

async fn tracking_is_limited_and_the_honeypot_catches_programs(app: TestApp) {
    let before = app.count("SELECT COUNT(*) FROM cases").await;
    let (status, err) = decode_err("report", send(&app, "203.0.113.5", report("").text("website", "http://spam.example")).await).await;
    assert_eq!((status, err), (StatusCode::UNPROCESSABLE_ENTITY, AppError::Case(CaseError::LooksAutomated)));
    assert_eq!(app.count("SELECT COUNT(*) FROM cases").await, before);

    // Guessing codes: five look-ups a minute from one address, then 429.
    let guess = |client: &'static str| {
        let b = app.browser();
        async move { b.post("/api/public/track").header("x-forwarded-for", client).form(&[("code", "ABC123"), ("secret", "WRONG")]).send().await.unwrap().status() }
    };
    for _ in 0..5 {
        assert_eq!(guess("203.0.113.5").await, StatusCode::NOT_FOUND);
    }
    assert_eq!(guess("203.0.113.5").await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(guess("198.51.100.8").await, StatusCode::NOT_FOUND, "another resident behind the same proxy is not held up");

    // Ratings: three per address.
    let rate = |b: common::Browser| async move {
        b.post("/api/public/rate")
            .header("x-forwarded-for", "203.0.113.6")
            .form(&[("code", "ABC123"), ("secret", "WRONG"), ("satisfied", "true"), ("comment", "")])
            .send()
            .await
            .unwrap()
            .status()
    };
    for _ in 0..3 {
        assert_eq!(rate(app.browser()).await, StatusCode::NOT_FOUND);
    }
    assert_eq!(rate(app.browser()).await, StatusCode::TOO_MANY_REQUESTS);

    // A suggestion's code and secret are guessed the same way: the same look-up limit, by the
    // server function and by the form posted without JavaScript.
    let guess_suggestion = |client: &'static str| {
        let b = app.browser();
        async move {
            b.post("/api/public/suggest/track").header("x-forwarded-for", client).form(&[("code", "J260101ABCDEF"), ("secret", "WRONG")]).send().await.unwrap()
        }
    };
    for _ in 0..5 {
        assert_eq!(guess_suggestion("203.0.113.7").await.status(), StatusCode::NOT_FOUND);
    }
    let (status, err) = decode_err("suggestion tracking", guess_suggestion("203.0.113.7").await).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(matches!(err, AppError::TooManyRequests(s) if s >= 1));
    let page = app
        .browser()
        .post("/suggest/track")
        .header("x-forwarded-for", "203.0.113.7")
        .form(&[("code", "J260101ABCDEF"), ("secret", "WRONG")])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::TOO_MANY_REQUESTS, "the form without JavaScript too");
    assert_eq!(guess_suggestion("198.51.100.9").await.status(), StatusCode::NOT_FOUND, "another resident behind the same proxy is not held up");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_forwarded_address_from_anyone_but_the_proxy_is_ignored() {
    // No trusted proxy: a header the client wrote itself changes nothing.
    let app = TestApp::sqlite_with(|c| {
        c.suggest_limits = Limits { per_address: Some(Rate { burst: 1, per: Duration::from_secs(600) }), ..Limits::OFF };
    })
    .await;
    assert_eq!(send(&app, "203.0.113.1", report("")).await.status(), StatusCode::OK);
    assert_eq!(send(&app, "203.0.113.2", report("")).await.status(), StatusCode::TOO_MANY_REQUESTS);
}
