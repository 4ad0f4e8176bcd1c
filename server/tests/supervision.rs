//! Supervision (督办) through the server: the scheduler's warnings at 70 % and 90 %, the
//! automatic reminder at the deadline and the listing proposal after it, each once and again
//! once after a restart; a palm command's unsigned unit taken to the commander and the
//! center's leader at 10:00; and the supervision office's ladder — reminder, tracking,
//! listing, tick-off — with the list, its filters and its export.
#[macro_use]
mod common;

use app::domain::case::{CaseDetail, CaseError, Change, CommandKind, DEFAULT_ACK_MS, DEFAULT_ESCALATE_AGAIN_MS, DEFAULT_LIST_AFTER_MS, SlaLevel, Trigger};
use app::domain::clock::minute_string;
use app::domain::notice::kind;
use app::domain::org::{Role, UnitKind};
use app::domain::supervision::SupervisionPage;
use app::error::AppError;
use app::service::{AuditActor, org};
use common::{Browser, PASSWORD, TestApp, decode_err, decode_ok};
use reqwest::StatusCode;
use reqwest::multipart::Form;

on_both_backends!(
    the_clock_warns_reminds_and_proposes_listing_each_once_across_a_restart,
    a_command_unit_unsigned_at_ten_minutes_goes_to_the_commander_and_the_centers_leader_once,
    the_supervisor_climbs_the_ladder_and_ticks_off_only_after_the_result,
    a_bulletin_is_made_from_the_records_published_once_and_reaches_every_unit,
);

struct Desk {
    app: TestApp,
    town: i64,
    rail: i64,
    commander_id: i64,
    leader_id: i64,
    supervisor_id: i64,
    operator: Browser,
    supervisor: Browser,
    town_phone: Browser,
    rail_phone: Browser,
}

async fn signed_in(app: &TestApp, username: &str) -> Browser {
    let b = app.browser();
    b.sign_in(username, PASSWORD).await;
    b
}

async fn desk(app: TestApp) -> Desk {
    let unit = |name: &'static str, kind: UnitKind| {
        let db = app.db.clone();
        async move { org::save_unit(&db, &AuditActor::default(), None, &org::UnitInput { name, kind, area_id: None, phone: "" }).await.expect("unit") }
    };
    let center = unit("区社会治理中心", UnitKind::Center).await;
    let town = unit("莲花镇人民政府", UnitKind::ResidentDepartment).await;
    let rail = unit("区铁路轨道交通建设管理中心", UnitKind::ResidentDepartment).await;
    let commander_id = app.user("cmd.zhou", Role::Commander, Some(center)).await;
    let leader_id = app.user("lead.wu", Role::Leader, Some(center)).await;
    // A leader outside the center is not the center's leader on duty.
    app.user("lead.town", Role::Leader, Some(town)).await;
    app.user("op.li", Role::Operator, Some(center)).await;
    let supervisor_id = app.user("sup.fang", Role::Supervisor, Some(center)).await;
    app.user("town.staff", Role::UnitStaff, Some(town)).await;
    app.user("rail.staff", Role::UnitStaff, Some(rail)).await;
    Desk {
        operator: signed_in(&app, "op.li").await,
        supervisor: signed_in(&app, "sup.fang").await,
        town_phone: signed_in(&app, "town.staff").await,
        rail_phone: signed_in(&app, "rail.staff").await,
        app,
        town,
        rail,
        commander_id,
        leader_id,
        supervisor_id,
    }
}

fn act(id: i64, command: CommandKind) -> Form {
    Form::new().text("id", id.to_string()).text("command", command.code())
}

async fn post(b: &Browser, form: Form) -> reqwest::Response {
    b.post("/api/cases/act").multipart(form).send().await.expect("answered")
}

async fn act_ok(b: &Browser, form: Form) {
    let r = post(b, form).await;
    assert!(r.status().is_success(), "refused: {}", r.text().await.unwrap_or_default());
}

