//! Palm command (掌上指挥) through the server, as the phones and the command board use it:
//! a 1+1+X launch pushed live over `/events` to every unit, signatures and "all dispatched",
//! directives to chosen units, catching up after a lost connection, the 5-minute clock
//! (injected and across a restart), handover, sub-tasks and the close.
#[macro_use]
mod common;

use app::domain::Receipt;
use app::domain::case::{AssignmentStatus, CaseDetail, CaseError, CaseStatus, Change, CommandKind, DEFAULT_ACK_MS};
use app::domain::notice::kind;
use app::domain::org::{AreaLevel, Role, UnitKind};
use app::error::AppError;
use app::service::{AuditActor, cases, org};
use common::{Browser, PASSWORD, TestApp, decode_err, decode_ok};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use std::time::Duration;

on_both_backends!(
    a_launch_reaches_every_unit_live_and_the_last_signature_is_all_dispatched,
    a_directive_reaches_only_its_units_and_a_reconnect_catches_up,
    an_unsigned_unit_escalates_at_five_minutes_on_the_injected_clock,
    a_restart_between_launch_and_deadline_still_escalates_on_time,
    the_commander_hands_over_and_the_deputy_closes_with_a_summary,
    a_township_pushes_sub_tasks_down_only_within_its_area,
);

const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01, 0x01, 0x00];

/// The worked example of the brief: 莲花镇 leads, the railway centre and 耿山村 cooperate.
struct Force {
    app: TestApp,
    town: i64,
    rail: i64,
    village: i64,
    commander_id: i64,
    commander: Browser,
    staff: Vec<(i64, Browser)>,
}

async fn multipart(b: &Browser, endpoint: &str, form: Form) -> reqwest::Response {
    b.post(&format!("/api/{endpoint}")).multipart(form).send().await.expect("answered")
}

fn act(id: i64, command: CommandKind) -> Form {
    Form::new().text("id", id.to_string()).text("command", command.code())
}

async fn signed_in(app: &TestApp, username: &str) -> Browser {
    let b = app.browser();
    b.sign_in(username, PASSWORD).await;
    b
}

/// Areas 莲花镇 → 耿山村 → 网格一 and a unit in each, plus the railway centre.
async fn force(app: TestApp) -> Force {
    let area = |parent: Option<i64>, level: AreaLevel, name: &'static str| {
        let db = app.db.clone();
        async move { org::save_area(&db, &AuditActor::default(), None, parent, Some(level), name).await.expect("area") }
    };
    let district = area(None, AreaLevel::District, "衢江区").await;
    let township = area(Some(district), AreaLevel::Township, "莲花镇").await;
    let village = area(Some(township), AreaLevel::Village, "耿山村").await;
    let grid = area(Some(village), AreaLevel::Grid, "耿山村第一网格").await;
    let unit = |name: &'static str, kind: UnitKind, area: Option<i64>| {
        let db = app.db.clone();
        async move {
            let input = org::UnitInput { name, kind, area_id: area, phone: "" };
            org::save_unit(&db, &AuditActor::default(), None, &input).await.expect("unit")
        }
    };
    let town = unit("莲花镇人民政府", UnitKind::TownshipGovernment, Some(township)).await;
    let rail = unit("区铁路轨道交通建设管理中心", UnitKind::ResidentDepartment, None).await;
    let village_unit = unit("耿山村村委会", UnitKind::VillageCommittee, Some(village)).await;
    let grid_unit = unit("耿山村第一网格", UnitKind::GridTeam, Some(grid)).await;
    let commander_id = app.user("cmd.zhou", Role::Commander, None).await;
    app.user("cmd.deputy", Role::Leader, None).await;
    let mut staff = Vec::new();
    for (name, u) in [("town.staff", town), ("rail.staff", rail), ("village.staff", village_unit), ("grid.staff", grid_unit)] {
        app.user(name, Role::UnitStaff, Some(u)).await;
        staff.push((u, signed_in(&app, name).await));
    }
    let commander = signed_in(&app, "cmd.zhou").await;
    Force { app, town, rail, village: village_unit, commander_id, commander, staff }
}

impl Force {
    fn phone(&self, unit: i64) -> &Browser {
        &self.staff.iter().find(|(u, _)| *u == unit).expect("a fixture unit").1
    }

    fn grid(&self) -> i64 {
        self.staff[3].0
    }

    async fn report(&self) -> i64 {
        let form = Form::new()
            .text("channel", "hotline12345")
            .text("urgency", "urgent")
            .text("category", "construction-damage")
            .text("title", "杭衢铁路施工致耿山村房屋开裂")
            .text("description", "杭衢高铁施工致耿山村多户房屋墙面、院墙开裂");
        let receipt: Receipt = decode_ok("register", multipart(&self.commander, "cases/register", form).await).await;
        receipt.id
    }

