//! The demo data: a living center on first start, whose every history checks out.
#[macro_use]
mod common;

use app::domain::case::CaseStatus;
use common::TestApp;

on_both_backends!(demo_cases_have_real_verifiable_histories);

async fn demo_cases_have_real_verifiable_histories(app: TestApp) {
    app::service::seed::seed_demo(&app.db).await.expect("demo organisation");
    let n = app::service::seed::cases::seed_demo_cases(&app.db).await.expect("demo cases");
    assert!(n > app::service::seed::cases::GENERATED, "the named cases come on top of the generated ones");
    assert_eq!(app.count("SELECT COUNT(*) FROM cases").await as usize, n);

    let (checked, broken) = app::service::cases::verify_history(&app.db).await.expect("verify runs");
    assert_eq!(checked, n);
    assert!(broken.is_empty(), "every demo history replays to its state: {broken:?}");

    // The railway case is recognisable: three units, all signed, in progress.
    let railway: i64 = sqlx::query_scalar("SELECT id FROM cases WHERE title LIKE '杭衢高铁%'").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM case_units WHERE case_id = {railway} AND status = 'working' OR case_id = {railway} AND status = 'signed'"))
            .await,
        3
    );
    let status: String = sqlx::query_scalar("SELECT status FROM cases WHERE id = $1").bind(railway).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(status, CaseStatus::InProgress.code());
    // It is the brief's palm command: a commander, everyone signed, two directives.
    let state: String = sqlx::query_scalar("SELECT state FROM cases WHERE id = $1").bind(railway).fetch_one(&app.db.pool).await.unwrap();
    let case: app::domain::case::Case = serde_json::from_str(&state).unwrap();
    assert!(case.task_force.is_some_and(|t| t.all_dispatched_ms.is_some()), "launched as a palm command, all dispatched");
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM case_events WHERE case_id = {railway} AND kind = 'directed'")).await, 2);

    // Every status a case page draws differently, on every seed (the page checks open one
    // of each), and most of the year's cases closed.
    for s in [
        CaseStatus::Closed,
        CaseStatus::Rejected,
        CaseStatus::Dispatched,
        CaseStatus::InProgress,
        CaseStatus::Received,
        CaseStatus::Resolved,
        CaseStatus::FollowUp,
    ] {
        let k = app.count(&format!("SELECT COUNT(*) FROM cases WHERE status = '{}'", s.code())).await;
        assert!(k > 0, "some demo cases are {s}");
    }
    assert!(app.count("SELECT COUNT(*) FROM cases WHERE status = 'closed'").await as usize > n / 2);

    // Two livelihood calls: last year's closed with published projects, this year's open.
    let s = app::service::seed::campaigns::seed_demo_campaigns(&app.db).await.expect("demo calls");
    assert_eq!(app.count("SELECT COUNT(*) FROM suggestions").await as usize, s);
    let now = app::store::now_ms();
    let current = app::service::campaigns::current(&app.db, now).await.unwrap().expect("a current call");
    assert_eq!(current.phase(now), app::domain::campaign::CampaignPhase::Open);
    for status in ["submitted", "evaluating", "shortlisted", "merged", "hidden", "published", "completed", "not_adopted", "rejected"] {
        assert!(app.count(&format!("SELECT COUNT(*) FROM suggestions WHERE status = '{status}'")).await > 0, "a demo suggestion is {status}");
    }
}
