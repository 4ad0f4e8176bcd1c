//! The reads behind a case page and a unit's inbox take a fixed number of statements,
//! however long the case's history or how many cases the unit holds: counted from sqlx's
//! own statement log, once small and once large, on both databases.
mod common;

use app::domain::case::{Actor, CaseCommand as Cmd, Channel, IntakeText, Urgency};
use app::domain::org::Role;
use app::service::{cases, command};
use common::TestApp;
use std::sync::atomic::{AtomicUsize, Ordering};
use tracing::subscriber::Subscriber;
use tracing_subscriber::layer::{Context, Layer};

/// Statements sqlx has run for the measured reads (its `sqlx::query` events).
static STATEMENTS: AtomicUsize = AtomicUsize::new(0);

/// The span the measured reads run in: only their own statements count, not those of the
/// server's background tasks (session clean-up) running meanwhile.
const MEASURED: &str = "measured";

struct CountStatements;

/// The statement's text as sqlx logs it, to leave out a new pooled connection's set-up
/// (SQLite's PRAGMAs, PostgreSQL's `SET jit`), which is the pool's and not the read's.
#[derive(Default)]
struct Summary(String);

impl tracing::field::Visit for Summary {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if field.name() == "summary" || field.name() == "db.statement" {
            self.0.push_str(value);
        }
    }
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "summary" || field.name() == "db.statement" {
            self.0.push_str(&format!("{value:?}"));
        }
    }
}

