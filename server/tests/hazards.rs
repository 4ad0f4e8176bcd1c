//! The safety hazard register (隐患清单) through the server: a hazard found on a joint
//! inspection goes found → rectifying → checked → ticked off, each step by the unit whose step
//! it is, with photos served only to those who may see it; supervision rises; the scheduler's
//! sweep at an injected time flags a hazard overdue one millisecond after its deadline, once;
//! the register counts per domain and township, scopes a unit to its own hazards and exports.
#[macro_use]
mod common;

use app::domain::Receipt;
use app::domain::clock::{DAY_MS, day_string};
use app::domain::hazard::{CaseHazards, HazardDetail, HazardError, HazardOptions, HazardStatus, Register, StepKind};
use app::domain::notice::kind;
use app::domain::org::{AreaLevel, Role, UnitKind};
use app::error::AppError;
use app::service::{AuditActor, now_ms, org};
use common::{Browser, PASSWORD, TestApp, decode_err, decode_ok};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

on_both_backends!(
    a_hazard_on_a_joint_inspection_goes_from_found_to_ticked_off_with_photos,
    a_hazard_is_flagged_overdue_one_millisecond_after_its_deadline_once,
    bad_hazards_and_steps_are_refused_and_change_nothing,
    a_hazard_recorded_from_a_case_starts_from_it_and_is_listed_on_the_case,
);

const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01, 0x01, 0x00];

struct District {
    app: TestApp,
    lianhua: i64,
    town: i64,
    safety: i64,
    fire: i64,
    op: Browser,
    sup: Browser,
    town_staff: Browser,
    safety_staff: Browser,
    fire_staff: Browser,
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
    let other = unit("高家镇人民政府", UnitKind::TownshipGovernment, Some(gaojia)).await;
    let safety = unit("区应急管理局", UnitKind::ResidentDepartment, None).await;
    let fire = unit("区消防救援大队", UnitKind::ResidentDepartment, None).await;
    app.user("desk.op", Role::Operator, Some(center)).await;
    app.user("sup.li", Role::Supervisor, Some(center)).await;
    app.user("town01", Role::UnitStaff, Some(town)).await;
    app.user("safety01", Role::UnitStaff, Some(safety)).await;
    app.user("fire01", Role::UnitStaff, Some(fire)).await;
    app.user("gaojia01", Role::UnitStaff, Some(other)).await;
    District {
        op: signed_in(&app, "desk.op").await,
        sup: signed_in(&app, "sup.li").await,
        town_staff: signed_in(&app, "town01").await,
        safety_staff: signed_in(&app, "safety01").await,
        fire_staff: signed_in(&app, "fire01").await,
        other_staff: signed_in(&app, "gaojia01").await,
        app,
        lianhua,
        town,
        safety,
        fire,
    }
}

fn photo(name: &str) -> Part {
    Part::bytes(JPEG.to_vec()).file_name(name.to_string()).mime_str("image/jpeg").expect("mime")
}

impl District {
    /// The form of a fire hazard in Lianhua for the township to rectify by `deadline`,
    /// inspected by the fire brigade (and the recorder's own unit).
    fn hazard_form(&self, title: &str, deadline: &str) -> Form {
        self.form_for(title, deadline, self.town)
    }

    fn form_for(&self, title: &str, deadline: &str, unit: i64) -> Form {
        Form::new()
            .text("title", title.to_string())
            .text("domain", "fire")
            .text("level", "major")
            .text("source", "unannounced")
            .text("place", "莲花镇农贸市场东侧")
            .text("area_id", self.lianhua.to_string())
            .text("lat", "28.93")
            .text("lng", "118.96")
            .text("unit", unit.to_string())
            .text("enterprise", "莲花农贸市场管理公司")
            .text("measures", "清理消防通道堆放物，设置禁停标识")
            .text("deadline", deadline.to_string())
            .text("inspector", self.fire.to_string())
    }

    async fn record(&self, by: &Browser, form: Form) -> reqwest::Response {
        by.post("/api/field/hazards/record").multipart(form).send().await.expect("answered")
    }

