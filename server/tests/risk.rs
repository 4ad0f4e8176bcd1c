//! Risk warnings and dispute mediation through the server: the demo's noise cluster raises
//! one warning at the intake that completes it (pushed live to the center) and the next
//! report joins it; a commander assesses it, handles it through a palm command launched from
//! its case, and closes it; bad steps are refused and change nothing. A dispute mediated at
//! its first session counts towards the first-time resolution rate until the same person
//! reports it again. The administrator's settings are checked, and a replay counts what
//! they would raise. On both databases.
#[macro_use]
mod common;

use app::domain::mediation::{Mediation, MediationError, RateReport};
use app::domain::org::{AreaLevel, Role, UnitKind};
use app::domain::risk::figures::RiskFigures;
use app::domain::risk::{Level, ReplayReport, RiskError, Rule, Setting, Settings, Status, WarningDetail, WarningPage};
use app::error::AppError;
use app::service::{AuditActor, org};
use common::{Browser, TestApp, decode_err, decode_ok};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use std::time::Duration;

on_both_backends!(
    a_cluster_raises_one_warning_that_is_assessed_handled_through_a_palm_command_and_closed,
    a_rereported_dispute_lowers_the_first_time_rate,
    settings_are_checked_and_a_replay_counts_what_they_would_raise,
);

const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01, 0x01, 0x00];

struct Org {
    app: TestApp,
    desk: Browser,
    commander: Browser,
    town: Browser,
    town_unit: i64,
    village: i64,
}

async fn org(app: TestApp) -> Org {
    let area = |parent: Option<i64>, level: AreaLevel, name: &'static str| {
        let db = app.db.clone();
        async move { org::save_area(&db, &AuditActor::default(), None, parent, Some(level), name).await.expect("area") }
    };
    let district = area(None, AreaLevel::District, "衢江区").await;
    let lianhua = area(Some(district), AreaLevel::Township, "莲花镇").await;
    let village = area(Some(lianhua), AreaLevel::Village, "西山下村").await;
    let unit = |name: &'static str, kind: UnitKind, area: Option<i64>| {
        let db = app.db.clone();
        async move { org::save_unit(&db, &AuditActor::default(), None, &org::UnitInput { name, kind, area_id: area, phone: "" }).await.expect("unit") }
    };
    let center = unit("区社会治理中心", UnitKind::Center, None).await;
    let town_unit = unit("莲花镇人民政府", UnitKind::TownshipGovernment, Some(lianhua)).await;
    app.user("op.li", Role::Operator, Some(center)).await;
    app.user("cmd.zhao", Role::Commander, Some(center)).await;
    app.user("admin.z", Role::Admin, None).await;
    app.user("town", Role::UnitStaff, Some(town_unit)).await;
    let (desk, commander, town) = (app.signed_in("op.li").await, app.signed_in("cmd.zhao").await, app.signed_in("town").await);
    Org { app, desk, commander, town, town_unit, village }
}

async fn file(desk: &Browser, category: &str, title: &str, village: i64, phone: Option<&str>) -> i64 {
    let mut form = Form::new()
        .text("channel", "hotline12345")
        .text("category", category.to_string())
        .text("area_id", village.to_string())
        .text("title", title.to_string())
        .text("description", format!("{title}，请尽快处理。"));
    if let Some(p) = phone {
        form = form.text("reporter_name", "王某").text("reporter_phone", p.to_string());
    }
    let r: app::domain::Receipt = decode_ok("register", desk.post("/api/cases/register").multipart(form).send().await.expect("answered")).await;
    r.id
}

async fn warnings(b: &Browser, showing: &str) -> WarningPage {
    b.ok("center/risk/page", &[("showing", showing), ("rule", ""), ("after", ""), ("township", "")]).await
}

