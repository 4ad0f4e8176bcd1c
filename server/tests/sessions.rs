//! A staff session slides with activity and ends after the idle time without any; an open
//! live stream stops within seconds once its holder may no longer receive.
#[macro_use]
mod common;

use app::domain::org::Role;
use app::service::{AuditActor, org};
use common::{PASSWORD, TestApp, location};
use reqwest::StatusCode;
use std::time::Duration;

on_both_backends!(configured |c: &mut server::config::Config| c.session_idle = std::time::Duration::from_secs(2) => activity_keeps_a_session_and_idleness_ends_it);
on_both_backends!(a_stream_stops_when_its_holder_is_deactivated_moved_or_signed_out);

async fn activity_keeps_a_session_and_idleness_ends_it(app: TestApp) {
    app.user("desk.op", Role::Operator, None).await;
    let op = app.browser();
    op.sign_in("desk.op", PASSWORD).await;
    // Busy for three times the idle time: still signed in.
    for _ in 0..8 {
        tokio::time::sleep(Duration::from_millis(750)).await;
        assert_eq!(op.get("/center").await.status(), StatusCode::OK, "activity keeps the session");
    }
    // Then idle for longer than the idle time: signed out.
    tokio::time::sleep(Duration::from_millis(3200)).await;
    let r = op.get("/center").await;
    assert!(r.status().is_redirection(), "{}", r.status());
    assert_eq!(location(&r).as_deref(), Some("/signin?next=/center"));
}

async fn a_stream_stops_when_its_holder_is_deactivated_moved_or_signed_out(app: TestApp) {
    let unit = app.unit("区住建局").await;
    let other = app.unit("区应急管理局").await;
    let (a, b, c) = (
        app.user("a.staff", Role::UnitStaff, Some(unit)).await,
        app.user("b.staff", Role::UnitStaff, Some(unit)).await,
        app.user("c.staff", Role::UnitStaff, Some(unit)).await,
    );
    let _ = c;
    let (ba, bb, bc) = (app.browser(), app.browser(), app.browser());
    for (browser, name) in [(&ba, "a.staff"), (&bb, "b.staff"), (&bc, "c.staff")] {
        browser.sign_in(name, PASSWORD).await;
    }
    let (mut fa, mut fb, mut fc) = (ba.events(None).await, bb.events(None).await, bc.events(None).await);
    let admin = AuditActor::default();

    org::set_user_active(&app.db, &admin, a, false).await.unwrap();
    assert!(fa.ends_within(Duration::from_secs(5)).await, "a deactivated user stops receiving");

    let input = org::StaffInput { username: "b.staff", display_name: "b.staff 的名字", role: Role::UnitStaff, unit_id: Some(other), phone: "" };
    org::save_user(&app.db, &admin, Some(b), &input, None, org::FirstPassword::OwnersOwn).await.unwrap();
    assert!(fb.ends_within(Duration::from_secs(5)).await, "a user moved to another unit stops receiving the old unit's notices");

    assert!(!fc.ends_within(Duration::from_millis(4500)).await, "a user in good standing keeps the stream");
    let r = bc.call("auth/signout", &[]).await;
    assert!(r.status().is_success() || r.status().is_redirection(), "{}", r.status());
    assert!(fc.ends_within(Duration::from_secs(5)).await, "signing out ends the stream");
}
