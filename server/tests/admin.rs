//! Administration through the server functions the admin pages call.
#[macro_use]
mod common;

use app::domain::org::{AreaLevel, OrgError, Role, Staff, Unit, UnitKind};
use app::error::AppError;
use common::{Browser, PASSWORD, TestApp};
use reqwest::StatusCode;

on_both_backends!(admin_creates_unit_and_user_and_the_new_user_signs_in, bad_input_changes_nothing, a_categorys_time_terms_apply_to_new_cases_only);

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

async fn a_categorys_time_terms_apply_to_new_cases_only(app: TestApp) {
    use app::domain::case::{CaseError, Category};
    let admin = signed_in_admin(&app).await;
    let operator_id = app.user("op.li", Role::Operator, None).await;
    let by = app::domain::case::Actor::staff(operator_id, Role::Operator, None);
    let register = |title: &'static str| {
        let (db, fx) = (app.db.clone(), app.effects().clone());
        let by = by.clone();
        async move {
            let input = app::service::cases::IntakeInput {
                category: "noise".into(),
                channel: app::domain::case::Channel::Hotline12345,
                urgency: app::domain::case::Urgency::Normal,
                text: app::domain::case::IntakeText { title: title.into(), description: "夜间施工".into(), ..Default::default() },
                area_id: None,
                location: None,
            };
            app::service::cases::register(&db, &fx, &by, input, vec![]).await.expect("registered").id
        }
    };
    let before = register("改前登记").await;
    let save = [("code", "noise"), ("allowed_hours", "48"), ("ack_minutes", "3"), ("again_minutes", "8"), ("list_after_hours", "12.5"), ("active", "yes")];
    let () = admin.ok("admin/categories/save", &save).await;
    let list: Vec<Category> = admin.ok("admin/categories/list", &[]).await;
    let noise = list.iter().find(|c| c.code == "noise").expect("listed");
    assert_eq!((noise.allowed_ms, noise.ack_ms, noise.escalate_again_ms, noise.list_after_ms), (48 * 3_600_000, 180_000, 480_000, 45_000_000));
    let after = register("改后登记").await;
    let terms = |id: i64| {
        let db = app.db.clone();
        async move { app::store::cases::load(&mut db.read().await.unwrap(), id).await.unwrap().unwrap().case.terms }
    };
    let (old, new) = (terms(before).await, terms(after).await);
    assert_eq!((new.allowed_ms, new.ack_ms, new.escalate_again_ms, new.list_after_ms), (48 * 3_600_000, 180_000, 480_000, 45_000_000));
    assert_ne!(old.allowed_ms, new.allowed_ms, "a registered case keeps the terms it was given");

    // A second escalation before the first, or a time that is not a number: refused, nothing changes.
    for (k, v) in [("again_minutes", "2"), ("allowed_hours", "两天"), ("ack_minutes", "-1")] {
        let bad: Vec<(&str, &str)> = save.iter().map(|(n, x)| if *n == k { (*n, v) } else { (*n, *x) }).collect();
        let (status, err) = admin.refused("admin/categories/save", &bad).await;
        assert_eq!((status, err), (StatusCode::UNPROCESSABLE_ENTITY, AppError::Case(CaseError::BadTimeLimit)), "{k}={v}");
    }
    let again: Vec<Category> = admin.ok("admin/categories/list", &[]).await;
    assert_eq!(again.iter().find(|c| c.code == "noise"), Some(noise));
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE kind = 'category_saved'").await, 1);
    let op = app.browser();
    op.sign_in("op.li", PASSWORD).await;
    assert_eq!(op.refused("admin/categories/save", &save).await.0, StatusCode::FORBIDDEN);
}