impl<S: Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>> Layer<S> for CountStatements {
    fn on_event(&self, event: &tracing::Event<'_>, ctx: Context<'_, S>) {
        if event.metadata().target() != "sqlx::query" {
            return;
        }
        let measured = ctx.event_scope(event).is_some_and(|mut scope| scope.any(|span| span.name() == MEASURED));
        let mut text = Summary::default();
        event.record(&mut text);
        let set_up = ["PRAGMA", "SET JIT", "\"PRAGMA", "\"SET JIT"].iter().any(|p| text.0.trim_start().to_uppercase().starts_with(p));
        if measured && !set_up {
            STATEMENTS.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// Each statement of `f`.
async fn statements<T>(f: impl std::future::Future<Output = T>) -> (usize, T) {
    use tracing::Instrument;
    let before = STATEMENTS.load(Ordering::SeqCst);
    let out = f.instrument(tracing::info_span!("measured")).await;
    (STATEMENTS.load(Ordering::SeqCst) - before, out)
}

fn report(title: &str) -> cases::IntakeInput {
    cases::IntakeInput {
        category: "construction-damage".into(),
        channel: Channel::Hotline12345,
        urgency: Urgency::Normal,
        text: IntakeText { title: title.into(), description: "墙体开裂".into(), ..Default::default() },
        area_id: None,
        location: None,
    }
}

/// Bounds with room for a filter's extra step, far below one statement per case or event.
const CASE_PAGE_MAX: usize = 10;
const INBOX_MAX: usize = 4;

async fn reads_take_a_fixed_number_of_statements(app: TestApp) {
    let db = &app.db;
    let fx = app.effects().clone();
    let unit = app.unit("区铁路轨道交通建设管理中心").await;
    let other = app.unit("区住建局").await;
    let staff = Actor::staff(app.user("rail.staff", Role::UnitStaff, Some(unit)).await, Role::UnitStaff, Some(unit));
    let a = app.user("cmd.a", Role::Commander, None).await;
    let b = app.user("cmd.b", Role::Leader, None).await;
    let c = app.user("cmd.c", Role::Commander, None).await;
    let op = Actor::staff(app.user("desk.op", Role::Operator, None).await, Role::Operator, None);
    let cmd_a = Actor::staff(a, Role::Commander, None);

    // A case with a short history, and one with a long one naming three commanders.
    let short = cases::register(db, &fx, &op, report("短"), vec![]).await.expect("registered");
    let long = cases::register(db, &fx, &op, report("长"), vec![]).await.expect("registered");
    let run = |id: i64, by: Actor, cmd: Cmd| {
        let fx = fx.clone();
        async move { cases::execute(db, &fx, &by, id, cmd, vec![]).await.unwrap_or_else(|e| panic!("{e}")) }
    };
    run(long.id, op.clone(), Cmd::Launch { commander: a, lead: unit, cooperating: vec![other] }).await;
    for i in 0..20 {
        run(long.id, cmd_a.clone(), Cmd::Direct { to: vec![], text: format!("第{i}条指令") }).await;
    }
    run(long.id, cmd_a.clone(), Cmd::HandOver { to: b }).await;
    run(long.id, Actor::staff(b, Role::Leader, None), Cmd::HandOver { to: c }).await;

    let (small, d) = statements(cases::detail(db, &op, short.id)).await;
    assert!(d.expect("the short case").timeline.len() == 1);
    let (large, d) = statements(cases::detail(db, &op, long.id)).await;
    let d = d.expect("the long case");
    assert!(d.timeline.len() > 20 && d.people.len() == 3, "{} events, {} people", d.timeline.len(), d.people.len());
    assert!(small > 0, "the statement log is counted");
    assert!(large <= small + 1 && large <= CASE_PAGE_MAX, "case page: {small} statements for one event, {large} for {}", d.timeline.len());

    // A unit's inbox with one case, then with thirty (ten of them commands with directives).
    let (one, inbox) = statements(command::inbox(db, &staff)).await;
    assert_eq!(inbox.expect("inbox").items.len(), 1);
    for i in 0..29 {
        let r = cases::register(db, &fx, &op, report(&format!("第{i}件")), vec![]).await.expect("registered");
        if i % 3 == 0 {
            run(r.id, op.clone(), Cmd::Launch { commander: a, lead: unit, cooperating: vec![] }).await;
            run(r.id, cmd_a.clone(), Cmd::Direct { to: vec![unit], text: "请立即到场".into() }).await;
        } else {
            run(r.id, op.clone(), Cmd::Dispatch { lead: unit, cooperating: vec![] }).await;
        }
    }
    let (thirty, inbox) = statements(command::inbox(db, &staff)).await;
    let inbox = inbox.expect("inbox");
    assert_eq!(inbox.items.len(), 30);
    assert!(inbox.items.iter().any(|i| i.last_directive.as_deref() == Some("请立即到场")), "directives are read");
    assert!(thirty <= one + 1 && thirty <= INBOX_MAX, "inbox: {one} statements for one case, {thirty} for thirty");
}

/// An intake's statements, reads before its write turn included: the first of its kind, and
/// one that meets every stream rule at once and grows their warnings.
const INTAKE_MAX: usize = 12;

async fn an_intake_takes_a_fixed_number_of_statements(app: TestApp) {
    let db = &app.db;
    let fx = app.effects().clone();
    let op = Actor::staff(app.user("desk.intake", Role::Operator, None).await, Role::Operator, None);
    let repeated = |i: usize| cases::IntakeInput {
        category: "noise".into(),
        location: Some(app::domain::case::GeoPoint::from_degrees(28.97, 118.87).expect("a point")),
        text: IntakeText {
            title: format!("夜间噪音第{i}次"), description: "楼下夜间施工".into(), reporter_phone: "13900001111".into(), ..Default::default()
        },
        ..report("")
    };
    let (first, _) = statements(cases::register(db, &fx, &op, repeated(0), vec![])).await;
    for i in 1..5 {
        cases::register(db, &fx, &op, repeated(i), vec![]).await.expect("registered");
    }
    let open = || app.count("SELECT COUNT(*) FROM risk_warnings WHERE rule IN ('cluster', 'repeat')");
    let (warnings, evidence) = (open().await, app.count("SELECT COUNT(*) FROM risk_evidence").await);
    assert!(warnings >= 2, "the cluster and the repeat rules have warnings: {warnings}");
    let (growing, r) = statements(cases::register(db, &fx, &op, repeated(5), vec![])).await;
    r.expect("registered");
    assert_eq!(open().await, warnings, "the new case grows the warnings, raises none");
    assert!(app.count("SELECT COUNT(*) FROM risk_evidence").await > evidence + 1, "linked to each");
    println!("intake: {first} statements for the first case, {growing} for one growing warnings");
    // One read of every rule's look back with the warnings holding its cases; one write of
    // the evidence; at most one more, the full look back, when the short one does not settle it.
    assert!(growing <= first + 2 && growing <= INTAKE_MAX, "intake: {first} statements for the first case, {growing} for one growing warnings");
}

mod reads_take_a_fixed_number_of_statements {
    use tracing_subscriber::layer::SubscriberExt;

    fn count_statements() {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            let subscriber = tracing_subscriber::registry().with(super::CountStatements);
            tracing::subscriber::set_global_default(subscriber).expect("the only subscriber of this binary");
        });
    }

    // One test, both databases in turn: a second test beside it would add to the count.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn on_sqlite_then_postgres() {
        use super::TestApp;
        count_statements();
        super::reads_take_a_fixed_number_of_statements(TestApp::sqlite().await).await;
        super::an_intake_takes_a_fixed_number_of_statements(TestApp::sqlite().await).await;
        if let Some(app) = TestApp::postgres().await {
            super::reads_take_a_fixed_number_of_statements(app).await;
        }
        if let Some(app) = TestApp::postgres().await {
            super::an_intake_takes_a_fixed_number_of_statements(app).await;
        }
    }
}