async fn a_cluster_raises_one_warning_that_is_assessed_handled_through_a_palm_command_and_closed(app: TestApp) {
    let o = org(app).await;
    let mut feed = o.commander.events(None).await;
    let title = "西山下村夜间施工噪音扰民";
    let first = file(&o.desk, "noise", title, o.village, None).await;
    file(&o.desk, "noise", title, o.village, None).await;
    assert!(warnings(&o.commander, "all").await.warnings.is_empty(), "two cases are not a cluster");
    let third = file(&o.desk, "noise", title, o.village, None).await;
    let page = warnings(&o.commander, "open").await;
    assert_eq!(page.warnings.len(), 1, "the third case completes the cluster: one warning");
    let w = &page.warnings[0];
    assert_eq!((w.rule, w.status, w.title.as_str(), w.township.as_deref()), (Rule::Cluster, Status::Raised, "噪音扰民", Some("莲花镇")));
    assert_eq!((page.figures.raised, page.figures.open, page.figures.unassessed), (1, 1, 1));
    // Pushed live: the center hears of the warning after the third case's own notice.
    let mut kinds = vec![];
    while let Some(n) = feed.next_within(Duration::from_secs(2)).await {
        kinds.push((n.kind.clone(), n.case_id));
        if n.kind == "risk" {
            break;
        }
    }
    assert_eq!(kinds.last(), Some(&("risk".to_string(), third)), "{kinds:?}");

    let fourth = file(&o.desk, "noise", title, o.village, None).await;
    let page = warnings(&o.commander, "all").await;
    assert_eq!(page.warnings.len(), 1, "the fourth joins the same warning");
    let id = page.warnings[0].id.to_string();
    let d: WarningDetail = o.commander.ok("center/risk/get", &[("id", &id)]).await;
    let mut evidence: Vec<i64> = d.evidence.iter().map(|e| e.case_id).collect();
    evidence.sort();
    assert_eq!(evidence.first(), Some(&first));
    assert_eq!((evidence.len(), evidence.last()), (4, Some(&fourth)));

    // Refused steps change nothing: an operator may not assess; nothing is handled before
    // it is assessed; an assessment needs its note.
    let act = |step: &'static str, extra: Vec<(&'static str, String)>| {
        let mut f = vec![("id", id.clone()), ("step", step.to_string())];
        f.extend(extra);
        f
    };
    let call = async |b: &Browser, fields: Vec<(&'static str, String)>| {
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        b.call("center/risk/act", &refs).await
    };
    let (status, e) = decode_err("operator assesses", call(&o.desk, act("assess", vec![("level", "red".into()), ("text", "x".into())])).await).await;
    assert_eq!((status, e), (StatusCode::FORBIDDEN, AppError::Risk(RiskError::NotAllowed)));
    let (status, e) = decode_err("handle first", call(&o.commander, act("handle", vec![("code", "X".into())])).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e:?}");
    let (status, e) = decode_err("no note", call(&o.commander, act("assess", vec![("level", "orange".into()), ("text", " ".into())])).await).await;
    assert_eq!((status, e), (StatusCode::UNPROCESSABLE_ENTITY, AppError::Risk(RiskError::NoteRequired)));
    let d: WarningDetail = o.commander.ok("center/risk/get", &[("id", &id)]).await;
    assert_eq!((d.warning.status, d.warning.level), (Status::Raised, None));

    // Assessed, handled through a palm command launched on the third case, closed.
    let r = call(&o.commander, act("assess", vec![("level", "orange".into()), ("text", "同一厂房夜间施工，一周内四次投诉".into())])).await;
    assert!(r.status().is_success(), "{}", r.text().await.unwrap_or_default());
    let third_code: String = sqlx::query_scalar("SELECT code FROM cases WHERE id = $1").bind(third).fetch_one(&o.app.db.pool).await.expect("code");
    let r = call(&o.commander, act("handle", vec![("code", third_code.to_lowercase()), ("launch", "1".into())])).await;
    assert!(r.status().is_success(), "{}", r.text().await.unwrap_or_default());
    let d: WarningDetail = o.commander.ok("center/risk/get", &[("id", &id)]).await;
    assert_eq!((d.warning.status, d.warning.handled_case), (Status::Handled, Some(third)));
    assert_eq!(d.handled, Some((third_code, true)), "the palm command runs on the handling case");
    let town_holds = o.app.count(&format!("SELECT COUNT(*) FROM case_units WHERE case_id = {third} AND unit_id = {} AND current = 1", o.town_unit)).await;
    assert_eq!(town_holds, 1, "the township leads the task force");
    let r = call(&o.commander, act("close", vec![("text", "已责令停止夜间施工，居民回访满意".into())])).await;
    assert!(r.status().is_success());
    let (status, _) = decode_err("closed twice", call(&o.commander, act("dismiss", vec![("text", "x".into())])).await).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let page = warnings(&o.commander, "finished").await;
    assert_eq!((page.warnings.len(), page.warnings[0].level, page.figures.open), (1, Some(Level::Orange), 0));
    assert_eq!(page.figures.by_level.iter().find(|t| t.key == "orange").map(|t| t.n), Some(1));
    assert_eq!(o.app.count("SELECT COUNT(*) FROM audit_events WHERE kind = 'risk_warning_step'").await, 3);
    // The wall counts it too.
    let screen: app::domain::screen::Screen = o.commander.ok("center/screen", &[]).await;
    assert_eq!(screen.risk.raised, 1);
    // A unit's staff cannot read the center's warnings.
    let (status, _) = o.town.refused("center/risk/page", &[("showing", "all"), ("rule", ""), ("after", "")]).await;
    assert!(status == StatusCode::FORBIDDEN || status == StatusCode::UNAUTHORIZED, "{status}");
}