    async fn act(&self, by: &Browser, id: i64, step: &str, text: &str, photos: Vec<Part>) -> reqwest::Response {
        let mut form = Form::new().text("id", id.to_string()).text("step", step.to_string()).text("text", text.to_string());
        for p in photos {
            form = form.part("photo", p);
        }
        by.post("/api/field/hazards/act").multipart(form).send().await.expect("answered")
    }

    async fn ok_act(&self, by: &Browser, id: i64, step: &str, text: &str, photos: Vec<Part>) {
        let r = self.act(by, id, step, text, photos).await;
        assert_eq!(r.status(), StatusCode::OK, "{step}: {}", r.text().await.unwrap_or_default());
    }

    async fn refused_act(&self, by: &Browser, id: i64, step: &str, text: &str, photos: Vec<Part>) -> (StatusCode, AppError) {
        decode_err(step, self.act(by, id, step, text, photos).await).await
    }

    async fn status(&self, id: i64) -> HazardStatus {
        let d: HazardDetail = self.op.ok("field/hazards/detail", &[("id", &id.to_string())]).await;
        d.row.hazard.status
    }

    async fn register(&self, by: &Browser, fields: &[(&str, &str)]) -> Register {
        let mut f = fields.to_vec();
        if !fields.iter().any(|(k, _)| *k == "filter[open]") {
            f.push(("filter[open]", "false"));
        }
        by.ok("field/hazards/register", &f).await
    }

    async fn count(&self) -> i64 {
        self.app.count("SELECT COUNT(*) FROM hazards").await + self.app.count("SELECT COUNT(*) FROM hazard_events").await
    }
}

fn in_days(n: i64) -> String {
    day_string(now_ms() + n * DAY_MS)
}

