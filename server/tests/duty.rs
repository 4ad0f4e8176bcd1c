//! The duty roster (值班) through the server: planning by the center's leader, a missing
//! check-in flagged by the scheduler at exactly 15 minutes and pushed once, check-in with the
//! phone's place and the handover note by the holder only, a swap approved, and the month's
//! spreadsheet exported and imported again.
#[macro_use]
mod common;

use app::domain::clock::minute_string;
use app::domain::duty::{CHECK_IN_GRACE_MS, DutyError, LineProblem, MonthRoster, MyDuty, RosterImport, ShiftState};
use app::domain::notice::kind;
use app::domain::org::{AreaLevel, Role, UnitKind};
use app::error::AppError;
use app::service::{AuditActor, now_ms, org};
use common::{Browser, PASSWORD, TestApp};
use reqwest::StatusCode;
use std::time::Duration;

on_both_backends!(
    a_shift_nobody_checks_in_is_flagged_at_fifteen_minutes_once_and_pushed,
    the_holder_checks_in_with_a_place_and_hands_over_and_nobody_else_may,
    a_swap_takes_effect_when_the_planner_approves_it,
    the_months_roster_goes_out_as_a_spreadsheet_and_comes_back_checked_row_by_row,
);

struct Roster {
    app: TestApp,
    center: i64,
    town: i64,
    op_li: i64,
    op_zhao: i64,
    town_staff: i64,
    leader: Browser,
    li: Browser,
    zhao: Browser,
}

async fn signed_in(app: &TestApp, username: &str) -> Browser {
    let b = app.browser();
    b.sign_in(username, PASSWORD).await;
    b
}

async fn roster(app: TestApp) -> Roster {
    let district = org::save_area(&app.db, &AuditActor::default(), None, None, Some(AreaLevel::District), "衢江区").await.expect("district");
    let lianhua = org::save_area(&app.db, &AuditActor::default(), None, Some(district), Some(AreaLevel::Township), "莲花镇").await.expect("township");
    let unit = |name: &'static str, kind: UnitKind, area: Option<i64>| {
        let db = app.db.clone();
        async move { org::save_unit(&db, &AuditActor::default(), None, &org::UnitInput { name, kind, area_id: area, phone: "" }).await.expect("unit") }
    };
    let center = unit("区社会治理中心", UnitKind::Center, None).await;
    let town = unit("莲花镇人民政府", UnitKind::TownshipGovernment, Some(lianhua)).await;
    app.user("lead.wu", Role::Leader, Some(center)).await;
    let op_li = app.user("op.li", Role::Operator, Some(center)).await;
    let op_zhao = app.user("op.zhao", Role::Operator, Some(center)).await;
    let town_staff = app.user("town01", Role::UnitStaff, Some(town)).await;
    let (leader, li, zhao) = (signed_in(&app, "lead.wu").await, signed_in(&app, "op.li").await, signed_in(&app, "op.zhao").await);
    Roster { app, center, town, op_li, op_zhao, town_staff, leader, li, zhao }
}

impl Roster {
    async fn plan(&self, unit: i64, post: &str, user: i64, starts: i64, ends: i64) -> i64 {
        let r = self.leader.call("center/duty/plan", &fields(&self.plan_fields(unit, post, user, starts, ends))).await;
        assert_eq!(r.status(), StatusCode::OK, "plan: {}", r.text().await.unwrap_or_default());
        self.app.count(&format!("SELECT MAX(id) FROM duty_shifts WHERE user_id = {user} AND starts_at = {starts}")).await
    }

    fn plan_fields(&self, unit: i64, post: &str, user: i64, starts: i64, ends: i64) -> Vec<(&'static str, String)> {
        vec![
            ("unit_id", unit.to_string()),
            ("post", post.to_string()),
            ("user_id", user.to_string()),
            ("starts", minute_string(starts)),
            ("ends", minute_string(ends)),
        ]
    }

    async fn month(&self, b: &Browser, at: i64) -> MonthRoster {
        b.ok("center/duty/month", &[("month", &minute_string(at)[..7]), ("unit", "0")]).await
    }
}

fn fields<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// Whole minutes, as the form's datetime-local input gives them.
fn minute(ms: i64) -> i64 {
    ms - ms.rem_euclid(60_000)
}