async fn mediate(town: &Browser, case: i64, fields: &[(&str, &str)], photo: bool) -> reqwest::Response {
    let mut form = Form::new().text("case_id", case.to_string());
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    if photo {
        form = form.part("photo", Part::bytes(JPEG.to_vec()).file_name("协议.jpg"));
    }
    town.post("/api/cases/mediation/act").multipart(form).send().await.expect("answered")
}

async fn a_rereported_dispute_lowers_the_first_time_rate(app: TestApp) {
    let o = org(app).await;
    let op = app_actor(&o, "op.li").await;
    let dispute = file(&o.desk, "dispute-land", "西山下村两户宅基地界址纠纷", o.village, Some("13800002222")).await;
    app::service::cases::execute(
        &o.app.db,
        o.app.effects(),
        &op,
        dispute,
        app::domain::case::CaseCommand::Dispatch { lead: o.town_unit, cooperating: vec![] },
        vec![],
    )
    .await
    .expect("dispatched");
    // A noise case has no mediation.
    let noise = file(&o.desk, "noise", "广场舞噪音", o.village, None).await;
    let (status, e) = decode_err("not a dispute", mediate(&o.desk, noise, &[("step", "open")], false).await).await;
    assert_eq!((status, e), (StatusCode::CONFLICT, AppError::Mediation(MediationError::NotADispute)));
    // The township's mediator, on the phone: opens the record, one session, the agreement.
    let open = [
        ("step", "open"),
        ("party_name", "王某"),
        ("party_phone", "13800002222"),
        ("party_name", "李某"),
        ("party_phone", ""),
        ("mediator", "陈建国"),
        ("mediator_org", "西山下村人民调解委员会"),
    ];
    let r = mediate(&o.town, dispute, &open, false).await;
    assert!(r.status().is_success(), "{}", r.text().await.unwrap_or_default());
    let now = app::domain::clock::minute_string(app::store::now_ms());
    let session = [("step", "session"), ("at", now.as_str()), ("place", "村调委会"), ("outcome", "agreed"), ("minutes", "双方同意以原界址为准")];
    assert!(mediate(&o.town, dispute, &session, false).await.status().is_success());
    let (status, e) = decode_err("no photo", mediate(&o.town, dispute, &[("step", "agree"), ("agreement", "以原界址为准砌墙")], false).await).await;
    assert_eq!((status, e), (StatusCode::UNPROCESSABLE_ENTITY, AppError::Mediation(MediationError::PhotoRequired)));
    assert!(mediate(&o.town, dispute, &[("step", "agree"), ("agreement", "以原界址为准砌墙")], true).await.status().is_success());
    let (m, may): (Option<Mediation>, bool) = o.town.ok("cases/mediation/get", &[("case_id", &dispute.to_string())]).await;
    let m = m.expect("recorded");
    assert!(may);
    assert_eq!((m.sessions.len(), m.outcome.map(|o| o.code()), m.agreement_photo.is_some()), (1, Some("first_time"), true));
    assert_eq!(m.parties[0].phone_masked.as_deref(), Some("138****2222"), "phones are shown masked");
    let rate = async |b: &Browser| -> RateReport { b.ok("center/mediation/rate", &[("from", ""), ("to", "")]).await };
    let r = rate(&o.commander).await;
    assert_eq!((r.rate.part, r.rate.whole, r.lines.len()), (1, 1, 1));
    assert_eq!(r.by_township, vec![("莲花镇".to_string(), app::domain::screen::Rate { part: 1, whole: 1 })]);

    // The same person reports the dispute again: it no longer counts as resolved first time.
    let again = file(&o.desk, "dispute-land", "宅基地纠纷又起", o.village, Some("138-0000-2222")).await;
    let r = rate(&o.commander).await;
    assert_eq!((r.rate.part, r.rate.whole), (0, 1));
    assert!(r.lines[0].rereported);
    let (m, _): (Option<Mediation>, bool) = o.commander.ok("cases/mediation/get", &[("case_id", &dispute.to_string())]).await;
    assert_eq!(m.expect("record").rereported_by, Some(again));
    let screen: app::domain::screen::Screen = o.commander.ok("center/screen", &[]).await;
    assert_eq!((screen.risk.first_time.part, screen.risk.first_time.whole), (0, 1));
    // A closed mediation takes no more sessions.
    let (status, e) = decode_err("after the end", mediate(&o.town, dispute, &session, false).await).await;
    assert_eq!((status, e), (StatusCode::CONFLICT, AppError::Mediation(MediationError::Closed)));
}

