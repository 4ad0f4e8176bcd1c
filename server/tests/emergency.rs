//! Emergency reports (紧急信息报送) through the server: a flood filed through 12345 opens an
//! emergency for its township; the scheduler's sweep at an injected time flags the missed quick
//! report at its deadline and, with nothing reported for the event, raises a hidden-report
//! warning (瞒报) — but not when the township reported the same event on another case; reports
//! filed late are counted once, corrections that contradict are flagged, the leader checks;
//! an operator marks another case, with deadlines set per category and level.
#[macro_use]
mod common;

use app::domain::Receipt;
use app::domain::emergency::{Board, CaseEmergency, Detail, EmergencyError, FactFlag, Level, Stage};
use app::domain::evaluation::EvaluationPage;
use app::domain::notice::kind;
use app::domain::org::{AreaLevel, Role, UnitKind};
use app::domain::period::{Period, PeriodKind};
use app::error::AppError;
use app::service::{AuditActor, now_ms, org};
use common::{Browser, PASSWORD, TestApp, decode_ok};
use reqwest::StatusCode;
use reqwest::multipart::Form;
use std::time::Duration;

on_both_backends!(
    a_flood_through_12345_in_a_township_that_reported_nothing_raises_a_hidden_report_warning,
    late_reports_count_once_and_contradicting_versions_are_flagged_for_the_leader,
    an_operator_marks_a_case_and_its_deadlines_follow_the_category_and_level,
);

const MIN: i64 = 60_000;

struct District {
    app: TestApp,
    lianhua: i64,
    town: i64,
    other_town: i64,
    op: Browser,
    leader: Browser,
    town_staff: Browser,
    other_staff: Browser,
}

async fn signed_in(app: &TestApp, username: &str) -> Browser {
    let b = app.browser();
    b.sign_in(username, PASSWORD).await;
    b
}

async fn district(app: TestApp) -> District {
    let a = AuditActor::default();
    let district = org::save_area(&app.db, &a, None, None, Some(AreaLevel::District), "衢江区").await.expect("district");
    let lianhua = org::save_area(&app.db, &a, None, Some(district), Some(AreaLevel::Township), "莲花镇").await.expect("township");
    let gaojia = org::save_area(&app.db, &a, None, Some(district), Some(AreaLevel::Township), "高家镇").await.expect("township");
    let unit = |name: &'static str, kind: UnitKind, area: Option<i64>| {
        let db = app.db.clone();
        async move { org::save_unit(&db, &AuditActor::default(), None, &org::UnitInput { name, kind, area_id: area, phone: "" }).await.expect("unit") }
    };
    let center = unit("区社会治理中心", UnitKind::Center, None).await;
    let town = unit("莲花镇人民政府", UnitKind::TownshipGovernment, Some(lianhua)).await;
    let other_town = unit("高家镇人民政府", UnitKind::TownshipGovernment, Some(gaojia)).await;
    app.user("desk.op", Role::Operator, Some(center)).await;
    app.user("lead.wu", Role::Leader, Some(center)).await;
    app.user("town01", Role::UnitStaff, Some(town)).await;
    app.user("gaojia01", Role::UnitStaff, Some(other_town)).await;
    let (op, leader) = (signed_in(&app, "desk.op").await, signed_in(&app, "lead.wu").await);
    let (town_staff, other_staff) = (signed_in(&app, "town01").await, signed_in(&app, "gaojia01").await);
    District { app, lianhua, town, other_town, op, leader, town_staff, other_staff }
}

impl District {
    /// A case registered at the desk as a 12345 call, in Lianhua.
    async fn register(&self, category: &str, description: &str) -> i64 {
        let form = Form::new()
            .text("channel", "hotline12345")
            .text("urgency", "urgent")
            .text("category", category.to_string())
            .text("description", description.to_string())
            .text("area_id", self.lianhua.to_string());
        let r = self.op.post("/api/cases/register").multipart(form).send().await.expect("answered");
        let receipt: Receipt = decode_ok("register", r).await;
        receipt.id
    }

    async fn sweep(&self, at: i64) -> usize {
        server::scheduler::sweep_at(&self.app.db, self.app.effects(), at).await
    }

    async fn due(&self, case: i64, column: &str) -> i64 {
        self.app.count(&format!("SELECT {column} FROM emergencies WHERE case_id = {case}")).await
    }
}

fn report<'a>(case: &'a str, stage: &'a str, deaths: &'a str, injured: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("case_id", case),
        ("stage", stage),
        ("summary", "耿山村河段漫堤，农田被淹，部分村民被困"),
        ("place", "莲花镇耿山村"),
        ("occurred", "2026-12-01T08:30"),
        ("deaths", deaths),
        ("injured", injured),
        ("missing", "0"),
        ("measures", "已转移群众 40 人，抢险队到场"),
    ]
}