async fn a_shift_nobody_checks_in_is_flagged_at_fifteen_minutes_once_and_pushed(app: TestApp) {
    let r = roster(app).await;
    let starts = minute(now_ms()) + 2 * 3_600_000;
    let shift = r.plan(r.town, "officer", r.town_staff, starts, starts + 24 * 3_600_000).await;
    let mut board = r.leader.events(None).await;
    let town_phone = signed_in(&r.app, "town01").await;
    let mut phone = town_phone.events(None).await;
    let due = starts + CHECK_IN_GRACE_MS;
    let sweep = |at: i64| server::scheduler::sweep_at(&r.app.db, r.app.effects(), at);
    assert_eq!(sweep(due - 1).await, 0, "not yet due at 14:59.999");
    assert_eq!(r.app.count(&format!("SELECT COUNT(*) FROM duty_shifts WHERE id = {shift} AND missed_at IS NOT NULL")).await, 0);
    assert_eq!(sweep(due).await, 1, "flagged at 15:00");
    assert_eq!(r.app.count(&format!("SELECT missed_at FROM duty_shifts WHERE id = {shift}")).await, due);
    for feed in [&mut board, &mut phone] {
        let n = feed.next().await;
        assert_eq!((n.kind.as_str(), n.text.as_deref(), n.units.clone()), (kind::DUTY, Some(shift.to_string().as_str()), vec![r.town]));
        assert!(n.title.contains("莲花镇人民政府"), "{}", n.title);
    }
    assert_eq!(sweep(due + 60_000).await, 0, "flagged once");
    board.assert_quiet(Duration::from_millis(300)).await;
    assert_eq!(r.app.count("SELECT COUNT(*) FROM notices").await, 1);
    // The month shows it as not checked in; the next alarm is gone.
    let m = r.month(&r.leader, starts).await;
    let e = m.entries.iter().find(|e| e.shift.id == shift).expect("listed");
    assert_eq!((e.shift.missed_ms, e.person.as_str(), e.unit.as_str()), (Some(due), "town01 的名字", "莲花镇人民政府"));
    assert_eq!(e.shift.state(due), ShiftState::Missed);
    assert_eq!(app::service::duty::next_alarm(&r.app.db).await.expect("next"), None);
}