async fn app_actor(o: &Org, username: &str) -> app::domain::case::Actor {
    let id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = $1").bind(username).fetch_one(&o.app.db.pool).await.expect("user");
    let (role, unit): (String, Option<i64>) =
        sqlx::query_as("SELECT role, unit_id FROM users WHERE id = $1").bind(id).fetch_one(&o.app.db.pool).await.expect("user");
    app::domain::case::Actor::staff(id, role.parse().expect("role"), unit)
}

async fn settings_are_checked_and_a_replay_counts_what_they_would_raise(app: TestApp) {
    let o = org(app).await;
    let admin = o.app.signed_in("admin.z").await;
    for (i, t) in ["多名业主聚集维权", "某工地拖欠20余名农民工工资", "拖欠3名工人工资"].iter().enumerate() {
        file(&o.desk, "risk-mass", t, o.village, Some(&format!("1390000000{i}"))).await;
    }
    let page = warnings(&o.commander, "all").await;
    assert_eq!(page.warnings.iter().filter(|w| w.rule == Rule::Mass).count(), 2, "the crowd of three is no mass incident");
    let form = |cases: &str, intent: &'static str| {
        vec![
            ("form[cluster_on]", "1".to_string()),
            ("form[cluster_cases]", cases.to_string()),
            ("form[cluster_radius]", "300".into()),
            ("form[cluster_hours]", "168".into()),
            ("form[repeat_on]", "1".into()),
            ("form[mass_on]", "1".into()),
            ("form[repeat_cases]", "3".into()),
            ("form[repeat_days]", "30".into()),
            ("form[mass_words]", "聚集，集体上访".into()),
            ("form[mass_count_words]", "工资".into()),
            ("form[mass_people]", "10".into()),
            ("intent", intent.into()),
            ("from", app::domain::clock::day_string(app::store::now_ms() - 86_400_000)),
            ("to", app::domain::clock::day_string(app::store::now_ms())),
        ]
    };
    let send = async |fields: Vec<(&'static str, String)>| {
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        admin.call("admin/risk/settings/submit", &refs).await
    };
    let (status, e) = decode_err("cluster of one", send(form("1", "save")).await).await;
    assert_eq!((status, e), (StatusCode::UNPROCESSABLE_ENTITY, AppError::Risk(RiskError::BadSetting(Setting::ClusterCases))));
    let (status, _) = decode_err("not a number", send(form("三", "save")).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _): (Settings, i64) = admin.ok("admin/risk/settings", &[]).await;
    assert_eq!(s, Settings::default(), "refused settings change nothing");
    // A replay of the typed settings (the emergency and command rules switched off).
    let r: app::ui::risk::api::SettingsOutcome = decode_ok("replay", send(form("3", "replay")).await).await;
    let app::ui::risk::api::SettingsOutcome::Replayed(r) = r else { panic!("a replay") };
    let r: ReplayReport = r;
    assert_eq!(r.cases, 3);
    assert_eq!(r.counts.iter().find(|(rule, _)| *rule == Rule::Mass), Some(&(Rule::Mass, 2)));
    assert_eq!(r.counts.iter().find(|(rule, _)| *rule == Rule::Cluster), Some(&(Rule::Cluster, 1)), "three of one category in one village");
    assert_eq!(r.counts.iter().find(|(rule, _)| *rule == Rule::Repeat), Some(&(Rule::Repeat, 0)), "three phones, no place");
    let saved: app::ui::risk::api::SettingsOutcome = decode_ok("save", send(form("4", "save")).await).await;
    assert!(matches!(saved, app::ui::risk::api::SettingsOutcome::Saved(ref s) if s.cluster.min_cases == 4 && !s.emergency_overdue));
    assert_eq!(o.app.count("SELECT COUNT(*) FROM audit_events WHERE kind = 'risk_settings_saved'").await, 1);
    let (status, _) = o.commander.refused("admin/risk/settings", &[]).await;
    assert!(status == StatusCode::FORBIDDEN || status == StatusCode::UNAUTHORIZED);
    let f: RiskFigures = page.figures;
    assert_eq!(f.by_rule.iter().find(|t| t.key == "mass").map(|t| t.n), Some(2));
}