impl Desk {
    async fn report(&self, title: &str) -> i64 {
        let form = Form::new()
            .text("channel", "hotline12345")
            .text("category", "construction-damage")
            .text("title", title.to_string())
            .text("description", "施工致房屋墙面开裂，村民多次反映");
        let receipt: app::domain::Receipt =
            decode_ok("register", self.operator.post("/api/cases/register").multipart(form).send().await.expect("answered")).await;
        receipt.id
    }

    /// Registered and dispatched to the township, which signs.
    async fn dispatched(&self, title: &str) -> i64 {
        let id = self.report(title).await;
        act_ok(&self.operator, act(id, CommandKind::Dispatch).text("lead", self.town.to_string())).await;
        act_ok(&self.town_phone, act(id, CommandKind::Sign)).await;
        id
    }

    async fn detail(&self, id: i64) -> CaseDetail {
        decode_ok("detail", self.operator.call("cases/detail", &[("id", &id.to_string())]).await).await
    }

    /// The list at one rung ("all" for every one), as the page asks for it.
    async fn list(&self, who: &Browser, stage: &str) -> SupervisionPage {
        let fields: Vec<(&str, &str)> = if stage == "all" { vec![("filter[page]", "0")] } else { vec![("filter[stage]", stage)] };
        who.ok("center/supervision/list", &fields).await
    }

    async fn sweep(&self, at: i64) -> usize {
        server::scheduler::sweep_at(&self.app.db, self.app.effects(), at).await
    }
}

fn count(d: &CaseDetail, what: impl Fn(&Change) -> bool) -> usize {
    d.timeline.iter().filter(|e| what(&e.change)).count()
}

async fn the_clock_warns_reminds_and_proposes_listing_each_once_across_a_restart(app: TestApp) {
    let f = desk(app).await;
    let id = f.dispatched("杭衢铁路施工致耿山村房屋开裂").await;
    let sla = f.detail(id).await.case.sla;
    let (t70, t90, late) = (sla.threshold_ms(70), sla.threshold_ms(90), sla.deadline_ms() + 1);
    let proposal = sla.deadline_ms() + DEFAULT_LIST_AFTER_MS + 1;
    let mut phone = f.town_phone.events(None).await;

    assert_eq!(f.sweep(t70 - 1).await, 0, "69.99 %: nothing yet");
    assert_eq!(f.sweep(t70).await, 1, "70 %: warned");
    let n = phone.next().await;
    assert_eq!((n.kind.as_str(), n.units.clone(), n.case_id), (kind::WARNED, vec![f.town], id));
    assert!(n.rings(Some(f.town)), "the township's phone rings");
    assert_eq!(f.sweep(t70 + 1).await, 0, "once");
    assert_eq!(f.sweep(t90).await, 1, "90 %: warned again");
    assert_eq!(phone.next().await.kind, kind::WARNED);
    // A restart: a fresh scheduler's first pass at the same instant finds nothing new.
    assert_eq!(f.sweep(t90).await, 0);
    assert_eq!(f.sweep(late - 1).await, 0, "the deadline itself is on time");
    assert_eq!(f.sweep(late).await, 1, "overdue: reminded automatically");
    let n = phone.next().await;
    assert_eq!((n.kind.as_str(), n.units.clone()), (kind::SUPERVISED, vec![f.town]));
    assert_eq!(f.sweep(late + 60_000).await, 0);
    assert_eq!(f.sweep(proposal - 1).await, 0);
    assert_eq!(f.sweep(proposal).await, 1, "a day overdue: proposed for listing");
    assert_eq!(f.sweep(proposal + 3_600_000).await, 0);

    let d = f.detail(id).await;
    assert_eq!(count(&d, |c| matches!(c, Change::Warned { level: SlaLevel::Warn70, .. })), 1);
    assert_eq!(count(&d, |c| matches!(c, Change::Warned { level: SlaLevel::Warn90, .. })), 1);
    assert_eq!(count(&d, |c| matches!(c, Change::Reminded { trigger: Some(Trigger::Overdue), .. })), 1);
    assert_eq!(count(&d, |c| matches!(c, Change::ListingProposed { .. })), 1);
    assert_eq!(d.case.next_alarm_ms(proposal), None, "nothing more is due on its own");
    // The proposal waits on the supervision office's list for a decision.
    let proposed = f.list(&f.supervisor, "proposed").await;
    assert_eq!((proposed.total, proposed.rows[0].case_id), (1, id));
    assert_eq!(app::service::cases::verify_history(&f.app.db).await.unwrap().1, vec![]);
}

