//! Passwords someone else chose (the demo seed's, an admin's, a reset) are replaced by their
//! owner before anything else; everyone may change their own at any time.
#[macro_use]
mod common;

use app::domain::org::{OrgError, Role};
use app::error::AppError;
use app::service::org::FirstPassword;
use common::{Browser, PASSWORD, TestApp, location};
use reqwest::StatusCode;

on_both_backends!(
    an_account_made_by_an_admin_changes_its_password_before_anything_else,
    a_seeded_demo_account_changes_its_one_time_password_first,
    anyone_signed_in_changes_their_password,
);

/// Opens a page and reads it whole (a reader leaving early, as the test ends, would cut its render off).
async fn page_ok(b: &Browser, path: &str) {
    let r = b.get(path).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    let _ = r.text().await;
}

async fn change(b: &Browser, current: &str, new: &str, repeated: &str, next: &str) -> reqwest::Response {
    b.call("account/password", &[("current", current), ("new_password", new), ("repeated", repeated), ("next", next)]).await
}

async fn an_account_made_by_an_admin_changes_its_password_before_anything_else(app: TestApp) {
    let unit = app.unit("区应急管理局").await;
    app.user_with("yj.chen", Role::UnitStaff, Some(unit), FirstPassword::SetByAdmin).await;
    let b = app.browser();
    assert_eq!(b.sign_in("yj.chen", PASSWORD).await, "/account/password?next=/field");

    // Every page leads to the change, every other server function is refused.
    for page in ["/field", "/field/report", "/"] {
        let r = b.get(page).await;
        assert!(r.status().is_redirection(), "{page}: {}", r.status());
        assert_eq!(location(&r), Some(format!("/account/password?next={page}")));
    }
    assert_eq!(b.refused("field/profile", &[]).await, (StatusCode::FORBIDDEN, AppError::MustChangePassword));
    let page = b.get("/account/password?next=/field").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("data-testid=\"must-change\""), "the page says why");

    // Refusals: wrong current password, repetition differs, too short, unchanged.
    let refusals = [
        ("wrong-password-1", "chens-own-password", "chens-own-password", OrgError::WrongCurrentPassword),
        (PASSWORD, "chens-own-password", "chens-own-passw0rd", OrgError::PasswordsDiffer),
        (PASSWORD, "short", "short", OrgError::WeakPassword),
        (PASSWORD, PASSWORD, PASSWORD, OrgError::SamePassword),
    ];
    for (current, new, repeated, why) in refusals {
        let r = change(&b, current, new, repeated, "/field").await;
        assert_eq!(common::decode_err("account/password", r).await, (StatusCode::UNPROCESSABLE_ENTITY, AppError::Invalid(why)));
    }

    let r = change(&b, PASSWORD, "chens-own-password", "chens-own-password", "/field").await;
    assert!(r.status().is_success() || r.status().is_redirection(), "{}", r.status());
    assert_eq!(location(&r).as_deref(), Some("/field"));
    // Still signed in, on the new password, and free to go anywhere.
    page_ok(&b, "/field").await;
    assert_eq!(app.count("SELECT must_change_password FROM users WHERE username = 'yj.chen'").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE kind = 'password_changed'").await, 1);
    let (status, _) = app.browser().refused("auth/signin", &[("username", "yj.chen"), ("password", PASSWORD)]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the old password is gone");
    assert_eq!(app.browser().sign_in("yj.chen", "chens-own-password").await, "/field");

    // An admin's reset hands out a new one-time password: changed first again.
    app.user("boss", Role::Admin, None).await;
    let admin = app.browser();
    admin.sign_in("boss", PASSWORD).await;
    let id = app.count("SELECT id FROM users WHERE username = 'yj.chen'").await.to_string();
    let one_time: String = admin.ok("admin/users/reset-password", &[("id", &id)]).await;
    assert_eq!(app.browser().sign_in("yj.chen", &one_time).await, "/account/password?next=/field");
}

async fn a_seeded_demo_account_changes_its_one_time_password_first(app: TestApp) {
    let seeded = app::service::seed::seed_demo(&app.db).await.expect("demo organisation");
    let admin = seeded.iter().find(|a| a.role == Role::Admin).expect("the demo has an admin");
    let b = app.browser();
    assert_eq!(b.sign_in(&admin.username, &admin.password).await, "/account/password?next=/center");
    assert!(b.get("/center/admin/users").await.status().is_redirection());
    let r = change(&b, &admin.password, "my-own-admin-password", "my-own-admin-password", "/center/admin/users").await;
    assert_eq!(location(&r).as_deref(), Some("/center/admin/users"));
    page_ok(&b, "/center/admin/users").await;
}

async fn anyone_signed_in_changes_their_password(app: TestApp) {
    app.user("op.li", Role::Operator, None).await;
    let (desk, phone) = (app.browser(), app.browser());
    assert_eq!(desk.sign_in("op.li", PASSWORD).await, "/center");
    assert_eq!(phone.sign_in("op.li", PASSWORD).await, "/center");
    let page = desk.get("/account/password").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(!page.text().await.unwrap().contains("data-testid=\"must-change\""), "nothing forced");

    let r = change(&desk, PASSWORD, "a-new-password-9", "a-new-password-9", "").await;
    assert_eq!(location(&r).as_deref(), Some("/center"));
    page_ok(&desk, "/center").await; // this session goes on
    let r = phone.get("/center").await;
    assert!(r.status().is_redirection(), "the other session, on the old password, ends: {}", r.status());
    assert_eq!(app.browser().sign_in("op.li", "a-new-password-9").await, "/center");
    // Signed out, there is nothing to change.
    assert!(app.browser().get("/account/password").await.status().is_redirection());
}