async fn a_hazard_on_a_joint_inspection_goes_from_found_to_ticked_off_with_photos(app: TestApp) {
    let d = district(app).await;
    let mut town_feed = d.town_staff.events(None).await;
    let form = d.hazard_form("农贸市场消防通道堵塞", &in_days(7)).part("photo", photo("通道.jpg"));
    let id: i64 = decode_ok("record", d.record(&d.safety_staff, form).await).await;
    // The recorder's own unit is on the inspection with the one ticked: a joint inspection.
    let units = d.app.count(&format!("SELECT COUNT(*) FROM hazard_inspectors WHERE hazard_id = {id} AND unit_id IN ({}, {})", d.safety, d.fire)).await;
    assert_eq!(units, 2);
    assert_eq!(d.app.count(&format!("SELECT township_id FROM hazards WHERE id = {id}")).await, d.lianhua, "its township from its area");
    let n = town_feed.next().await;
    assert_eq!((n.kind.as_str(), n.text.clone()), (kind::HAZARD, Some(format!("found:{id}"))));

    // Each step is the right unit's: the township rectifies, the inspectors check and tick off.
    assert_eq!(d.refused_act(&d.safety_staff, id, "rectify", "已清理", vec![]).await.1, AppError::Hazard(HazardError::NotYourStep));
    assert_eq!(d.refused_act(&d.other_staff, id, "rectify", "已清理", vec![]).await.0, StatusCode::NOT_FOUND, "another township sees nothing");
    let town_view: HazardDetail = d.town_staff.ok("field/hazards/detail", &[("id", &id.to_string())]).await;
    assert_eq!(town_view.steps, vec![StepKind::Rectify, StepKind::Progress]);
    d.ok_act(&d.town_staff, id, "rectify", "组织市场管理方清理堆放物", vec![]).await;
    assert_eq!(d.status(id).await, HazardStatus::Rectifying);
    assert_eq!(d.refused_act(&d.town_staff, id, "check_passed", "", vec![]).await.1, AppError::Hazard(HazardError::NotYourStep), "no unit checks itself");
    d.ok_act(&d.town_staff, id, "progress", "", vec![photo("进展.jpg")]).await;

    // The supervision office puts it under tracking, then lists it; supervision only rises.
    assert_eq!(d.refused_act(&d.op, id, "tracking", "", vec![]).await.1, AppError::Hazard(HazardError::NotYourStep), "an operator does not supervise");
    d.ok_act(&d.sup, id, "tracking", "每周报进展", vec![]).await;
    d.ok_act(&d.sup, id, "listed", "挂牌督办", vec![]).await;
    assert_eq!(d.refused_act(&d.sup, id, "tracking", "", vec![]).await.0, StatusCode::CONFLICT);
    let listed = d.register(&d.op, &[("filter[watch]", "listed")]).await;
    assert_eq!(listed.total, 1);

    // The check on site: failed needs what is still wrong; the other inspecting unit passes it.
    assert_eq!(d.refused_act(&d.safety_staff, id, "check_failed", " ", vec![]).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    d.ok_act(&d.safety_staff, id, "check_failed", "东侧仍有三轮车停放", vec![]).await;
    assert_eq!(d.status(id).await, HazardStatus::Rectifying);
    d.ok_act(&d.fire_staff, id, "check_passed", "通道畅通", vec![]).await;
    assert_eq!(d.status(id).await, HazardStatus::Checked);

    // 销号 needs photos; refused without, and nothing changes.
    let events = d.count().await;
    assert_eq!(d.refused_act(&d.fire_staff, id, "tick_off", "", vec![]).await.1, AppError::Hazard(HazardError::PhotosRequired));
    assert_eq!((d.count().await, d.status(id).await), (events, HazardStatus::Checked));
    d.ok_act(&d.fire_staff, id, "tick_off", "整改到位，予以销号", vec![photo("整改后1.jpg"), photo("整改后2.jpg")]).await;
    assert_eq!(d.status(id).await, HazardStatus::TickedOff);
    assert_eq!(d.refused_act(&d.town_staff, id, "progress", "x", vec![]).await.0, StatusCode::CONFLICT, "closed");

    // The history, with each step's photos, served to those who may see the hazard only.
    let detail: HazardDetail = d.town_staff.ok("field/hazards/detail", &[("id", &id.to_string())]).await;
    let kinds: Vec<StepKind> = detail.events.iter().map(|e| e.kind).collect();
    use StepKind::*;
    assert_eq!(kinds, vec![Found, Rectify, Progress, Watch, Watch, CheckFailed, CheckPassed, TickOff]);
    assert_eq!(detail.events.iter().map(|e| e.photos.len()).collect::<Vec<_>>(), vec![1, 0, 1, 0, 0, 0, 0, 2]);
    assert_eq!(detail.row.hazard.watch, Some(app::domain::hazard::Watch::Listed));
    assert!(detail.steps.is_empty());
    assert_eq!(detail.inspectors.len(), 2);
    let p = detail.events.last().expect("tick off").photos[0];
    let r = d.town_staff.get(&format!("/files/hazard/{p}")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/jpeg");
    assert_eq!(d.other_staff.get(&format!("/files/hazard/{p}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(d.app.browser().get(&format!("/files/hazard/{p}")).await.status(), StatusCode::SEE_OTHER, "signed out: to the sign-in page");
    assert_eq!(d.app.count("SELECT COUNT(*) FROM audit_events WHERE kind = 'hazard_recorded'").await, 8);

    // The register: counted per domain and township; a unit sees only its own hazards.
    let all = d.register(&d.op, &[]).await;
    let fire = all.by_domain.iter().find(|t| t.key == "fire").expect("fire");
    assert_eq!((fire.total, fire.open, fire.ticked_off), (1, 0, 1));
    assert_eq!(all.by_township.iter().map(|t| (t.name.as_str(), t.total)).collect::<Vec<_>>(), vec![("莲花镇", 1)]);
    assert_eq!(d.register(&d.op, &[("filter[open]", "true")]).await.total, 0, "the open list leaves it out");
    assert_eq!(d.register(&d.other_staff, &[]).await.total, 0);
    assert_eq!(d.register(&d.town_staff, &[]).await.total, 1);

    // The export on the same filter: the center's only.
    let r = d.op.get("/center/hazards/export.xlsx?open=0&domain=fire").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"].to_str().unwrap_or_default().contains("spreadsheetml"));
    assert!(r.bytes().await.expect("body").starts_with(b"PK"));
    assert_eq!(d.op.get("/center/hazards/export.xlsx?domain=weather").await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_ne!(d.town_staff.get("/center/hazards/export.xlsx").await.status(), StatusCode::OK);
}

async fn a_hazard_is_flagged_overdue_one_millisecond_after_its_deadline_once(app: TestApp) {
    let d = district(app).await;
    let late: i64 = decode_ok("record", d.record(&d.safety_staff, d.hazard_form("加油站防火间距不足", &in_days(1))).await).await;
    let in_time: i64 = decode_ok("record", d.record(&d.safety_staff, d.hazard_form("仓库灭火器过期", &in_days(1))).await).await;
    d.ok_act(&d.town_staff, in_time, "rectify", "更换灭火器", vec![]).await;
    d.ok_act(&d.fire_staff, in_time, "check_passed", "已更换", vec![]).await;
    let deadline = d.app.count(&format!("SELECT deadline_at FROM hazards WHERE id = {late}")).await;
    assert_eq!(day_string(deadline), in_days(1), "the end of the day chosen");
    assert_eq!(day_string(deadline + 1), in_days(2));

    let mut feed = d.op.events(None).await;
    let sweep = |at: i64| server::scheduler::sweep_at(&d.app.db, d.app.effects(), at);
    assert_eq!(sweep(deadline).await, 0, "at the deadline it is still in time");
    assert_eq!(sweep(deadline + 1).await, 1, "overdue one millisecond after; the checked one is not");
    assert_eq!(d.app.count(&format!("SELECT overdue_at FROM hazards WHERE id = {late}")).await, deadline + 1);
    assert_eq!(d.app.count(&format!("SELECT COUNT(*) FROM hazards WHERE id = {in_time} AND overdue_at IS NULL")).await, 1);
    let n = feed.next().await;
    assert_eq!((n.kind.as_str(), n.text.clone()), (kind::HAZARD, Some(format!("overdue:{late}"))));
    assert_eq!(sweep(deadline + DAY_MS).await, 0, "once");
    let detail: HazardDetail = d.op.ok("field/hazards/detail", &[("id", &late.to_string())]).await;
    assert_eq!(detail.events.last().map(|e| e.kind), Some(StepKind::Overdue));
    // The overdue are the ones past their deadline now: none yet on the real clock.
    assert_eq!(d.register(&d.op, &[("filter[overdue]", "true")]).await.total, 0);
}

async fn bad_hazards_and_steps_are_refused_and_change_nothing(app: TestApp) {
    let d = district(app).await;
    let before = d.count().await;
    let bad = [
        (d.hazard_form("", &in_days(3)), StatusCode::UNPROCESSABLE_ENTITY, "no title"),
        (d.hazard_form("路口视线遮挡", &in_days(-1)), StatusCode::UNPROCESSABLE_ENTITY, "a deadline in the past"),
        (d.hazard_form("路口视线遮挡", "2026-13-40"), StatusCode::UNPROCESSABLE_ENTITY, "no such day"),
        (d.hazard_form("路口视线遮挡", &in_days(3)).text("case_code", "NOPE01"), StatusCode::UNPROCESSABLE_ENTITY, "unknown case"),
    ];
    for (form, status, why) in bad {
        let (s, _) = decode_err(why, d.record(&d.safety_staff, form).await).await;
        assert_eq!(s, status, "{why}");
    }
    let no_domain = Form::new()
        .text("title", "x")
        .text("domain", "weather")
        .text("place", "p")
        .text("measures", "m")
        .text("deadline", in_days(3))
        .text("inspector", d.fire.to_string());
    assert_eq!(decode_err("domain", d.record(&d.op, no_domain).await).await.1, AppError::Hazard(HazardError::UnknownCode("weather".into())));
    let no_unit = d.form_for("路口视线遮挡", &in_days(3), 999_999);
    let (s, _) = decode_err("unit", d.record(&d.op, no_unit).await).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let not_an_image = d.hazard_form("路口视线遮挡", &in_days(3)).part("photo", Part::bytes(b"MZ\x90\x00".to_vec()).file_name("x.jpg"));
    let (s, _) = decode_err("file", d.record(&d.safety_staff, not_an_image).await).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(d.count().await, before, "nothing kept");
    assert_eq!(std::fs::read_dir(&d.app.effects().files_dir).map(|r| r.count()).unwrap_or(0), 0, "no file left behind");
    assert_eq!(d.app.browser().call("field/hazards/detail", &[("id", "1")]).await.status(), StatusCode::UNAUTHORIZED, "signed out");
    let r = d.refused_act(&d.town_staff, 424242, "rectify", "x", vec![]).await;
    assert_eq!(r.0, StatusCode::NOT_FOUND);
}

async fn a_hazard_recorded_from_a_case_starts_from_it_and_is_listed_on_the_case(app: TestApp) {
    let d = district(app).await;
    let call = Form::new()
        .text("channel", "hotline12345")
        .text("urgency", "normal")
        .text("category", "risk-safety")
        .text("title", "农贸市场消防通道被占")
        .text("description", "市民来电：农贸市场东侧消防通道长期堆放杂物。")
        .text("address", "莲花镇农贸市场东侧")
        .text("area_id", d.lianhua.to_string())
        .text("lat", "28.930000")
        .text("lng", "118.960000");
    let receipt: Receipt = decode_ok("register", d.op.post("/api/cases/register").multipart(call).send().await.expect("answered")).await;
    let case = receipt.id.to_string();

    // The form opened from the case starts from its code, title, place and point.
    let o: HazardOptions = d.op.ok("field/hazards/options", &[("case", &case)]).await;
    let from = o.from_case.expect("started from the case");
    assert_eq!((from.title.as_str(), from.place.as_str(), from.area_id), ("农贸市场消防通道被占", "莲花镇农贸市场东侧", Some(d.lianhua)));
    assert_eq!(from.point.map(|p| (p.lat_e6, p.lng_e6)), Some((28_930_000, 118_960_000)));
    let plain: HazardOptions = d.op.ok("field/hazards/options", &[("case", "0")]).await;
    assert_eq!(plain.from_case, None);
    // Another township's staff, who cannot see the case, are not shown it.
    let (status, _) = d.other_staff.refused("field/hazards/options", &[("case", &case)]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Before: the case's card only offers to record one.
    let card: CaseHazards = d.op.ok("field/hazards/of_case", &[("case", &case)]).await;
    assert!(card.rows.is_empty() && card.may_record);
    // Recorded under the case's code, it is on the case for the center and the responsible
    // township, and not for another township; the register filters on the case.
    let form = d.hazard_form("农贸市场消防通道堵塞", &in_days(7)).text("case_code", from.code.clone());
    let id: i64 = decode_ok("record", d.record(&d.op, form).await).await;
    let other: i64 = decode_ok("record", d.record(&d.op, d.hazard_form("另一处隐患", &in_days(7))).await).await;
    let card: CaseHazards = d.op.ok("field/hazards/of_case", &[("case", &case)]).await;
    assert_eq!(card.rows.iter().map(|r| r.hazard.id).collect::<Vec<_>>(), [id], "only the hazard of this case, not {other}");
    let town: CaseHazards = d.town_staff.ok("field/hazards/of_case", &[("case", &case)]).await;
    assert_eq!(town.rows.len(), 1);
    let elsewhere: CaseHazards = d.other_staff.ok("field/hazards/of_case", &[("case", &case)]).await;
    assert!(elsewhere.rows.is_empty());
    assert_eq!(d.register(&d.op, &[("filter[case_id]", &case)]).await.total, 1);
}
