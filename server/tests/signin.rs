//! Signing in, the slow-down after failures, and sessions that end when the account does.
#[macro_use]
mod common;

use app::domain::org::Role;
use app::domain::signin::SignInRefusal;
use app::error::AppError;
use common::{PASSWORD, TestApp, is_html, location};
use reqwest::StatusCode;
use reqwest::header::ACCEPT;

on_both_backends!(
    admin_signs_in_and_reaches_admin_pages,
    sign_in_without_javascript_redirects_to_the_requested_page,
    wrong_passwords_slow_the_name_down_with_429_and_retry_after,
    deactivated_user_is_signed_out_everywhere,
);

on_both_backends!(configured |c: &mut server::config::Config| c.session_absolute = std::time::Duration::from_secs(2) => session_ends_after_its_absolute_lifetime_even_when_busy);

async fn session_ends_after_its_absolute_lifetime_even_when_busy(app: TestApp) {
    app.user("busy", Role::Operator, None).await;
    let browser = app.browser();
    assert_eq!(browser.sign_in("busy", PASSWORD).await, "/center");
    // Keep the session active: idle timeout never fires, only the absolute one can.
    for _ in 0..3 {
        assert_eq!(browser.get("/center").await.status(), StatusCode::OK);
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let r = browser.get("/center").await;
    assert!(r.status().is_redirection(), "session should have ended: {}", r.status());
    assert_eq!(location(&r).as_deref(), Some("/signin?next=/center"));
}

async fn admin_signs_in_and_reaches_admin_pages(app: TestApp) {
    app.user("boss", Role::Admin, None).await;
    let browser = app.browser();

    let r = browser.get("/center/admin/users").await;
    assert!(r.status().is_redirection(), "signed out: {}", r.status());
    assert_eq!(location(&r).as_deref(), Some("/signin?next=/center/admin/users"));

    assert_eq!(browser.sign_in("boss", PASSWORD).await, "/center");
    let r = browser.get("/center/admin/users").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(is_html(&r));
    let page = r.text().await.unwrap();
    assert!(page.contains("boss 的名字"), "the users page names the admin");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE kind = 'signed_in'").await, 1);
}

async fn sign_in_without_javascript_redirects_to_the_requested_page(app: TestApp) {
    app.user("boss", Role::Admin, None).await;
    let browser = app.browser();
    let fields = [("username", "boss"), ("password", PASSWORD), ("next", "/center/admin/users")];
    let r = browser.post("/api/auth/signin").header(ACCEPT, "text/html").form(&fields).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FOUND);
    assert_eq!(location(&r).as_deref(), Some("/center/admin/users"));
    assert_eq!(browser.get("/center/admin/users").await.status(), StatusCode::OK);
}

async fn wrong_passwords_slow_the_name_down_with_429_and_retry_after(app: TestApp) {
    app.user("op.li", Role::Operator, None).await;
    let browser = app.browser();
    let wrong = [("username", "op.li"), ("password", "not-the-password")];
    for attempt in 1..=3 {
        let (status, err) = browser.refused("auth/signin", &wrong).await;
        // A refusal is the caller's problem, not an outage: 401, never 5xx.
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(err, AppError::SignIn(SignInRefusal::BadCredentials), "attempt {attempt}");
    }
    // The fourth comes too soon: refused unchecked, even with the right password, with the wait.
    let r = browser.call("auth/signin", &[("username", "op.li"), ("password", PASSWORD)]).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.headers().get("retry-after").and_then(|v| v.to_str().ok()), Some("1"));
    assert_eq!(r.json::<AppError>().await.unwrap(), AppError::SignIn(SignInRefusal::Throttled(1)));
    assert!(browser.get("/center").await.status().is_redirection(), "still signed out");

    // Once the wait has passed the owner is in: a delay, not a lock.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(browser.sign_in("op.li", PASSWORD).await, "/center");

    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE kind = 'sign_in_failed'").await, 3);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE kind = 'signed_in'").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM sign_in_throttle WHERE key = 'name:op.li'").await, 0, "success clears the name");
}

async fn deactivated_user_is_signed_out_everywhere(app: TestApp) {
    app.user("boss", Role::Admin, None).await;
    let unit = app.unit("区应急管理局").await;
    let worker_id = app.user("yj.chen", Role::UnitStaff, Some(unit)).await;
    let (desk, phone) = (app.browser(), app.browser());
    for device in [&desk, &phone] {
        assert_eq!(device.sign_in("yj.chen", PASSWORD).await, "/field");
        assert_eq!(device.get("/field").await.status(), StatusCode::OK);
    }

    let admin = app.browser();
    admin.sign_in("boss", PASSWORD).await;
    let id = worker_id.to_string();
    admin.ok::<()>("admin/users/active", &[("id", &id), ("active", "false")]).await;

    for device in [&desk, &phone] {
        let r = device.get("/field").await;
        assert!(r.status().is_redirection(), "{}", r.status());
        assert_eq!(location(&r).as_deref(), Some("/signin?next=/field"));
        let (status, err) = device.refused("field/profile", &[]).await;
        assert_eq!((status, err), (StatusCode::UNAUTHORIZED, AppError::Unauthorized));
    }
    let (_, err) = desk.refused("auth/signin", &[("username", "yj.chen"), ("password", PASSWORD)]).await;
    assert_eq!(err, AppError::SignIn(SignInRefusal::BadCredentials), "a deactivated account cannot sign in again");
}
