//! Evaluation (考评) through the server: a month's scores made from the marks of two cases'
//! histories, each dimension's rate and the weighted total, the cases behind a figure
//! matching its denominator, a unit reading only its own line, the administrator's weights,
//! and a closed month whose ranking neither a later change dated in it nor new weights alter.
#[macro_use]
mod common;

use app::domain::case::{Actor, CaseCommand};
use app::domain::evaluation::{Dimension, DrillDown, EvaluationPage, Weights};
use app::domain::org::{Role, UnitKind};
use app::domain::period::{Period, PeriodKind};
use app::domain::report::ReportError;
use app::error::AppError;
use app::service::{AuditActor, cases, evaluation, org};
use common::{TestApp, decode_ok};
use reqwest::StatusCode;
use reqwest::multipart::Form;

on_both_backends!(a_months_scores_come_from_the_records_drill_down_to_their_cases_and_freeze,);

const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;

async fn a_months_scores_come_from_the_records_drill_down_to_their_cases_and_freeze(app: TestApp) {
    let unit = |name: &'static str, kind: UnitKind| {
        let db = app.db.clone();
        async move { org::save_unit(&db, &AuditActor::default(), None, &org::UnitInput { name, kind, area_id: None, phone: "" }).await.expect("unit") }
    };
    let center = unit("区社会治理中心", UnitKind::Center).await;
    let town = unit("莲花镇人民政府", UnitKind::ResidentDepartment).await;
    let water = unit("区水务集团", UnitKind::ResidentDepartment).await;
    let op = Actor::staff(app.user("op.li", Role::Operator, Some(center)).await, Role::Operator, Some(center));
    let sup = Actor::staff(app.user("sup.fang", Role::Supervisor, Some(center)).await, Role::Supervisor, Some(center));
    app.user("lead.wu", Role::Leader, Some(center)).await;
    app.user("admin.z", Role::Admin, None).await;
    let town_staff = Actor::staff(app.user("town.staff", Role::UnitStaff, Some(town)).await, Role::UnitStaff, Some(town));
    let water_staff = Actor::staff(app.user("water.staff", Role::UnitStaff, Some(water)).await, Role::UnitStaff, Some(water));
    let desk = app.signed_in("op.li").await;
    let report = async |title: &str| -> i64 {
        let form = Form::new()
            .text("channel", "hotline12345")
            .text("category", "construction-damage")
            .text("title", title.to_string())
            .text("description", "施工致房屋墙面开裂");
        let r: app::domain::Receipt = decode_ok("register", desk.post("/api/cases/register").multipart(form).send().await.expect("answered")).await;
        r.id
    };
    // The stories happen early in this month, on the injected clock, whatever today's date.
    let month = Period::containing(PeriodKind::Month, app::store::now_ms());
    let t0 = month.start_ms + HOUR;
    let fx = app.effects();
    let run = async |by: &Actor, id: i64, cmd: CaseCommand, at: i64| {
        cases::execute_at(&app.db, fx, by, id, cmd.clone(), vec![], at).await.unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    };

    // A: the township leads, the water group cooperates and signs late; resolved in time and
    // the resident is satisfied at the first follow-up.
    let a = report("村道管网破裂").await;
    run(&op, a, CaseCommand::Dispatch { lead: town, cooperating: vec![water] }, t0).await;
    run(&town_staff, a, CaseCommand::Sign { unit: town }, t0 + MIN).await;
    run(&water_staff, a, CaseCommand::Sign { unit: water }, t0 + 20 * MIN).await;
    run(&water_staff, a, CaseCommand::FinishPart { unit: water }, t0 + 30 * MIN).await;
    run(&town_staff, a, CaseCommand::Resolve { unit: town, result: "管网已修复".into() }, t0 + HOUR).await;
    run(&op, a, CaseCommand::Verify, t0 + 2 * HOUR).await;
    run(&op, a, CaseCommand::RecordFollowUp { satisfied: Some(true), comment: None }, t0 + 3 * HOUR).await;
    // B: the township signs, then sends it back.
    let b = report("不属本镇的事件").await;
    run(&op, b, CaseCommand::Dispatch { lead: town, cooperating: vec![] }, t0 + 10 * MIN).await;
    run(&town_staff, b, CaseCommand::Sign { unit: town }, t0 + 11 * MIN).await;
    run(&town_staff, b, CaseCommand::Return { unit: town, reason: "不属于本镇职责".into() }, t0 + 20 * MIN).await;

    let now = t0 + 4 * HOUR;
    let e = evaluation::evaluation_at(&app.db, &sup, &month.code(), now).await.expect("evaluated");
    assert_eq!(e.weights, Weights::default());
    let names: Vec<(usize, &str)> = e.ranking.iter().map(|(r, u)| (*r, u.unit.as_str())).collect();
    assert_eq!(names, [(1, "莲花镇人民政府"), (2, "区水务集团")]);
    let (_, t) = &e.ranking[0];
    let dim = |d| t.dimension(d).map(|s| (s.numerator, s.denominator, s.score)).unwrap();
    assert_eq!(dim(Dimension::AckOnTime), (2, 2, Some(100.0)));
    assert_eq!(dim(Dimension::ResolvedOnTime), (1, 1, Some(100.0)));
    assert_eq!(dim(Dimension::Satisfaction), (1, 1, Some(100.0)));
    assert_eq!(dim(Dimension::FirstTime), (1, 1, Some(100.0)));
    assert_eq!(dim(Dimension::Cooperation), (0, 0, None));
    assert_eq!(dim(Dimension::Rework), (1, 2, Some(50.0)));
    // (100 × 15 + 100 × 25 + 100 × 25 + 100 × 15 + 50 × 10) ÷ 90: cooperation had no case.
    assert!((t.total.unwrap() - 8500.0 / 90.0).abs() < 1e-9, "{:?}", t.total);
    let (_, w) = &e.ranking[1];
    assert_eq!(w.dimension(Dimension::AckOnTime).map(|s| (s.numerator, s.denominator)), Some((0, 1)), "signed after five minutes");
    assert_eq!(w.dimension(Dimension::Cooperation).and_then(|s| s.score), Some(100.0));
    assert!((w.total.unwrap() - 2000.0 / 35.0).abs() < 1e-9);

    // Every figure's cases: as many as its denominator, and the counted ones as its numerator.
    let supervisor = app.signed_in("sup.fang").await;
    let code = month.code();
    let drill = async |who: &common::Browser, unit: i64, d: Dimension| -> DrillDown {
        who.ok("field/evaluation/drill", &[("period", code.as_str()), ("unit", &unit.to_string()), ("dimension", d.code())]).await
    };
    let rework = drill(&supervisor, town, Dimension::Rework).await;
    assert_eq!((rework.base_total, rework.base.len(), rework.counted_total), (2, 2, 1));
    assert_eq!(rework.counted[0].case_id, b);
    let ack = drill(&supervisor, water, Dimension::AckOnTime).await;
    assert_eq!((ack.base_total, ack.counted_total, ack.base[0].case_id, ack.base[0].hit), (1, 0, a, false));

    // A unit reads its own line and its place, and no other unit's cases.
    let phone = app.signed_in("water.staff").await;
    let own: EvaluationPage = phone.ok("field/evaluation/page", &[("period", code.as_str())]).await;
    assert_eq!((own.evaluation.ranking.len(), own.evaluation.ranked, own.may_freeze), (1, 2, false));
    assert_eq!(own.evaluation.ranking[0].1.unit_id, water);
    let (status, _) = phone.refused("field/evaluation/drill", &[("period", code.as_str()), ("unit", &town.to_string()), ("dimension", "rework")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, err) = supervisor.refused("field/evaluation/page", &[("period", "month-2026-13")]).await;
    assert_eq!((status, err), (StatusCode::UNPROCESSABLE_ENTITY, AppError::Report(ReportError::BadPeriod("month-2026-13".into()))));

    // Closing: only when the month is over, by the supervision office or a leader, once.
    let (status, _) = desk.refused("center/evaluation/freeze", &[("period", code.as_str())]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(evaluation::freeze_at(&app.db, &AuditActor::default(), &sup, &code, now).await, Err(AppError::Report(ReportError::NotOver)));
    let after = month.end_ms + MIN;
    evaluation::freeze_at(&app.db, &AuditActor::default(), &sup, &code, after).await.expect("closed");
    assert_eq!(evaluation::freeze_at(&app.db, &AuditActor::default(), &sup, &code, after).await, Err(AppError::Report(ReportError::Frozen)));
    let frozen = evaluation::evaluation_at(&app.db, &sup, &code, after).await.unwrap();
    assert!(frozen.frozen_ms.is_some());
    assert_eq!(frozen.ranking, e.ranking, "closing keeps the scores as they were");

    // A change dated inside the closed month (the water group returns a case) and new weights
    // leave the closed month's ranking as it was.
    let c = report("另一件管网事件").await;
    run(&op, c, CaseCommand::Dispatch { lead: water, cooperating: vec![] }, t0 + 5 * HOUR).await;
    run(&water_staff, c, CaseCommand::Return { unit: water, reason: "请改派".into() }, t0 + 5 * HOUR + MIN).await;
    let admin = app.signed_in("admin.z").await;
    let fields = [("w0", "50"), ("w1", "10"), ("w2", "10"), ("w3", "10"), ("w4", "10"), ("w5", "10")];
    let saved: Weights = admin.ok("admin/evaluation/weights", &fields).await;
    assert_eq!(saved.0, [50, 10, 10, 10, 10, 10]);
    let (status, err) = admin.refused("admin/evaluation/weights", &[("w0", "0"), ("w1", "0"), ("w2", "0"), ("w3", "0"), ("w4", "0"), ("w5", "0")]).await;
    assert_eq!((status, err), (StatusCode::UNPROCESSABLE_ENTITY, AppError::Report(ReportError::BadWeights)));
    let (status, _) = supervisor.refused("admin/evaluation/weights", &fields).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let still = evaluation::evaluation_at(&app.db, &sup, &code, after + MIN).await.unwrap();
    assert_eq!((still.ranking, still.weights), (e.ranking.clone(), Weights::default()));
    // The live figures did move: the water group's dispatches and returns of the month.
    let live = evaluation::evaluation_at(&app.db, &sup, &Period::containing(PeriodKind::Year, t0).code(), after).await.unwrap();
    let water_live = live.ranking.iter().find(|(_, u)| u.unit_id == water).unwrap();
    assert_eq!(water_live.1.dimension(Dimension::Rework).map(|s| (s.numerator, s.denominator)), Some((1, 2)));

    // The workbook: a title row, a header and one row per unit ranked.
    let r = supervisor.get(&format!("/center/evaluation/export.xlsx?period={code}")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap();
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx");
    use calamine::Reader;
    let sheet = book.worksheet_range_at(0).expect("a sheet").expect("readable");
    assert_eq!(sheet.height(), 2 + e.ranking.len());
    assert_eq!(sheet.get_value((2, 1)).map(|c| c.to_string()), Some("莲花镇人民政府".to_string()));
    assert_eq!(supervisor.get("/center/evaluation/export.xlsx?period=nonsense").await.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
