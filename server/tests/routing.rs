//! Routing that learns (issue 17): the models trained on the demo's year of closed cases,
//! measured on the time split against the rule baseline, and asked through the forms' server
//! functions with their access rules.
#[macro_use]
mod common;

use app::domain::org::Role;
use app::domain::routing::Suggested;
use common::TestApp;
use reqwest::StatusCode;

on_both_backends!(the_models_learn_from_closed_cases_and_suggest_through_the_forms);

async fn the_models_learn_from_closed_cases_and_suggest_through_the_forms(app: TestApp) {
    app::service::seed::seed_demo(&app.db).await.expect("demo organisation");
    app::service::seed::cases::seed_demo_cases(&app.db).await.expect("demo cases");
    app.user("op.route", Role::Operator, None).await;
    let op = app.signed_in("op.route").await;
    let gengshan: i64 = sqlx::query_scalar("SELECT id FROM areas WHERE name = '耿山村'").fetch_one(&app.db.pool).await.unwrap();
    let area = gengshan.to_string();
    let night_work = [("title", "工地夜间施工"), ("description", "工地半夜还在施工，机器声吵得睡不着"), ("area", area.as_str())];

    // Untrained: nothing is offered, and the forms keep to the rules.
    let none: Suggested = op.ok("cases/routing_suggest", &night_work).await;
    assert_eq!((none.learned_from, none.categories.len()), (0, 0));

    let status = app::service::routing::train(&app.db, &app.effects().routing).await.expect("trained");
    assert!(status.cases > 1000, "a year of closed cases: {}", status.cases);
    let a = status.accuracy;
    assert!(a.tested_on * 4 >= a.trained_on - 4 && a.tested_on * 4 <= a.trained_on + 4, "the newest fifth is the test: {a:?}");
    assert!(a.lead.top3 > a.rule_lead.top3, "learned top-3 lead above the rule baseline: {a:?}");
    assert!(a.category.top1 > 0.8, "{a:?}");

    // The desk's question: the night-time building site is noise, and the housing bureau's.
    let s: Suggested = op.ok("cases/routing_suggest", &night_work).await;
    assert_eq!(s.learned_from, status.cases);
    assert_eq!(s.categories[0].key, "noise", "{s:?}");
    assert_eq!(s.leads[0].name, "区住建局", "{s:?}");
    assert!(s.categories.len() <= 3 && s.leads.len() <= 3 && s.cooperating.len() <= 3);
    assert!(s.categories.windows(2).all(|w| w[0].percent >= w[1].percent));

    // A case's own: as visible as the case.
    let case: i64 = sqlx::query_scalar("SELECT id FROM cases WHERE township_id = (SELECT parent_id FROM areas WHERE id = $1) ORDER BY id LIMIT 1")
        .bind(gengshan)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let id = case.to_string();
    let s: Suggested = op.ok("cases/routing_for_case", &[("id", &id)]).await;
    assert!(!s.leads.is_empty());
    let elsewhere: i64 = sqlx::query_scalar("SELECT id FROM units WHERE name = '全旺镇人民政府'").fetch_one(&app.db.pool).await.unwrap();
    app.user("qw.staff", Role::UnitStaff, Some(elsewhere)).await;
    let other = app.signed_in("qw.staff").await;
    let (code, _) = other.refused("cases/routing_for_case", &[("id", &id)]).await;
    assert_eq!(code, StatusCode::NOT_FOUND, "another township's staff cannot read the case through its suggestions");
    let (code, _) = app.browser().refused("cases/routing_suggest", &night_work).await;
    assert_eq!(code, StatusCode::UNAUTHORIZED);
}