async fn a_flood_through_12345_in_a_township_that_reported_nothing_raises_a_hidden_report_warning(app: TestApp) {
    let d = district(app).await;
    let mut phone = d.town_staff.events(None).await;
    let before = now_ms();
    let case = d.register("emergency-flood", "耿山村河水漫堤，村民被困").await;
    // Opened at intake for the township, with the default deadlines from receipt.
    assert_eq!(d.app.count(&format!("SELECT unit_id FROM emergencies WHERE case_id = {case}")).await, d.town);
    let quick_due = d.due(case, "quick_due").await;
    let received = d.app.count(&format!("SELECT received_at FROM cases WHERE id = {case}")).await;
    assert!(received >= before);
    assert_eq!((quick_due - received, d.due(case, "written_due").await - received), (30 * MIN, 60 * MIN));
    let n = phone.next().await;
    assert_eq!((n.kind.as_str(), n.case_id, n.text.as_deref()), (kind::EMERGENCY, case, Some("declared")));

    let mut board = d.leader.events(None).await;
    assert_eq!(d.sweep(quick_due).await, 0, "a report filed at the deadline would be on time: nothing yet");
    assert_eq!(d.sweep(quick_due + 1).await, 1, "missed and hidden one millisecond after");
    assert_eq!(d.due(case, "quick_missed_at").await, quick_due + 1);
    assert_eq!(d.due(case, "hidden_at").await, quick_due + 1);
    assert_eq!(d.app.count("SELECT COUNT(*) FROM risk_warnings WHERE rule = 'hidden_report'").await, 1);
    let mut seen = Vec::new();
    for _ in 0..3 {
        let n = board.next().await;
        seen.push((n.kind.clone(), n.text.clone()));
    }
    assert!(seen.contains(&(kind::EMERGENCY.to_string(), Some("missed:quick".into()))), "{seen:?}");
    assert!(seen.contains(&(kind::EMERGENCY.to_string(), Some("hidden".into()))), "{seen:?}");
    assert!(seen.iter().any(|(k, _)| k == kind::RISK), "{seen:?}");
    assert_eq!(d.sweep(quick_due + MIN).await, 0, "once");
    board.assert_quiet(Duration::from_millis(300)).await;

    // The township reports a second flood at once; a 12345 call about the same event, on a
    // case of its own, is missed when nobody reports on it, but not hidden.
    let reported = d.register("emergency-flood", "耿山村再次漫堤").await;
    let r = d.town_staff.call("field/emergency/file", &report(&reported.to_string(), "quick", "0", "2")).await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap_or_default());
    let echo = d.register("emergency-flood", "村民来电：耿山村漫堤").await;
    let echo_due = d.due(echo, "quick_due").await;
    assert_eq!(d.sweep(echo_due + 1).await, 1);
    assert_eq!(d.due(echo, "quick_missed_at").await, echo_due + 1);
    assert_eq!(d.app.count(&format!("SELECT COUNT(*) FROM emergencies WHERE case_id = {echo} AND hidden_at IS NOT NULL")).await, 0);
    assert_eq!(d.app.count("SELECT COUNT(*) FROM risk_warnings WHERE rule = 'hidden_report'").await, 1);

    // The center's record of the township.
    let b: Board = d.leader.ok("center/emergency/board", &[]).await;
    let t = b.tallies.iter().find(|t| t.unit_id == d.town).expect("the township's record");
    assert_eq!((t.emergencies, t.reports, t.missed, t.hidden, t.late), (3, 1, 2, 1, 0), "two quick reports missed, one hidden");
    assert_eq!(b.rows.len(), 3);
    // And the week's bulletin (通报) carries the same record.
    let sup_id = d.app.user("sup.qian", Role::Supervisor, None).await;
    let sup = app::domain::case::Actor::staff(sup_id, Role::Supervisor, None);
    let week = Period::containing(PeriodKind::Week, now_ms());
    let id = app::service::bulletins::draft_at(&d.app.db, &AuditActor::default(), &sup, &week.code(), now_ms()).await.expect("drafted");
    let v = app::service::bulletins::get(&d.app.db, &sup, id).await.expect("the bulletin");
    let line = v.bulletin.figures.emergencies.iter().find(|t| t.unit_id == d.town).expect("the township in the bulletin");
    assert_eq!((line.emergencies, line.missed, line.hidden), (3, 2, 1));

    // And the evaluation (考评) of the month they were opened in: the center reads every unit's
    // record beside the scores, a unit only its own; the workbook carries it on a second sheet.
    let opened = d.app.count("SELECT MIN(opened_at) FROM emergencies").await;
    let month = Period::containing(PeriodKind::Month, opened).code();
    let e: EvaluationPage = d.leader.ok("field/evaluation/page", &[("period", &month)]).await;
    let line = e.emergencies.iter().find(|t| t.unit_id == d.town).expect("the township in the evaluation");
    assert_eq!((line.emergencies, line.reports, line.missed, line.hidden), (3, 1, 2, 1));
    let own: EvaluationPage = d.town_staff.ok("field/evaluation/page", &[("period", &month)]).await;
    assert_eq!(own.emergencies.iter().map(|t| t.unit_id).collect::<Vec<_>>(), [d.town], "a unit reads its own record");
    let other: EvaluationPage = d.other_staff.ok("field/evaluation/page", &[("period", &month)]).await;
    assert!(other.emergencies.iter().all(|t| t.unit_id == d.other_town), "and no other unit's");
    let r = d.leader.get(&format!("/center/evaluation/export.xlsx?period={month}")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap();
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx");
    use calamine::Reader;
    let sheet = book.worksheet_range_at(1).expect("a second sheet").expect("readable");
    let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(rows.len(), 1 + e.emergencies.len(), "a heading and a row per unit");
    let township = ["莲花镇人民政府", "3", "1", "0", "2", "1", "0"].map(String::from).to_vec();
    assert!(rows.contains(&township), "{rows:?}");
    // The bulletin's workbook carries it on its third sheet.
    let r = d.leader.get(&format!("/center/supervision/bulletins/{id}/export.xlsx")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap();
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx");
    let sheet = book.worksheet_range_at(2).expect("a third sheet").expect("readable");
    assert!(sheet.rows().any(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>() == township));
}

async fn late_reports_count_once_and_contradicting_versions_are_flagged_for_the_leader(app: TestApp) {
    let d = district(app).await;
    let case = d.register("emergency-flood", "耿山村河水漫堤").await;
    let id = case.to_string();
    // Refusals change nothing.
    let (status, e) = d.other_staff.refused("field/emergency/file", &report(&id, "quick", "0", "1")).await;
    assert_eq!((status, e), (StatusCode::FORBIDDEN, AppError::Emergency(EmergencyError::NotYourUnit)));
    let (status, e) = d.town_staff.refused("field/emergency/file", &report(&id, "written", "0", "1")).await;
    assert_eq!((status, e), (StatusCode::CONFLICT, AppError::Emergency(EmergencyError::StageOrder)));
    let mut bad = report(&id, "quick", "0", "1");
    bad[2].1 = "  ";
    let (status, e) = d.town_staff.refused("field/emergency/file", &bad).await;
    assert_eq!((status, e), (StatusCode::UNPROCESSABLE_ENTITY, AppError::Emergency(EmergencyError::TextRequired)));
    let mut future = report(&id, "quick", "0", "1");
    future[4].1 = "2099-01-01T00:00";
    assert_eq!(d.town_staff.refused("field/emergency/file", &future).await.1, AppError::Emergency(EmergencyError::BadTime));
    assert_eq!(d.app.count("SELECT COUNT(*) FROM emergency_reports").await, 0);

    // The quick report in time; the written one after its deadline (moved into the past).
    let _: () = d.town_staff.ok("field/emergency/file", &report(&id, "quick", "0", "3")).await;
    d.app.count(&format!("UPDATE emergencies SET written_due = {}, next_due = NULL WHERE case_id = {case} RETURNING 0", now_ms() - MIN)).await;
    let _: () = d.town_staff.ok("field/emergency/file", &report(&id, "written", "1", "2")).await;
    // A correction: the death lowered again, the injured back up.
    let _: () = d.town_staff.ok("field/emergency/file", &report(&id, "written", "0", "4")).await;
    let detail: Detail = d.leader.ok("field/emergency/detail", &[("case_id", &id)]).await;
    let versions: Vec<(Stage, u32, bool, Vec<FactFlag>)> =
        detail.reports.iter().map(|v| (v.report.stage, v.report.version, v.report.late, v.report.flags.clone())).collect();
    assert_eq!(
        versions,
        vec![
            (Stage::Quick, 1, false, vec![]),
            (Stage::Written, 1, true, vec![]),
            (Stage::Written, 2, false, vec![FactFlag::DeathsLowered, FactFlag::DownThenUp]),
        ]
    );
    assert_eq!((detail.row.unchecked, detail.row.flagged, detail.may_check, detail.may_write), (3, 1, true, false));
    let b: Board = d.op.ok("center/emergency/board", &[]).await;
    let t = b.tallies.iter().find(|t| t.unit_id == d.town).expect("record");
    assert_eq!((t.reports, t.late, t.flagged), (3, 1, 1), "the late stage counted once");

    // The leader checks the flagged version; once; an operator may not.
    let flagged = detail.reports[2].report.id.to_string();
    assert_eq!(d.op.refused("center/emergency/check", &[("report_id", &flagged)]).await.0, StatusCode::FORBIDDEN);
    let _: () = d.leader.ok("center/emergency/check", &[("report_id", &flagged), ("note", "已电话核实：死亡人数以续报为准")]).await;
    let (status, e) = d.leader.refused("center/emergency/check", &[("report_id", &flagged)]).await;
    assert_eq!((status, e), (StatusCode::CONFLICT, AppError::Emergency(EmergencyError::AlreadyChecked)));
    let detail: Detail = d.town_staff.ok("field/emergency/detail", &[("case_id", &id)]).await;
    assert_eq!(
        (detail.reports[2].checker.as_deref(), detail.reports[2].report.check_note.as_deref()),
        (Some("lead.wu 的名字"), Some("已电话核实：死亡人数以续报为准"))
    );
    assert!(detail.may_write);
    // Another township sees nothing of it.
    assert_eq!(d.other_staff.refused("field/emergency/detail", &[("case_id", &id)]).await.0, StatusCode::FORBIDDEN);

    // The final report closes the reporting.
    let _: () = d.town_staff.ok("field/emergency/file", &report(&id, "final", "0", "4")).await;
    let (status, e) = d.town_staff.refused("field/emergency/file", &report(&id, "follow_up", "0", "4")).await;
    assert_eq!((status, e), (StatusCode::CONFLICT, AppError::Emergency(EmergencyError::Closed)));
}

async fn an_operator_marks_a_case_and_its_deadlines_follow_the_category_and_level(app: TestApp) {
    let d = district(app).await;
    let set = |category: &'static str, level: &'static str, quick: &'static str, written: &'static str| {
        vec![("category", category), ("level", level), ("quick", quick), ("written", written)]
    };
    let _: () = d.leader.ok("center/emergency/deadlines", &set("construction-damage", "ii", "10", "20")).await;
    let (status, e) = d.leader.refused("center/emergency/deadlines", &set("", "", "40", "30")).await;
    assert_eq!((status, e), (StatusCode::UNPROCESSABLE_ENTITY, AppError::Emergency(EmergencyError::BadDeadlines)));
    assert_eq!(d.op.refused("center/emergency/deadlines", &set("", "", "20", "30")).await.0, StatusCode::FORBIDDEN);

    let case = d.register("construction-damage", "施工塌方，两名工人被埋").await;
    assert_eq!(d.app.count(&format!("SELECT COUNT(*) FROM emergencies WHERE case_id = {case}")).await, 0, "not an emergency by its kind");
    let id = case.to_string();
    assert_eq!(d.town_staff.refused("center/emergency/declare", &[("case_id", &id), ("level", "ii")]).await.0, StatusCode::FORBIDDEN);
    // The case page offers the operator the marking, with the units that may report.
    let card: CaseEmergency = d.op.ok("field/emergency/of_case", &[("case_id", &id)]).await;
    assert!(card.row.is_none() && card.may_declare);
    assert!(card.units.iter().any(|(u, name)| *u == d.town && name == "莲花镇人民政府"), "{:?}", card.units);
    let card: CaseEmergency = d.town_staff.ok("field/emergency/of_case", &[("case_id", &id)]).await;
    assert!(card.row.is_none() && !card.may_declare && card.units.is_empty());
    let marked = now_ms();
    let _: () = d.op.ok("center/emergency/declare", &[("case_id", &id), ("level", "ii")]).await;
    let quick_due = d.due(case, "quick_due").await;
    assert!((marked + 10 * MIN..=now_ms() + 10 * MIN).contains(&quick_due), "ten minutes from the marking");
    assert_eq!(d.due(case, "written_due").await - quick_due, 10 * MIN);
    assert_eq!(d.app.count(&format!("SELECT unit_id FROM emergencies WHERE case_id = {case}")).await, d.town);
    let card: CaseEmergency = d.town_staff.ok("field/emergency/of_case", &[("case_id", &id)]).await;
    assert_eq!(card.row.map(|r| (r.emergency.level, r.unit)), Some((Level::Major, "莲花镇人民政府".to_string())));
    // Regraded to level IV and handed to the other township: the default deadlines.
    let other = d.other_town.to_string();
    let _: () = d.op.ok("center/emergency/declare", &[("case_id", &id), ("level", "iv"), ("unit_id", &other)]).await;
    assert_eq!(d.due(case, "quick_due").await - quick_due, 20 * MIN);
    assert_eq!(d.app.count(&format!("SELECT unit_id FROM emergencies WHERE case_id = {case}")).await, d.other_town);
    let b: Board = d.leader.ok("center/emergency/board", &[]).await;
    assert_eq!(b.rules.len(), 1);
    assert!(b.may_set_deadlines);
}
