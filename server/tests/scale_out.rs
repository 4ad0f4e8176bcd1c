//! Scale-out on PostgreSQL: three stateless instances on one database, each running its
//! scheduler's passes. Every deadline fires exactly once, whichever instance wakes first, and every
//! push reaches each subscriber exactly once, whichever instance it is connected to.
#[macro_use]
mod common;

use app::domain::case::{Actor, CaseCommand as Cmd, CaseStatus};
use app::domain::org::Role;
use app::service::cases;
use common::{PASSWORD, TestApp};
use std::collections::HashMap;
use std::time::Duration;

const CASES: usize = 12;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_instances_fire_each_deadline_once_and_push_once_to_each_subscriber() {
    let Some(app) = TestApp::postgres().await else { return };
    let lianhua = app.unit("莲花镇人民政府").await;
    let operator = Actor::staff(app.user("op.wang", Role::Operator, None).await, Role::Operator, None);
    let staff = Actor::staff(app.user("lh.zhao", Role::UnitStaff, Some(lianhua)).await, Role::UnitStaff, Some(lianhua));
    let (db, fx) = (&app.db, app.effects());

    // Cases waiting for the resident's follow-up answer, each wait ending at `due`.
    let mut ids = Vec::new();
    for n in 0..CASES {
        let id = cases::register(db, fx, &operator, common::cracks_report(n), vec![]).await.unwrap().id;
        cases::execute(db, fx, &operator, id, Cmd::Dispatch { lead: lianhua, cooperating: vec![] }, vec![]).await.unwrap();
        cases::execute(db, fx, &staff, id, Cmd::Sign { unit: lianhua }, vec![]).await.unwrap();
        cases::execute(db, fx, &staff, id, Cmd::Resolve { unit: lianhua, result: "已修复".into() }, vec![]).await.unwrap();
        let case = cases::execute(db, fx, &operator, id, Cmd::Verify, vec![]).await.unwrap();
        assert_eq!(case.status, CaseStatus::FollowUp);
        ids.push(id);
    }
    let due = app::store::now_ms() + 2_000;
    for id in &ids {
        app.follow_up_due_at(*id, due).await;
    }

    // Two more instances; the operator's desk on the second, the township's phone on the third.
    let second = app.another_instance().await;
    let third = app.another_instance().await;
    let desk = app.browser_at(&second.base);
    desk.sign_in("op.wang", PASSWORD).await;
    let phone = app.browser_at(&third.base);
    phone.sign_in("lh.zhao", PASSWORD).await;
    let mut desk_feed = desk.events(None).await;
    let mut phone_feed = phone.events(None).await;
    // The three schedulers' passes at the deadline, all at once: each handed every due case.
    let (a, b, c) = tokio::join!(
        server::scheduler::sweep_at(&app.db, app.effects(), due),
        server::scheduler::sweep_at(&second.db, &second.effects, due),
        server::scheduler::sweep_at(&third.db, &third.effects, due),
    );
    assert_eq!(a + b + c, CASES, "each due case changed by one pass only ({a} + {b} + {c})");
    let open: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases WHERE status <> 'closed'").fetch_one(&db.pool).await.unwrap();
    assert_eq!(open, 0);
    for id in &ids {
        let closings: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM case_events WHERE case_id = $1 AND kind = 'closed'").bind(id).fetch_one(&db.pool).await.unwrap();
        assert_eq!(closings, 1, "case {id} closed exactly once");
    }
    assert!(cases::verify_history(db).await.unwrap().1.iter().all(|b| matches!(b, cases::Broken::State { .. })), "every chain intact");

    // Each subscriber: one push per case, whichever instance closed it.
    for (who, feed) in [("desk", &mut desk_feed), ("phone", &mut phone_feed)] {
        let mut per_case: HashMap<i64, usize> = HashMap::new();
        while let Some(n) = feed.next_within(Duration::from_millis(1500)).await {
            *per_case.entry(n.case_id).or_default() += 1;
        }
        for id in &ids {
            assert_eq!(per_case.get(id), Some(&1), "{who}: pushes for case {id}: {per_case:?}");
        }
    }
}