async fn a_command_unit_unsigned_at_ten_minutes_goes_to_the_commander_and_the_centers_leader_once(app: TestApp) {
    let f = desk(app).await;
    let id = f.report("夜间施工噪音扰民").await;
    let commander = signed_in(&f.app, "cmd.zhou").await;
    let launch =
        act(id, CommandKind::Launch).text("commander", f.commander_id.to_string()).text("lead", f.town.to_string()).text("cooperating", f.rail.to_string());
    act_ok(&commander, launch).await;
    act_ok(&f.town_phone, act(id, CommandKind::Sign)).await;
    let launched = f.detail(id).await.case.task_force.unwrap().launched_ms;
    let mut board = commander.events(None).await;

    assert_eq!(f.sweep(launched + DEFAULT_ACK_MS + 1).await, 1, "5:00: the unit's own staff");
    assert_eq!(board.next().await.kind, kind::ESCALATED);
    let n = board.next().await;
    assert_eq!((n.kind.as_str(), n.case_id), (kind::RISK, id), "a unit unsigned at escalation raises a risk warning");
    assert_eq!(f.sweep(launched + DEFAULT_ESCALATE_AGAIN_MS).await, 0, "10:00 itself: not yet");
    assert_eq!(f.sweep(launched + DEFAULT_ESCALATE_AGAIN_MS + 1).await, 1, "past 10:00: the commander and the leader");
    let n = board.next().await;
    assert_eq!((n.kind.as_str(), n.units.clone()), (kind::ESCALATED, vec![f.rail]));
    assert_eq!(f.sweep(launched + DEFAULT_ESCALATE_AGAIN_MS + 2).await, 0, "once");
    assert_eq!(f.sweep(launched + 20 * 60_000).await, 0, "and not again later");

    let d = f.detail(id).await;
    let further: Vec<_> = d
        .timeline
        .iter()
        .filter_map(|e| if let Change::EscalatedFurther { units, to } = &e.change { Some((units.clone(), to.clone())) } else { None })
        .collect();
    let mut to = vec![f.commander_id, f.leader_id];
    to.sort_unstable();
    assert_eq!(further, vec![(vec![f.rail], to)], "the commander and the center's leader, not a township's");
    assert!(d.people.iter().any(|(u, _)| *u == f.leader_id), "the leader is named on the timeline");
    let a = d.case.current(f.rail).unwrap();
    assert_eq!(a.escalated_again_ms, Some(launched + DEFAULT_ESCALATE_AGAIN_MS + 1));
}

