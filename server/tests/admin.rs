//! Administration through the server functions the admin pages call.
#[macro_use]
mod common;

use app::domain::org::{AreaLevel, OrgError, Role, Staff, Unit, UnitKind};
use app::error::AppError;
use common::{Browser, PASSWORD, TestApp};
use reqwest::StatusCode;

on_both_backends!(admin_creates_unit_and_user_and_the_new_user_signs_in, bad_input_changes_nothing);

async fn signed_in_admin(app: &TestApp) -> Browser {
    app.user("boss", Role::Admin, None).await;
    let admin = app.browser();
    admin.sign_in("boss", PASSWORD).await;
    admin
}

async fn admin_creates_unit_and_user_and_the_new_user_signs_in(app: TestApp) {
    let admin = signed_in_admin(&app).await;
    let unit = [("name", "区应急管理局"), ("kind", "resident_department"), ("area_id", ""), ("phone", "0570-3012345")];
    let unit_id: i64 = admin.ok("admin/units/save", &unit).await;
    let units: Vec<Unit> = admin.ok("admin/units/list", &[]).await;
    assert!(units.iter().any(|u| u.id == unit_id && u.name == "区应急管理局" && u.active), "{units:?}");

    let unit_field = unit_id.to_string();
    let user = [
        ("username", "YJ.Chen"),
        ("display_name", "陈静"),
        ("role", "unit_staff"),
        ("unit_id", unit_field.as_str()),
        ("phone", "13800001111"),
        ("password", "first-password-1"),
    ];
    let user_id: i64 = admin.ok("admin/users/save", &user).await;
    let staff: Vec<Staff> = admin.ok("admin/users/list", &[]).await;
    let chen = staff.iter().find(|s| s.id == user_id).expect("the new account is listed");
    assert_eq!(chen.username, "yj.chen", "usernames are stored in lower case");
    assert_eq!((chen.role, chen.unit_name.as_deref(), chen.active), (Role::UnitStaff, Some("区应急管理局"), true));

    let newcomer = app.browser();
    // The admin chose the first password: its owner replaces it before anything else.
    assert_eq!(newcomer.sign_in("yj.chen", "first-password-1").await, "/account/password?next=/field");
    let chosen = [("current", "first-password-1"), ("new_password", "chens-own-password"), ("repeated", "chens-own-password"), ("next", "/field")];
    let r = newcomer.call("account/password", &chosen).await;
    assert!(r.status().is_success() || r.status().is_redirection(), "{}", r.status());
    assert_eq!(newcomer.get("/field").await.status(), StatusCode::OK);
    let card: app::ui::field::FieldCard = newcomer.ok("field/profile", &[]).await;
    assert_eq!((card.display_name.as_str(), card.unit_name.as_deref()), ("陈静", Some("区应急管理局")));

    let by_admin = "SELECT COUNT(*) FROM audit_events e JOIN users u ON u.id = e.actor_id WHERE u.username = 'boss'";
    assert_eq!(app.count(&format!("{by_admin} AND e.kind IN ('unit_saved', 'user_saved')")).await, 2);
}

async fn bad_input_changes_nothing(app: TestApp) {
    let admin = signed_in_admin(&app).await;
    let (units, users, events) =
        (app.count("SELECT COUNT(*) FROM units").await, app.count("SELECT COUNT(*) FROM users").await, app.count("SELECT COUNT(*) FROM audit_events").await);

    let blank = [("name", "   "), ("kind", "resident_department"), ("area_id", ""), ("phone", "")];
    let (status, err) = admin.refused("admin/units/save", &blank).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err, AppError::Invalid(OrgError::NameRequired));

    let no_area = [("name", "莲花镇人民政府"), ("kind", "township_government"), ("area_id", ""), ("phone", "")];
    let (_, err) = admin.refused("admin/units/save", &no_area).await;
    assert_eq!(err, AppError::Invalid(OrgError::BadUnitArea { kind: UnitKind::TownshipGovernment, expected: AreaLevel::Township }));

    let weak = [("username", "new.one"), ("display_name", "新人"), ("role", "operator"), ("unit_id", ""), ("phone", ""), ("password", "short")];
    let (_, err) = admin.refused("admin/users/save", &weak).await;
    assert_eq!(err, AppError::Invalid(OrgError::WeakPassword));

    assert_eq!(app.count("SELECT COUNT(*) FROM units").await, units, "no unit added");
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, users, "no user added");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events").await, events, "nothing recorded as done");
}
