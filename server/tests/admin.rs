//! Administration through the server functions the admin pages call.
#[macro_use]
mod common;

use app::domain::org::{AreaLevel, OrgError, Role, Staff, Unit, UnitKind};
use app::error::AppError;
use common::{Browser, PASSWORD, TestApp};
use reqwest::StatusCode;

on_both_backends!(
    admin_creates_unit_and_user_and_the_new_user_signs_in,
    bad_input_changes_nothing,
    a_categorys_time_terms_apply_to_new_cases_only,
    a_categorys_department_is_the_routing_suggestion,
);

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

async fn a_categorys_department_is_the_routing_suggestion(app: TestApp) {
    use app::domain::case::Category;
    let admin = signed_in_admin(&app).await;
    let unit = |name: &'static str, active: bool| {
        let db = app.db.clone();
        async move {
            let id = app::service::org::save_unit(
                &db,
                &app::service::AuditActor::default(),
                None,
                &app::service::org::UnitInput { name, kind: UnitKind::ResidentDepartment, area_id: None, phone: "" },
            )
            .await
            .expect("unit");
            if !active {
                app::service::org::set_unit_active(&db, &app::service::AuditActor::default(), id, false).await.expect("retired");
            }
            id
        }
    };
    let environment = unit("生态环境分局", true).await;
    let retired = unit("原环保局", false).await;
    let operator_id = app.user("op.li", Role::Operator, None).await;
    let by = app::domain::case::Actor::staff(operator_id, Role::Operator, None);
    let file = || {
        let (db, fx, by) = (app.db.clone(), app.effects().clone(), by.clone());
        async move {
            let input = app::service::cases::IntakeInput {
                category: "enforcement-pollution".into(),
                channel: app::domain::case::Channel::Hotline12345,
                urgency: app::domain::case::Urgency::Normal,
                text: app::domain::case::IntakeText {
                    title: "河道排污".into(), description: "工厂夜间向河道排放污水".into(), ..Default::default()
                },
                area_id: None,
                location: None,
            };
            app::service::cases::register(&db, &fx, &by, input, vec![]).await.expect("registered").id
        }
    };
    // No department set: nothing to suggest for a case without a place.
    let case = file().await;
    let hint = app::service::command::routing_hint(&app.db, &by, case).await.expect("hint");
    assert_eq!((hint.lead, hint.cooperating.len()), (None, 0));

    // The administrator sets the category's department: the launch suggests it.
    let dept = environment.to_string();
    let save = [
        ("code", "enforcement-pollution"),
        ("allowed_hours", "168"),
        ("ack_minutes", "5"),
        ("again_minutes", "10"),
        ("list_after_hours", "72"),
        ("active", "yes"),
        ("department", dept.as_str()),
    ];
    let () = admin.ok("admin/categories/save", &save).await;
    let list: Vec<Category> = admin.ok("admin/categories/list", &[]).await;
    assert_eq!(list.iter().find(|c| c.code == "enforcement-pollution").and_then(|c| c.department_id), Some(environment));
    let hint = app::service::command::routing_hint(&app.db, &by, case).await.expect("hint");
    assert_eq!(hint.lead, Some(environment));
    let units: Vec<app::domain::org::UnitChoice> = admin.ok("admin/categories/units", &[]).await;
    assert!(units.iter().any(|u| u.id == environment) && !units.iter().any(|u| u.id == retired), "active units only");

    // A retired or unknown unit, or no number: refused, nothing changes.
    let retired_s = retired.to_string();
    for bad in [retired_s.as_str(), "999999", "环保局"] {
        let form: Vec<(&str, &str)> = save.iter().map(|(k, v)| if *k == "department" { (*k, bad) } else { (*k, *v) }).collect();
        let (status, _) = admin.refused("admin/categories/save", &form).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "department {bad}");
    }
    let again: Vec<Category> = admin.ok("admin/categories/list", &[]).await;
    assert_eq!(again.iter().find(|c| c.code == "enforcement-pollution").and_then(|c| c.department_id), Some(environment));
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events WHERE kind = 'category_saved'").await, 1);

    // Cleared, the suggestion goes with it.
    let cleared: Vec<(&str, &str)> = save.iter().map(|(k, v)| if *k == "department" { (*k, "") } else { (*k, *v) }).collect();
    let () = admin.ok("admin/categories/save", &cleared).await;
    assert_eq!(app::service::command::routing_hint(&app.db, &by, case).await.expect("hint").lead, None);
}
