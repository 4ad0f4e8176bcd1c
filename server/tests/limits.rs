//! What one request may cost: declared body caps answered 413 with a clear refusal (before
//! the body is read when its length is announced, at the cap when it is not), a cap on the
//! parts of a form, on the requests one address may have in flight on the public routes, on
//! look-ups as a resident types, and on the live streams one user may hold open.
#[macro_use]
mod common;

use app::domain::campaign::{Campaign, CampaignError, DEFAULT_CATEGORIES, Field, MAX_NAME_CHARS};
use app::domain::org::Role;
use app::error::{AppError, RequestProblem};
use app::service::{AuditActor, campaigns as svc, now_ms};
use common::{PASSWORD, TestApp, decode_err};
use reqwest::StatusCode;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

on_both_backends!(
    bodies_are_capped_per_route,
    a_form_has_a_bounded_number_of_parts,
    look_ups_as_one_types_are_bounded,
    a_user_holds_a_bounded_number_of_live_streams,
    a_wrong_method_is_refused_with_a_reason,
    the_report_form_without_javascript_measures_each_photo_as_it_arrives
);

/// Sends the head of a POST announcing `length` bytes and `sent` bytes of it; returns the
/// open connection.
async fn start_post(base: &str, path: &str, content_type: &str, length: usize, sent: &[u8]) -> TcpStream {
    let addr = base.trim_start_matches("http://");
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let head = format!("POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\n\r\n");
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(sent).await.unwrap();
    s
}

/// The status line and body of the answer on `s`.
async fn answer(mut s: TcpStream) -> (u16, String) {
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), async {
        let mut chunk = [0u8; 4096];
        while let Ok(n) = s.read(&mut chunk).await {
            if n == 0 {
                break;
            }
            buf.extend_from_slice(&chunk[..n]);
            if String::from_utf8_lossy(&buf).contains("\r\n\r\n") && buf.len() > 200 {
                break;
            }
        }
    })
    .await;
    let text = String::from_utf8_lossy(&buf).to_string();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, text)
}

async fn bodies_are_capped_per_route(app: TestApp) {
    // A sign-in is a few KiB at most: 8 KiB is refused as too large, not checked.
    let resident = app.browser();
    let long = "a".repeat(8 * 1024);
    let (status, err) = resident.refused("auth/signin", &[("username", "admin"), ("password", &long)]).await;
    assert_eq!((status, err), (StatusCode::PAYLOAD_TOO_LARGE, AppError::Malformed(RequestProblem::TooLarge)));
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events").await, 0, "nothing was checked or recorded");

    // A report announcing more than six photos' worth is refused before a byte of it is read.
    let started = std::time::Instant::now();
    let s = start_post(&app.base, "/api/public/report", "multipart/form-data; boundary=x", 200 * 1024 * 1024, b"").await;
    let (status, text) = answer(s).await;
    assert_eq!(status, 413, "{text}");
    assert!(text.contains("TooLarge"), "{text}");
    assert!(started.elapsed() < Duration::from_secs(5));
    // The same without JavaScript gets a page saying so.
    let s = start_post(&app.base, "/report", "multipart/form-data; boundary=x", 200 * 1024 * 1024, b"").await;
    let (status, text) = answer(s).await;
    assert_eq!(status, 413);
    assert!(text.contains("提交的内容过大"), "{text}");

    // A text form sent without a length (chunked) is cut at its cap.
    let addr = app.base.trim_start_matches("http://").to_string();
    let mut s = TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST /api/public/suggest/submit HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    s.write_all(head.as_bytes()).await.unwrap();
    for _ in 0..100 {
        // The server may stop reading at its cap and answer: later writes may fail.
        if s.write_all(format!("400\r\n{}\r\n", "a".repeat(1024)).as_bytes()).await.is_err() {
            break;
        }
    }
    let _ = s.write_all(b"0\r\n\r\n").await;
    let (status, text) = answer(s).await;
    assert_eq!(status, 413, "{text}");
    assert!(text.contains("TooLarge"), "{text}");
    assert_eq!(app.count("SELECT COUNT(*) FROM suggestions").await, 0);
}

async fn a_form_has_a_bounded_number_of_parts(app: TestApp) {
    let before = app.count("SELECT COUNT(*) FROM cases").await;
    let mut form = reqwest::multipart::Form::new().text("category", "noise").text("description", "夜间施工噪音").text("consent", "true");
    for i in 0..100 {
        form = form.text(format!("extra{i}"), "x");
    }
    let r = app.browser().post("/api/public/report").multipart(form).send().await.unwrap();
    assert_eq!(decode_err("report", r).await, (StatusCode::PAYLOAD_TOO_LARGE, AppError::Malformed(RequestProblem::TooLarge)));
    assert_eq!(app.count("SELECT COUNT(*) FROM cases").await, before);
}