    async fn launch(&self, id: i64) {
        let form = act(id, CommandKind::Launch)
            .text("commander", self.commander_id.to_string())
            .text("lead", self.town.to_string())
            .text("cooperating", self.rail.to_string())
            .text("cooperating", self.village.to_string());
        let r = multipart(&self.commander, "cases/act", form).await;
        assert!(r.status().is_success(), "launch refused: {}", r.text().await.unwrap_or_default());
    }

    async fn act_ok(&self, b: &Browser, form: Form) {
        let r = multipart(b, "cases/act", form).await;
        assert!(r.status().is_success(), "refused: {}", r.text().await.unwrap_or_default());
    }

    async fn sign(&self, unit: i64, id: i64) {
        self.act_ok(self.phone(unit), act(id, CommandKind::Sign)).await;
    }

    async fn detail(&self, id: i64) -> CaseDetail {
        decode_ok("detail", self.commander.call("cases/detail", &[("id", &id.to_string())]).await).await
    }
}

async fn a_launch_reaches_every_unit_live_and_the_last_signature_is_all_dispatched(app: TestApp) {
    let f = force(app).await;
    let id = f.report().await;
    let mut board = f.commander.events(None).await;
    let mut town = f.phone(f.town).events(None).await;
    let mut rail = f.phone(f.rail).events(None).await;
    let mut grid = f.phone(f.grid()).events(None).await;

    f.launch(id).await;
    for feed in [&mut town, &mut rail, &mut board] {
        let n = feed.next().await;
        assert_eq!((n.case_id, n.kind.as_str()), (id, kind::TASK));
        assert_eq!(n.title, "杭衢铁路施工致耿山村房屋开裂");
    }
    grid.assert_quiet(Duration::from_millis(300)).await;

    f.sign(f.town, id).await;
    assert_eq!(board.next().await.kind, kind::CHANGED, "the board sees the signature live");
    f.sign(f.rail, id).await;
    board.next().await;
    let before = f.detail(id).await;
    assert_eq!(before.case.task_force.as_ref().unwrap().all_dispatched_ms, None);
    f.sign(f.village, id).await;
    board.next().await;
    let d = f.detail(id).await;
    let tf = d.case.task_force.as_ref().expect("a task force");
    assert_eq!(d.case.status, CaseStatus::InProgress);
    assert!(tf.dispatch_ms().is_some_and(|ms| (0..DEFAULT_ACK_MS).contains(&ms)), "all dispatched within 5 minutes: {:?}", tf.dispatch_ms());
    assert!(d.timeline.iter().any(|e| matches!(e.change, Change::CommandLaunched { commander, .. } if commander == f.commander_id)));
    assert!(d.people.iter().any(|(u, n)| *u == f.commander_id && n == "cmd.zhou 的名字"), "the commander is named");
    grid.assert_quiet(Duration::from_millis(200)).await;
    // The unit's staff do not command; the commander does not sign in a unit's name.
    let (status, _) = decode_err("unit launches", multipart(f.phone(f.rail), "cases/act", act(id, CommandKind::Direct).text("text", "x")).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn a_directive_reaches_only_its_units_and_a_reconnect_catches_up(app: TestApp) {
    let f = force(app).await;
    let id = f.report().await;
    let mut rail = f.phone(f.rail).events(None).await;
    f.launch(id).await;
    let launched = rail.next().await;
    for u in [f.town, f.rail, f.village] {
        f.sign(u, id).await;
    }
    for _ in 0..3 {
        rail.next().await;
    }
    // The village's phone lost the network right after the launch; it reconnects later.
    let to_rail = act(id, CommandKind::Direct).text("to", f.rail.to_string()).text("text", "请今天完成房屋安全鉴定");
    f.act_ok(&f.commander, to_rail).await;
    let n = rail.next().await;
    assert_eq!((n.kind.as_str(), n.text.as_deref()), (kind::DIRECTIVE, Some("请今天完成房屋安全鉴定")));
    let to_all = act(id, CommandKind::Direct).text("text", "全体单位18点前报告进展");
    f.act_ok(&f.commander, to_all).await;
    assert_eq!(rail.next().await.text.as_deref(), Some("全体单位18点前报告进展"));

    let mut village = f.phone(f.village).events(Some(launched.id)).await;
    let mut missed = Vec::new();
    while let Some(n) = village.next_within(Duration::from_millis(500)).await {
        missed.push(n);
    }
    assert!(missed.iter().all(|n| n.id > launched.id && n.units.contains(&f.village)), "only its own, only after: {missed:?}");
    assert!(!missed.iter().any(|n| n.text.as_deref() == Some("请今天完成房屋安全鉴定")), "a directive to another unit is not theirs");
    assert_eq!(missed.last().and_then(|n| n.text.as_deref()), Some("全体单位18点前报告进展"), "caught up to the last one");

    // A progress report with a photo and the phone's position flows back into the history.
    let photo = Part::bytes(JPEG.to_vec()).file_name("鉴定.jpg");
    let report = act(id, CommandKind::Progress).text("text", "鉴定完成：12户需修复").text("lat", "28.9").text("lng", "118.9").part("files", photo);
    f.act_ok(f.phone(f.rail), report).await;
    let d = f.detail(id).await;
    let entry = d.timeline.iter().find(|e| matches!(&e.change, Change::Progressed { text, .. } if text == "鉴定完成：12户需修复")).expect("the report");
    assert!(matches!(&entry.change, Change::Progressed { place: Some(_), .. }));
    assert_eq!(entry.attachments.len(), 1);
    assert_eq!(d.case.current(f.rail).unwrap().status, AssignmentStatus::Working);
}

async fn an_unsigned_unit_escalates_at_five_minutes_on_the_injected_clock(app: TestApp) {
    let f = force(app).await;
    let id = f.report().await;
    f.launch(id).await;
    let launched_at = f.detail(id).await.case.task_force.unwrap().launched_ms;
    f.sign(f.town, id).await;
    f.sign(f.village, id).await;
    let mut rail = f.phone(f.rail).events(None).await;
    let fx = f.app.effects();
    assert_eq!(server::scheduler::sweep_at(&f.app.db, fx, launched_at + DEFAULT_ACK_MS - 1).await, 0, "4:59.999: still on time");
    assert_eq!(server::scheduler::sweep_at(&f.app.db, fx, launched_at + DEFAULT_ACK_MS + 1).await, 1, "5:00 passed: escalated");
    let n = rail.next().await;
    assert_eq!((n.kind.as_str(), n.units.clone()), (kind::ESCALATED, vec![f.rail]));
    let d = f.detail(id).await;
    let a = d.case.current(f.rail).unwrap();
    assert_eq!(a.escalated_ms, Some(launched_at + DEFAULT_ACK_MS + 1));
    assert!(a.ack_overdue(launched_at + DEFAULT_ACK_MS + 1), "shown red");
    assert!(matches!(&d.timeline.last().unwrap().change, Change::Escalated { units } if *units == vec![f.rail]));
    assert_eq!(server::scheduler::sweep_at(&f.app.db, fx, launched_at + 2 * DEFAULT_ACK_MS).await, 0, "once");
    // The railway centre signs at 6:00 on the same clock: late, and recorded as such.
    let rail_staff: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = 'rail.staff'").fetch_one(&f.app.db.pool).await.unwrap();
    let by = app::domain::case::Actor::staff(rail_staff, Role::UnitStaff, Some(f.rail));
    let sign = app::domain::case::CaseCommand::Sign { unit: f.rail };
    cases::execute_at(&f.app.db, fx, &by, id, sign, vec![], launched_at + 6 * 60_000).await.expect("a late signature is accepted");
    let d = f.detail(id).await;
    assert!(d.timeline.iter().any(|e| e.change == Change::Signed { unit: f.rail, late: true }), "the late signature is recorded");
    assert!(d.case.task_force.unwrap().all_dispatched_ms.is_some());
}

async fn a_restart_between_launch_and_deadline_still_escalates_on_time(app: TestApp) {
    let f = force(app).await;
    // Three seconds to sign for this category, so the test waits in real time.
    sqlx::query("UPDATE categories SET ack_ms = 3000 WHERE code = 'construction-damage'").execute(&f.app.db.pool).await.unwrap();
    let id = f.report().await;
    // No scheduler runs while the command is launched: the server is "down".
    f.launch(id).await;
    let deadline = f.detail(id).await.case.current(f.rail).unwrap().ack.deadline_ms();
    let scheduler = server::scheduler::start(f.app.db.clone(), f.app.effects().clone(), app::domain::privacy::Retention::DEFAULT);
    loop {
        let d = f.detail(id).await;
        if let Some(at) = d.case.current(f.rail).unwrap().escalated_ms {
            assert!(at > deadline, "not before the deadline: {at} vs {deadline}");
            assert!(app::store::now_ms() <= deadline + 2_000, "within 2 s of the deadline");
            break;
        }
        assert!(app::store::now_ms() < deadline + 2_000, "escalated within 2 s of the deadline");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    scheduler.abort();
}

async fn the_commander_hands_over_and_the_deputy_closes_with_a_summary(app: TestApp) {
    let f = force(app).await;
    let id = f.report().await;
    f.launch(id).await;
    let deputy_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = 'cmd.deputy'").fetch_one(&f.app.db.pool).await.unwrap();
    let close = |summary: &str| act(id, CommandKind::CloseCommand).text("summary", summary.to_string());
    let (status, err) = decode_err("close early", multipart(&f.commander, "cases/act", close("x")).await).await;
    assert_eq!((status, err), (StatusCode::CONFLICT, AppError::Case(CaseError::WaitingForSignatures(vec![f.town, f.rail, f.village]))));
    for u in [f.town, f.rail, f.village] {
        f.sign(u, id).await;
    }
    // Handing over to someone who may not command is refused and changes nothing.
    let grid_staff: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = 'grid.staff'").fetch_one(&f.app.db.pool).await.unwrap();
    let (status, err) =
        decode_err("bad deputy", multipart(&f.commander, "cases/act", act(id, CommandKind::HandOver).text("to", grid_staff.to_string())).await).await;
    assert_eq!((status, err), (StatusCode::UNPROCESSABLE_ENTITY, AppError::Case(CaseError::BadCommander)));
    f.act_ok(&f.commander, act(id, CommandKind::HandOver).text("to", deputy_id.to_string())).await;
    let (status, _) = decode_err("old commander", multipart(&f.commander, "cases/act", close("x")).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the former commander no longer closes");
    let deputy = signed_in(&f.app, "cmd.deputy").await;
    f.act_ok(&deputy, close("12户房屋已全部修复，村民满意")).await;
    let d = f.detail(id).await;
    assert_eq!(d.case.status, CaseStatus::Resolved);
    assert_eq!(d.case.result.as_deref(), Some("12户房屋已全部修复，村民满意"));
    assert!(d.case.current_assignments().all(|a| a.status == AssignmentStatus::Done), "every part is closed");
    assert!(d.people.iter().any(|(u, _)| *u == deputy_id));
    // The history is intact and the resident sees the result.
    assert_eq!(app::service::cases::verify_history(&f.app.db).await.unwrap().1, vec![]);
    let public = cases::public_history(&f.app.db, id).await.unwrap();
    assert!(public.history.iter().any(|(_, s)| matches!(s, app::domain::case::PublicStep::Resolved { .. })));
}

async fn a_township_pushes_sub_tasks_down_only_within_its_area(app: TestApp) {
    let f = force(app).await;
    let id = f.report().await;
    f.launch(id).await;
    for u in [f.town, f.rail, f.village] {
        f.sign(u, id).await;
    }
    let mut grid = f.phone(f.grid()).events(None).await;
    let push = |unit: i64| act(id, CommandKind::SubTask).text("units", unit.to_string()).text("text", "逐户排查受损房屋");
    // The railway centre is nobody's village.
    let (status, err) = decode_err("outside", multipart(f.phone(f.town), "cases/act", push(f.rail)).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err, AppError::Case(CaseError::NotBelow(f.rail)));
    f.act_ok(f.phone(f.town), push(f.grid())).await;
    let n = grid.next().await;
    assert_eq!((n.kind.as_str(), n.units.contains(&f.grid())), (kind::TASK, true));
    f.sign(f.grid(), id).await;
    let d = f.detail(id).await;
    let part = d.case.current(f.grid()).unwrap();
    assert_eq!((part.parent, part.status), (Some(f.town), AssignmentStatus::Signed));
    assert!(d.assignments.iter().any(|a| a.assignment.unit == f.grid()), "shown on the board");
}

/// Two server instances behind a load balancer on one PostgreSQL: the commander launches on
/// one, the railway centre's phone is connected to the other and still gets it, live.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_push_crosses_from_one_instance_to_another_through_postgres() {
    let Some(app) = TestApp::postgres().await else { return };
    let f = force(app).await;
    let other = f.app.second_instance().await;
    let rail_there = f.app.browser_at(&other);
    rail_there.sign_in("rail.staff", PASSWORD).await;
    let mut feed = rail_there.events(None).await;
    let id = f.report().await;
    f.launch(id).await;
    let n = feed.next().await;
    assert_eq!((n.case_id, n.kind.as_str()), (id, kind::TASK));
    // And back: the signature on the other instance reaches the board on this one.
    let mut board = f.commander.events(None).await;
    let r = multipart(&rail_there, "cases/act", act(id, CommandKind::Sign)).await;
    assert!(r.status().is_success());
    assert_eq!(board.next().await.kind, kind::CHANGED);
}