async fn the_supervisor_climbs_the_ladder_and_ticks_off_only_after_the_result(app: TestApp) {
    let f = desk(app).await;
    let id = f.dispatched("村道塌陷未修复").await;
    let other = f.dispatched("另一件未督办的事件").await;
    let mut phone = f.town_phone.events(None).await;
    let mut rail = f.rail_phone.events(None).await;

    // Only the supervision office and leaders supervise; the desk and the units do not.
    for who in [&f.operator, &f.town_phone] {
        let (status, _) = decode_err("remind", post(who, act(id, CommandKind::Remind).text("text", "请加快")).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    act_ok(&f.supervisor, act(id, CommandKind::Remind).text("text", "请于今日内上报整改方案")).await;
    let n = phone.next().await;
    assert_eq!((n.kind.as_str(), n.text.as_deref()), (kind::SUPERVISED, Some("请于今日内上报整改方案")));
    rail.assert_quiet(std::time::Duration::from_millis(200)).await;

    let now = app::store::now_ms();
    let before = f.detail(id).await.timeline.len();
    let (status, err) =
        decode_err("past date", post(&f.supervisor, act(id, CommandKind::Track).text("due", minute_string(now - 3_600_000)).text("text", "x")).await).await;
    assert_eq!((status, err), (StatusCode::UNPROCESSABLE_ENTITY, AppError::Case(CaseError::BadSupervisionDate)));
    let (status, _) = decode_err("no date", post(&f.supervisor, act(id, CommandKind::Track).text("due", "明天").text("text", "x")).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(f.detail(id).await.timeline.len(), before, "a refused step changes nothing");
    act_ok(&f.supervisor, act(id, CommandKind::Track).text("due", minute_string(now + 2 * 3_600_000)).text("text", "每日18时前反馈进展")).await;
    assert_eq!(phone.next().await.kind, kind::SUPERVISED);

    let listing = act(id, CommandKind::List)
        .text("deadline", minute_string(now + 3 * 86_400_000))
        .text("leader", "王建国 副区长")
        .text("reason", "群众反复投诉，超期未办结");
    act_ok(&f.supervisor, listing).await;
    assert_eq!(phone.next().await.kind, kind::SUPERVISED);
    let again = act(id, CommandKind::List).text("deadline", minute_string(now + 86_400_000)).text("leader", "x").text("reason", "x");
    let (status, err) = decode_err("listed twice", post(&f.supervisor, again).await).await;
    assert_eq!((status, err), (StatusCode::CONFLICT, AppError::Case(CaseError::AlreadyListed)));

    let listed = f.list(&f.supervisor, "listed").await;
    assert_eq!(listed.total, 1);
    assert_eq!((listed.rows[0].case_id, listed.rows[0].leader.as_deref(), listed.rows[0].reminders), (id, Some("王建国 副区长"), 1));
    assert!(!listed.rows.iter().any(|r| r.case_id == other));
    // By the unit that leads the case: the list keeps the lead unit on its own row.
    let town = f.town.to_string();
    let by_unit: SupervisionPage = f.supervisor.ok("center/supervision/list", &[("filter[page]", "0"), ("filter[unit_id]", town.as_str())]).await;
    assert_eq!((by_unit.total, by_unit.rows[0].case_id), (1, id));
    let rail = f.rail.to_string();
    let none: SupervisionPage = f.supervisor.ok("center/supervision/list", &[("filter[page]", "0"), ("filter[unit_id]", rail.as_str())]).await;
    assert_eq!(none.total, 0, "the railway unit leads no supervised case");
    let leader = signed_in(&f.app, "lead.wu").await;
    assert_eq!(f.list(&leader, "all").await.total, 1, "leaders read the list too");
    let (status, _) = f.town_phone.refused("center/supervision/list", &[("filter[stage]", "listed")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let tick = || act(id, CommandKind::TickOff).text("note", "现场核查：道路已修复通行");
    let (status, err) = decode_err("tick off early", post(&f.supervisor, tick()).await).await;
    assert_eq!((status, err), (StatusCode::CONFLICT, AppError::Case(CaseError::NoResultYet)));
    act_ok(&f.town_phone, act(id, CommandKind::Resolve).text("result", "已完成修复并通车")).await;
    assert_eq!(f.list(&f.supervisor, "listed").await.total, 1, "resolved, still listed until ticked off");
    act_ok(&f.supervisor, tick()).await;
    assert_eq!(f.list(&f.supervisor, "listed").await.total, 0, "off the list");
    let done = f.list(&f.supervisor, "ticked_off").await;
    assert_eq!((done.total, done.rows[0].case_id), (1, id));
    assert!(done.rows[0].ticked_off_ms.is_some());

    // The export carries what the page shows, row for row.
    let r = f.supervisor.get("/center/supervision/export.xlsx?stage=ticked_off").await;
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap();
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx");
    use calamine::Reader;
    let sheet = book.worksheet_range_at(0).expect("a sheet").expect("readable");
    assert_eq!(sheet.height(), 1 + done.total as usize, "a header and one row per case");
    assert_eq!(sheet.get_value((1, 0)).map(|c| c.to_string()), Some(done.rows[0].code.clone()));
    assert_eq!(f.town_phone.get("/center/supervision/export.xlsx").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(f.supervisor.get("/center/supervision/export.xlsx?stage=bogus").await.status(), StatusCode::BAD_REQUEST);
    let d = f.detail(id).await;
    assert!(count(&d, |c| matches!(c, Change::TickedOff { .. })) == 1);
    assert_eq!(app::service::cases::verify_history(&f.app.db).await.unwrap().1, vec![]);
}

/// 通报: a week's bulletin drafted from the records (an overdue case, a return, a listed
/// case), commented, published to every unit live, and unchanged after that.
async fn a_bulletin_is_made_from_the_records_published_once_and_reaches_every_unit(app: TestApp) {
    use app::domain::bulletin::{Bulletin, BulletinView, BulletinsPage, ListedState};
    use app::domain::case::Actor;
    use app::domain::period::{Period, PeriodKind};
    use app::domain::report::ReportError;
    let f = desk(app).await;
    // Five minutes to resolve: the case is overdue ten minutes from now.
    let cat = app::service::categories::all(&f.app.db).await.unwrap().into_iter().find(|c| c.code == "construction-damage").unwrap();
    let terms = app::service::categories::TermsInput {
        allowed_ms: 5 * 60_000,
        ack_ms: 60_000,
        escalate_again_ms: 120_000,
        list_after_ms: 0,
        active: true,
        department_id: None,
    };
    app::service::categories::save_terms(&f.app.db, &AuditActor::default(), &cat.code, terms).await.unwrap();
    let late = f.dispatched("村道塌陷超期未修复").await;
    let listing = act(late, CommandKind::List)
        .text("deadline", minute_string(app::store::now_ms() + 2 * 86_400_000))
        .text("leader", "王建国 副区长")
        .text("reason", "超期未办结");
    act_ok(&f.supervisor, listing).await;
    let sent_back = f.dispatched("不属本单位职责的事件").await;
    let returned_at = app::store::now_ms();
    act_ok(&f.town_phone, act(sent_back, CommandKind::Return).text("reason", "不属于本单位职责，请改派")).await;
    let deadline = f.detail(late).await.summary.deadline_ms;
    let now = deadline + 5 * 60_000;
    // The week of the deadline; the return (a few seconds earlier) counts if it fell in it too.
    let week = Period::containing(PeriodKind::Week, deadline);
    let returns = i64::from(week.start_ms <= returned_at);

    // Only the supervision office and leaders draft; a week not begun has nothing to count.
    let (status, _) = f.operator.refused("center/bulletins/draft", &[("period", &week.code())]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, err) = f.supervisor.refused("center/bulletins/draft", &[("period", &Period::containing(PeriodKind::Week, week.end_ms).code())]).await;
    assert_eq!((status, err), (StatusCode::UNPROCESSABLE_ENTITY, AppError::Report(ReportError::NotStarted)));
    let (status, _) = f.supervisor.refused("center/bulletins/draft", &[("period", "week-2026-13-01")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let sup = Actor::staff(f.supervisor_id, Role::Supervisor, None);
    let id = app::service::bulletins::draft_at(&f.app.db, &AuditActor::default(), &sup, &week.code(), now).await.expect("drafted");
    let (status, err) = f.supervisor.refused("center/bulletins/draft", &[("period", &week.code())]).await;
    assert_eq!((status, err), (StatusCode::CONFLICT, AppError::Duplicate), "one bulletin per period");
    let v: BulletinView = f.supervisor.ok("field/bulletins/get", &[("id", &id.to_string())]).await;
    assert!(v.may_edit);
    let b = &v.bulletin.figures;
    let town = b.units.iter().find(|u| u.unit_id == f.town).expect("the township is named");
    assert_eq!((town.overdue, town.returned, town.listed), (1, returns, 1));
    assert_eq!((b.overdue, b.returned, b.listed), (1, returns, 1), "the totals are the lines' sums");
    assert!(!b.units.iter().any(|u| u.unit_id == f.rail), "a unit with nothing to report is not named");
    assert_eq!((b.listed_cases[0].case_id, b.listed_cases[0].state), (late, ListedState::Open));
    assert!(b.received >= 2);

    // A unit reads no draft.
    let none: BulletinsPage = f.town_phone.ok("field/bulletins/page", &[]).await;
    assert!(none.rows.is_empty() && !none.may_draft);
    let (status, _) = f.town_phone.refused("field/bulletins/get", &[("id", &id.to_string())]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = f.town_phone.refused("center/bulletins/publish", &[("id", &id.to_string())]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The comment: too long is refused and changes nothing; then saved.
    let long = "字".repeat(app::domain::bulletin::COMMENT_MAX + 1);
    let (status, err) = f.supervisor.refused("center/bulletins/edit", &[("id", &id.to_string()), ("comment", &long)]).await;
    assert_eq!((status, err), (StatusCode::UNPROCESSABLE_ENTITY, AppError::Report(ReportError::CommentTooLong(app::domain::bulletin::COMMENT_MAX))));
    let saved: Bulletin = f.supervisor.ok("center/bulletins/edit", &[("id", &id.to_string()), ("comment", "  莲花镇超期件须于本周内办结。 ")]).await;
    assert_eq!((saved.comment.as_str(), saved.figures.overdue), ("莲花镇超期件须于本周内办结。", 1));

    // Published: every unit's phone hears of it at once, and reads it.
    let mut town_feed = f.town_phone.events(None).await;
    let mut rail_feed = f.rail_phone.events(None).await;
    let published: Bulletin = f.supervisor.ok("center/bulletins/publish", &[("id", &id.to_string())]).await;
    assert!(published.published_ms.is_some());
    for feed in [&mut town_feed, &mut rail_feed] {
        let n = feed.next().await;
        assert_eq!((n.kind.as_str(), n.title.as_str()), (kind::BULLETIN, week.code().as_str()));
    }
    let theirs: BulletinsPage = f.rail_phone.ok("field/bulletins/page", &[]).await;
    assert_eq!(theirs.rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![id]);
    let read: BulletinView = f.rail_phone.ok("field/bulletins/get", &[("id", &id.to_string())]).await;
    assert_eq!((read.bulletin.comment.as_str(), read.may_edit), ("莲花镇超期件须于本周内办结。", false));

    // Final: no edit, no second publication, and a later return does not change it.
    for (endpoint, fields) in
        [("center/bulletins/edit", vec![("id", id.to_string()), ("comment", "改".into())]), ("center/bulletins/publish", vec![("id", id.to_string())])]
    {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, err) = f.supervisor.refused(endpoint, &fields).await;
        assert_eq!((status, err), (StatusCode::CONFLICT, AppError::Report(ReportError::Published)), "{endpoint}");
    }
    let again = f.dispatched("又一件被退回的事件").await;
    act_ok(&f.town_phone, act(again, CommandKind::Return).text("reason", "请改派")).await;
    let after: BulletinView = f.supervisor.ok("field/bulletins/get", &[("id", &id.to_string())]).await;
    assert_eq!(after.bulletin, published, "a published bulletin is what the units were told");

    // The workbook: the ranking and the listed cases, row for row.
    let r = f.supervisor.get(&format!("/center/supervision/bulletins/{id}/export.xlsx")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap();
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx");
    use calamine::Reader;
    let units = book.worksheet_range_at(0).expect("a sheet").expect("readable");
    assert_eq!(units.height(), 2 + published.figures.units.len());
    assert_eq!(units.get_value((2, 1)).map(|c| c.to_string()), Some("莲花镇人民政府".to_string()));
    let listed = book.worksheet_range_at(1).expect("a sheet").expect("readable");
    assert_eq!(listed.height(), 1 + published.figures.listed_cases.len());
    assert_eq!(f.town_phone.get(&format!("/center/supervision/bulletins/{id}/export.xlsx")).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(f.supervisor.get("/center/supervision/bulletins/999999/export.xlsx").await.status(), StatusCode::NOT_FOUND);
}