async fn look_ups_as_one_types_are_bounded(app: TestApp) {
    let now = now_ms();
    let day = |ms: i64| {
        let (y, m, d) = app::domain::clock::local_date(ms);
        format!("{y:04}-{m:02}-{d:02}")
    };
    let c = Campaign::checked(
        0,
        2027,
        "2027年度民生实事征集",
        "一事一提",
        &day(now - 86_400_000),
        &day(now + 20 * 86_400_000),
        DEFAULT_CATEGORIES.iter().map(|c| c.to_string()).collect(),
    )
    .unwrap();
    let id = svc::create_campaign(&app.db, &AuditActor::default(), c).await.unwrap().to_string();
    let b = app.browser();
    let long = "停".repeat(MAX_NAME_CHARS + 1);
    let (status, err) = b.refused("public/suggest/similar", &[("campaign", &id), ("name", &long)]).await;
    assert_eq!((status, err), (StatusCode::UNPROCESSABLE_ENTITY, AppError::Campaign(CampaignError::TooLong { field: Field::Name, max: MAX_NAME_CHARS })));
    // The default: 60 a minute per address (one was used above).
    for _ in 0..59 {
        let _: Vec<app::domain::campaign::SuggestionRow> = b.ok("public/suggest/similar", &[("campaign", &id), ("name", "新增停车位")]).await;
    }
    let (status, err) = b.refused("public/suggest/similar", &[("campaign", &id), ("name", "新增停车位")]).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(matches!(err, AppError::TooManyRequests(s) if s >= 1));
    // Submissions have their own bucket: typing did not use it up.
    assert_ne!(b.refused("public/suggest/submit", &[("campaign", &id)]).await.0, StatusCode::TOO_MANY_REQUESTS);
}

async fn a_user_holds_a_bounded_number_of_live_streams(app: TestApp) {
    app.user("desk.op", Role::Operator, None).await;
    let op = app.browser();
    op.sign_in("desk.op", PASSWORD).await;
    let mut open = Vec::new();
    for _ in 0..8 {
        open.push(op.events(None).await);
    }
    let r = op.get("/events").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().contains_key("retry-after"));
    // Closing one gives its place back.
    drop(open.pop());
    let mut again = None;
    for _ in 0..50 {
        let r = op.get("/events").await;
        if r.status() == StatusCode::OK {
            again = Some(r);
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(again.is_some(), "a closed stream's place is given back");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_address_has_a_bounded_number_of_public_requests_in_flight() {
    let app = TestApp::sqlite().await;
    // Sixteen slow uploads from one address hold their places while their bodies trickle in.
    let mut slow = Vec::new();
    for _ in 0..server::limits::PUBLIC_IN_FLIGHT {
        slow.push(start_post(&app.base, "/report", "multipart/form-data; boundary=x", 1000, b"--x").await);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let r = app.browser().get("/").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.headers().get("retry-after").and_then(|v| v.to_str().ok()), Some("1"));
    assert!(r.text().await.unwrap().contains("请求过于频繁"));
    // Staff pages are not public: not counted against the address.
    drop(slow);
    let mut ok = false;
    for _ in 0..50 {
        if app.browser().get("/").await.status() == StatusCode::OK {
            ok = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(ok, "the places come back when the uploads go away");
}

/// The router answers a method an address does not take with an empty 405: callers get
/// the reason in their own form, and `Allow` still names what the address takes.
async fn a_wrong_method_is_refused_with_a_reason(app: TestApp) {
    let b = app.browser();
    let r = b.post("/signin").header("accept", "text/html").form(&[("username", "x")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(r.headers().get("allow").is_some_and(|a| a.to_str().unwrap().contains("GET")), "{:?}", r.headers());
    let page = r.text().await.unwrap();
    assert!(page.contains("请求方式不正确") && page.contains("href=\"/\""), "a page with the reason and a way home: {page}");
    let r = b.get("/api/public/report").await;
    assert_eq!(decode_err("GET of a server function", r).await, (StatusCode::METHOD_NOT_ALLOWED, AppError::Malformed(RequestProblem::WrongMethod)));
    let r = reqwest::Client::new().delete(format!("{}/api/v1/cases", app.base)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(!r.text().await.unwrap().is_empty());
}

/// The report form posted without JavaScript reads its parts as they arrive: a photo over
/// the per-photo cap is refused at the cap (not after buffering the whole body) with the
/// reason on a page, a broken body too, and nothing is stored.
async fn the_report_form_without_javascript_measures_each_photo_as_it_arrives(app: TestApp) {
    use reqwest::multipart::{Form, Part};
    let b = app.browser();
    let before = app.count("SELECT COUNT(*) FROM cases").await;
    let photo = vec![0xFFu8; app::domain::case::MAX_ATTACHMENT_BYTES + 1];
    let form =
        Form::new().text("category", "noise").text("description", "夜间施工噪音").text("consent", "yes").part("files", Part::bytes(photo).file_name("大.jpg"));
    let r = b.post("/report").header("accept", "text/html").multipart(form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let page = r.text().await.unwrap();
    assert!(page.contains("提交的内容过大") && page.contains("10 MB"), "{page}");
    let r = b
        .post("/report")
        .header("content-type", "multipart/form-data; boundary=XyZ")
        .body("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("请求格式不正确"), "a broken body is named");
    let r = b.post("/report").header("content-type", "text/plain").body("hello").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(!r.text().await.unwrap().is_empty());
    assert_eq!(app.count("SELECT COUNT(*) FROM cases").await, before);
}