async fn the_holder_checks_in_with_a_place_and_hands_over_and_nobody_else_may(app: TestApp) {
    let r = roster(app).await;
    // A one-hour shift that began five minutes ago: check-in open, handover open.
    let starts = minute(now_ms()) - 5 * 60_000;
    let ends = starts + 3_600_000;
    let shift = r.plan(r.center, "officer", r.op_li, starts, ends).await;
    let id = shift.to_string();
    // Planning is the leader's: an operator is refused; an overlapping shift and a person of
    // another unit are refused with their reasons, and nothing is written.
    let (status, _) = r.li.refused("center/duty/plan", &fields(&r.plan_fields(r.center, "officer", r.op_li, starts, ends))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, err) = r.leader.refused("center/duty/plan", &fields(&r.plan_fields(r.center, "leader", r.op_li, starts + 60_000, ends + 60_000))).await;
    assert_eq!((status, err), (StatusCode::CONFLICT, AppError::Duty(DutyError::Overlap)));
    let (status, err) = r.leader.refused("center/duty/plan", &fields(&r.plan_fields(r.center, "officer", r.town_staff, ends, ends + 3_600_000))).await;
    assert_eq!((status, err), (StatusCode::UNPROCESSABLE_ENTITY, AppError::Duty(DutyError::NotInUnit)));
    let (_, err) = r.leader.refused("center/duty/plan", &fields(&r.plan_fields(r.center, "officer", r.op_zhao, ends, ends + 25 * 3_600_000))).await;
    assert_eq!(err, AppError::Duty(DutyError::BadTimes));
    assert_eq!(r.app.count("SELECT COUNT(*) FROM duty_shifts").await, 1);

    let (status, err) = r.zhao.refused("field/duty/act", &[("shift_id", &id), ("step", "check_in")]).await;
    assert_eq!((status, err), (StatusCode::FORBIDDEN, AppError::Duty(DutyError::NotYours)));
    let (_, err) = r.li.refused("field/duty/act", &[("shift_id", &id), ("step", "check_in"), ("lat", "95"), ("lng", "118.9")]).await;
    assert_eq!(err, AppError::Duty(DutyError::BadPlace));
    let (_, err) = r.li.refused("field/duty/act", &[("shift_id", &id), ("step", "hand_over"), ("note", "平稳")]).await;
    assert_eq!(err, AppError::Duty(DutyError::NotCheckedIn));
    let ok = r.li.call("field/duty/act", &[("shift_id", &id), ("step", "check_in"), ("lat", "28.934512"), ("lng", "118.961234")]).await;
    assert_eq!(ok.status(), StatusCode::OK);
    let (status, err) = r.li.refused("field/duty/act", &[("shift_id", &id), ("step", "check_in")]).await;
    assert_eq!((status, err), (StatusCode::CONFLICT, AppError::Duty(DutyError::AlreadyCheckedIn)));
    // Checked in: the scheduler never flags it.
    assert_eq!(server::scheduler::sweep_at(&r.app.db, r.app.effects(), starts + CHECK_IN_GRACE_MS).await, 0);
    let ok = r.li.call("field/duty/act", &[("shift_id", &id), ("step", "hand_over"), ("note", "接报 2 起，均已派单；莲花镇积水点需下一班回访。")]).await;
    assert_eq!(ok.status(), StatusCode::OK);
    let mine: MyDuty = r.li.ok("field/duty/mine", &[]).await;
    let s = &mine.shifts.iter().find(|e| e.shift.id == shift).expect("mine").shift;
    assert_eq!(s.check_in_at.map(|p| ((p.lat * 1e6).round() as i64, (p.lng * 1e6).round() as i64)), Some((28_934_512, 118_961_234)));
    assert_eq!(s.handover.as_deref(), Some("接报 2 起，均已派单；莲花镇积水点需下一班回访。"));
    assert_eq!(s.missed_ms, None);
    // On duty now, at the center, checked in; a begun shift cannot be removed.
    let (_, now): (i64, Vec<app::domain::duty::RosterEntry>) = r.leader.ok("center/duty/now", &[]).await;
    assert_eq!(now.iter().map(|e| (e.person.as_str(), e.shift.checked_in_ms.is_some())).collect::<Vec<_>>(), vec![("op.li 的名字", true)]);
    let (status, err) = r.leader.refused("center/duty/remove", &[("shift_id", &id)]).await;
    assert_eq!((status, err), (StatusCode::CONFLICT, AppError::Duty(DutyError::Started)));
    // The wall names the center's people on duty.
    let screen: app::domain::screen::Screen = r.leader.ok("center/screen", &[]).await;
    assert_eq!(screen.on_duty.iter().map(|l| (l.person.as_str(), l.center, l.checked_in)).collect::<Vec<_>>(), vec![("op.li 的名字", true, true)]);
    // Escalations go to the center's leader on duty by the roster, else to every center leader.
    let lead_wu = r.app.count("SELECT id FROM users WHERE username = 'lead.wu'").await;
    let mut conn = r.app.db.read().await.expect("read");
    assert_eq!(app::service::duty::escalation_leaders(&mut conn, now_ms()).await.expect("leaders"), vec![lead_wu]);
    drop(conn);
    r.plan(r.center, "leader", r.op_zhao, starts, ends).await;
    let mut conn = r.app.db.read().await.expect("read");
    assert_eq!(app::service::duty::escalation_leaders(&mut conn, now_ms()).await.expect("leaders"), vec![r.op_zhao]);
    drop(conn);
    // A township's staff reads only their unit's roster.
    let town = signed_in(&r.app, "town01").await;
    let (status, _) = town.refused("center/duty/month", &[("month", ""), ("unit", "0")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn a_swap_takes_effect_when_the_planner_approves_it(app: TestApp) {
    let r = roster(app).await;
    let starts = minute(now_ms()) + 26 * 3_600_000;
    let shift = r.plan(r.center, "officer", r.op_li, starts, starts + 12 * 3_600_000).await;
    let id = shift.to_string();
    let zhao_id = r.op_zhao.to_string();
    let (_, err) = r.li.refused("field/duty/act", &[("shift_id", &id), ("step", "swap"), ("to_user", &r.town_staff.to_string()), ("reason", "家中有事")]).await;
    assert_eq!(err, AppError::Duty(DutyError::NotInUnit));
    let (_, err) = r.li.refused("field/duty/act", &[("shift_id", &id), ("step", "swap"), ("to_user", &zhao_id), ("reason", " ")]).await;
    assert_eq!(err, AppError::Duty(DutyError::TextRequired));
    let ok = r.li.call("field/duty/act", &[("shift_id", &id), ("step", "swap"), ("to_user", &zhao_id), ("reason", "家中有事")]).await;
    assert_eq!(ok.status(), StatusCode::OK);
    let (status, err) = r.li.refused("field/duty/act", &[("shift_id", &id), ("step", "swap"), ("to_user", &zhao_id), ("reason", "再次")]).await;
    assert_eq!((status, err), (StatusCode::CONFLICT, AppError::Duty(DutyError::SwapWaiting)));
    let m = r.month(&r.leader, starts).await;
    assert_eq!(m.swaps.len(), 1);
    let swap = m.swaps[0].swap.id.to_string();
    assert_eq!((m.swaps[0].from.as_str(), m.swaps[0].to.as_str()), ("op.li 的名字", "op.zhao 的名字"));
    // The operators cannot approve their own swap.
    let (status, _) = r.li.refused("center/duty/decide", &[("swap_id", &swap), ("approve", "1")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let ok = r.leader.call("center/duty/decide", &[("swap_id", &swap), ("approve", "1")]).await;
    assert_eq!(ok.status(), StatusCode::OK);
    let (status, err) = r.leader.refused("center/duty/decide", &[("swap_id", &swap), ("approve", "0")]).await;
    assert_eq!((status, err), (StatusCode::CONFLICT, AppError::Duty(DutyError::Decided)));
    let mine: MyDuty = r.zhao.ok("field/duty/mine", &[]).await;
    assert_eq!(mine.shifts.iter().map(|e| e.shift.id).collect::<Vec<_>>(), vec![shift]);
    let li: MyDuty = r.li.ok("field/duty/mine", &[]).await;
    assert!(li.shifts.is_empty());
    assert_eq!(r.month(&r.leader, starts).await.swaps.len(), 0);
    // The new holder may check in; the old one may not.
    assert_eq!(r.app.count(&format!("SELECT user_id FROM duty_shifts WHERE id = {shift}")).await, r.op_zhao);
}

async fn the_months_roster_goes_out_as_a_spreadsheet_and_comes_back_checked_row_by_row(app: TestApp) {
    let r = roster(app).await;
    // Three days ahead, so the shifts stay in a month that has not begun them.
    let day = minute(now_ms()) + 3 * 24 * 3_600_000;
    let first = r.plan(r.town, "leader", r.town_staff, day, day + 24 * 3_600_000).await;
    r.plan(r.center, "officer", r.op_li, day, day + 12 * 3_600_000).await;
    let month = &minute_string(day)[..7];
    let got = r.leader.get(&format!("/center/duty/export.xlsx?month={month}")).await;
    assert_eq!(got.status(), StatusCode::OK);
    let xlsx = got.bytes().await.expect("workbook").to_vec();
    assert!(xlsx.starts_with(b"PK"), "an xlsx workbook");
    // Imported again as it is: every row clashes with the shift it came from.
    let again: RosterImport = common::decode_ok("import", r.leader.upload("center/duty/import", "roster", "duty.xlsx", &xlsx).await).await;
    assert_eq!(again.added, 0);
    assert_eq!(
        again.refused.iter().map(|e| (e.row, e.problem.clone())).collect::<Vec<_>>(),
        vec![(2, LineProblem::Shift(DutyError::Overlap)), (3, LineProblem::Shift(DutyError::Overlap))]
    );
    // A CSV with one good row, one bad person and one night shift of the wrong unit.
    let next = minute_string(day + 24 * 3_600_000);
    let csv = format!(
        "日期,开始,结束,单位,岗位,用户名\n{d},08:00,08:00,区社会治理中心,值班员,op.zhao\n{d},08:00,20:00,区社会治理中心,值班员,nobody\n{d},20:00,08:00,区社会治理中心,带班领导,town01\n",
        d = &next[..10]
    );
    let res: RosterImport = common::decode_ok("import", r.leader.upload("center/duty/import", "roster", "duty.csv", csv.as_bytes()).await).await;
    assert_eq!(res.added, 1);
    assert_eq!(
        res.refused.iter().map(|e| (e.row, e.problem.clone())).collect::<Vec<_>>(),
        vec![(3, LineProblem::UnknownPerson("nobody".into())), (4, LineProblem::Shift(DutyError::NotInUnit))]
    );
    assert_eq!(r.app.count("SELECT COUNT(*) FROM duty_shifts").await, 3);
    // Only a planner imports.
    let r2 = r.li.upload("center/duty/import", "roster", "duty.csv", csv.as_bytes()).await;
    assert_eq!(r2.status(), StatusCode::FORBIDDEN);
    // A shift that has not begun may be removed.
    let ok = r.leader.call("center/duty/remove", &[("shift_id", &first.to_string())]).await;
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(r.app.count("SELECT COUNT(*) FROM duty_shifts").await, 2);
}
