//! The case register end to end through `app::service::cases`, on a real database: every
//! transition of the lifecycle, the object-level checks, the residents' tracking code, the
//! append-only hash-chained history, full-text search and keyset paging.
#[macro_use]
mod common;

use app::domain::Receipt;
use app::domain::case::{
    Actor, AssignmentStatus, Case, CaseCommand as Cmd, CaseError, CaseFilter, CaseStatus, Change, Channel, CloseCause, CommandKind, GeoPoint, IntakeText,
    PAGE_SIZE, PublicStep, ReopenCause, TextField, Urgency,
};
use app::domain::org::Role;
use app::error::AppError;
use app::service::attachments::Upload;
use app::service::cases::{self, IntakeInput};
use app::service::cases::{Broken, verify_history};
use app::store::Backend;
use common::TestApp;
use std::collections::HashSet;

on_both_backends!(
    railway_cracks_case_goes_round_the_whole_loop,
    an_unsatisfied_resident_sends_the_case_round_again,
    a_unit_returns_the_case_to_triage_with_its_reason,
    the_lead_cannot_resolve_while_a_unit_has_not_signed,
    units_signing_at_the_same_moment_all_get_through,
    units_see_and_touch_only_the_cases_they_hold,
    a_wrong_tracking_secret_reveals_nothing,
    a_second_report_of_the_same_cracks_is_merged_into_the_open_case,
    a_report_outside_the_centers_remit_is_rejected_with_its_reason,
    a_unit_asks_for_more_time_and_the_supervisor_decides,
    a_follow_up_nobody_answers_closes_on_the_schedulers_sweep,
    the_scheduler_wakes_for_an_alarm_and_catches_up_after_a_restart,
    the_history_refuses_update_and_delete,
    a_tampered_history_row_is_caught_by_verify_history,
    verify_history_on_a_busy_register_raises_no_false_alarm,
    cases_are_found_by_two_or_more_characters_of_their_text,
    the_register_pages_through_every_case_exactly_once,
);

/// The first bytes of a JPEG (JFIF) photo: enough for the content check.
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01, 0x01, 0x00];

/// The center of the demo data's railway-cracks case: 莲花镇 leads, 耿山村 and the railway
/// centre cooperate, an operator routes and a supervisor decides extensions.
struct Center {
    app: TestApp,
    operator: Actor,
    supervisor: Actor,
    lianhua: i64,
    gengshan: i64,
    railway: i64,
    /// (unit, one staff member of it)
    staff: Vec<(i64, Actor)>,
}

async fn center(app: TestApp) -> Center {
    let lianhua = app.unit("莲花镇人民政府").await;
    let gengshan = app.unit("耿山村村委会").await;
    let railway = app.unit("铁路建设协调中心").await;
    let operator = Actor::staff(app.user("op.wang", Role::Operator, None).await, Role::Operator, None);
    let supervisor = Actor::staff(app.user("du.li", Role::Supervisor, None).await, Role::Supervisor, None);
    let mut staff = Vec::new();
    for (name, unit) in [("lh.zhao", lianhua), ("gs.qian", gengshan), ("tl.sun", railway)] {
        let user = app.user(name, Role::UnitStaff, Some(unit)).await;
        staff.push((unit, Actor::staff(user, Role::UnitStaff, Some(unit))));
    }
    Center { app, operator, supervisor, lianhua, gengshan, railway, staff }
}

fn report(title: &str, description: &str) -> IntakeInput {
    IntakeInput {
        category: "construction-damage".into(),
        channel: Channel::Hotline12345,
        urgency: Urgency::Normal,
        text: IntakeText {
            title: title.into(),
            description: description.into(),
            address: String::new(),
            reporter_name: "张三丰".into(),
            reporter_phone: "138 1234 5678".into(),
        },
        area_id: None,
        location: None,
    }
}

fn photo(name: &str) -> Vec<Upload> {
    vec![Upload { file_name: name.into(), bytes: JPEG.to_vec() }]
}

impl Center {
    fn db(&self) -> &app::store::Db {
        &self.app.db
    }

    fn staff(&self, unit: i64) -> Actor {
        self.staff.iter().find(|(u, _)| *u == unit).map(|(_, a)| a.clone()).expect("a fixture unit")
    }

    async fn register(&self, input: IntakeInput, uploads: Vec<Upload>) -> Receipt {
        cases::register(self.db(), self.app.effects(), &self.operator, input, uploads).await.expect("the case is registered")
    }

    /// The railway-cracks report, with the resident's photo.
    async fn cracks(&self) -> Receipt {
        let mut input = report("铁路施工致房屋开裂", "杭衢铁路施工后，多户房屋墙体开裂，村民担心安全。");
        input.text.address = "莲花镇耿山村3组".into();
        self.register(input, photo("墙面.jpg")).await
    }

    /// A command that must be carried out.
    async fn run(&self, by: &Actor, id: i64, cmd: Cmd) -> Case {
        self.run_with(by, id, cmd, vec![]).await
    }

    async fn run_with(&self, by: &Actor, id: i64, cmd: Cmd, uploads: Vec<Upload>) -> Case {
        let what = format!("{cmd:?}");
        cases::execute(self.db(), self.app.effects(), by, id, cmd, uploads).await.unwrap_or_else(|e| panic!("{what} refused: {e:?}"))
    }

    /// A command that must be refused without moving the case (its history, its state,
    /// its files); returns why.
    async fn refused(&self, by: &Actor, id: i64, cmd: Cmd, uploads: Vec<Upload>) -> AppError {
        let before = (self.stored(id).await, self.files().await);
        let what = format!("{cmd:?}");
        let err = match cases::execute(self.db(), self.app.effects(), by, id, cmd, uploads).await {
            Ok(case) => panic!("{what} should be refused, the case went to {:?}", case.status),
            Err(e) => e,
        };
        assert_eq!((self.stored(id).await, self.files().await), before, "{what} refused with {err:?} but changed something");
        err
    }

    /// The end of the case's chain and its stored state.
    async fn stored(&self, id: i64) -> (i64, String) {
        sqlx::query_as("SELECT last_seq, state FROM cases WHERE id = $1").bind(id).fetch_one(&self.db().pool).await.expect("case row")
    }

    /// Moves the end of a follow-up's wait (the stored state and its alarm, as a clock
    /// cannot be moved) and rings the scheduler's bell as a write would.
    async fn follow_up_due_at(&self, id: i64, due: i64) {
        self.app.follow_up_due_at(id, due).await
    }

    async fn last_seq(&self, id: i64) -> i64 {
        self.stored(id).await.0
    }

    /// How many files the attachments directory holds.
    async fn files(&self) -> usize {
        std::fs::read_dir(self.app.files_dir()).map(|d| d.count()).unwrap_or(0)
    }

    /// Dispatch straight from `received` (triage implied): 莲花镇 leads, the others cooperate.
    async fn dispatch(&self, id: i64) -> Case {
        let cmd = Cmd::Dispatch { lead: self.lianhua, cooperating: vec![self.gengshan, self.railway] };
        self.run(&self.operator, id, cmd).await
    }

    async fn sign_all(&self, id: i64) -> Case {
        let mut case = None;
        for u in [self.lianhua, self.gengshan, self.railway] {
            case = Some(self.run(&self.staff(u), id, Cmd::Sign { unit: u }).await);
        }
        case.expect("three units")
    }

    async fn in_follow_up(&self) -> Receipt {
        let r = self.cracks().await;
        self.dispatch(r.id).await;
        self.sign_all(r.id).await;
        let resolve = Cmd::Resolve { unit: self.lianhua, result: "开裂墙体已由铁路方出资修复，已鉴定安全".into() };
        self.run(&self.staff(self.lianhua), r.id, resolve).await;
        let case = self.run(&self.operator, r.id, Cmd::Verify).await;
        assert_eq!(case.status, CaseStatus::FollowUp);
        r
    }

    async fn kinds(&self, id: i64) -> Vec<&'static str> {
        app::store::cases::events(&mut self.db().read().await.expect("a connection"), id).await.expect("history").iter().map(|e| e.change.kind()).collect()
    }

    async fn list(&self, by: &Actor, filter: CaseFilter) -> Vec<i64> {
        let page = cases::list(self.db(), by, &filter, None).await.expect("list");
        assert!(page.next.is_none(), "one page expected");
        page.rows.iter().map(|r| r.id).collect()
    }

    async fn assert_history_intact(&self) {
        let (checked, broken) = verify_history(self.db()).await.expect("verify_history runs");
        assert!(checked > 0);
        assert_eq!(broken, vec![], "every chain and state should hold");
    }
}

async fn railway_cracks_case_goes_round_the_whole_loop(app: TestApp) {
    let c = center(app).await;
    let r = c.cracks().await;
    assert_eq!(r.code.len(), 12, "YYMMDD + six characters: {}", r.code);
    assert_eq!(c.files().await, 1, "the resident's photo is on disk");
    let d = cases::detail(c.db(), &c.operator, r.id).await.unwrap();
    assert_eq!(d.case.status, CaseStatus::Received);
    assert_eq!(d.summary.title, "铁路施工致房屋开裂");
    assert_eq!(
        d.reporter,
        app::domain::privacy::ReporterView::Masked(app::domain::privacy::Contact { name: Some("张**".into()), phone: Some("138****5678".into()) })
    );
    assert_eq!(d.attachments.len(), 1);
    assert_eq!((d.attachments[0].file_name.as_str(), d.attachments[0].content_type.as_str()), ("墙面.jpg", "image/jpeg"));
    let file = app::service::attachments::attachment(c.db(), &c.app.files_dir(), &c.operator, d.attachments[0].id).await.unwrap();
    assert_eq!(std::fs::read(&file.path).unwrap(), JPEG);
    assert_eq!(
        d.actions,
        vec![CommandKind::Triage, CommandKind::Reject, CommandKind::Merge, CommandKind::Recategorise, CommandKind::Dispatch, CommandKind::Launch]
    );

    // Dispatch straight from the desk: triage is implied, the 1+1+X task force is formed.
    let case = c.dispatch(r.id).await;
    assert_eq!((case.status, case.round), (CaseStatus::Dispatched, 1));
    assert_eq!(c.kinds(r.id).await, ["received", "triaged", "dispatched"]);
    let lead_view = cases::detail(c.db(), &c.staff(c.lianhua), r.id).await.unwrap();
    assert_eq!(lead_view.my_unit, Some(c.lianhua));
    assert_eq!(lead_view.actions, vec![CommandKind::Sign, CommandKind::Return]);
    assert_eq!(lead_view.summary.lead_unit.as_deref(), Some("莲花镇人民政府"));

    // Each unit signs; the last signature puts the case in progress.
    let case = c.run(&c.staff(c.lianhua), r.id, Cmd::Sign { unit: c.lianhua }).await;
    assert_eq!((case.status, case.unsigned_units()), (CaseStatus::Dispatched, vec![c.gengshan, c.railway]));
    c.run(&c.staff(c.gengshan), r.id, Cmd::Sign { unit: c.gengshan }).await;
    let case = c.run(&c.staff(c.railway), r.id, Cmd::Sign { unit: c.railway }).await;
    assert_eq!(case.status, CaseStatus::InProgress);
    assert!(case.unsigned_units().is_empty());

    // The lead reports progress with a photo; the photo hangs off that timeline entry.
    let progress = Cmd::Progress { unit: c.lianhua, text: "已联系铁路方到场查看，安排鉴定".into(), place: None };
    c.run_with(&c.staff(c.lianhua), r.id, progress, photo("现场.jpg")).await;
    assert_eq!(c.files().await, 2);
    let d = cases::detail(c.db(), &c.operator, r.id).await.unwrap();
    let entry = d.timeline.iter().find(|e| matches!(e.change, Change::Progressed { .. })).expect("progress on the timeline");
    assert_eq!(entry.attachments.iter().map(|a| a.file_name.as_str()).collect::<Vec<_>>(), ["现场.jpg"]);
    assert_eq!(entry.actor_name.as_deref(), Some("lh.zhao 的名字"));
    assert_eq!(d.attachments.len(), 1, "the progress photo is not an intake file");

    // 耿山村 finishes its part; the lead resolves and the railway centre's part ends with it.
    let case = c.run(&c.staff(c.gengshan), r.id, Cmd::FinishPart { unit: c.gengshan }).await;
    assert_eq!(case.current(c.gengshan).unwrap().status, AssignmentStatus::Done);
    let result = "铁路方出资修复开裂墙体，经鉴定房屋安全";
    let case = c.run(&c.staff(c.lianhua), r.id, Cmd::Resolve { unit: c.lianhua, result: result.into() }).await;
    assert_eq!(case.status, CaseStatus::Resolved);
    assert!(case.current_assignments().all(|a| a.status == AssignmentStatus::Done));
    assert_eq!(case.result.as_deref(), Some(result));

    // Verification starts the follow-up at once.
    let case = c.run(&c.operator, r.id, Cmd::Verify).await;
    assert_eq!(case.status, CaseStatus::FollowUp);
    assert!(case.follow_up_due_ms.is_some());

    // The resident reads the result with the code and secret, and rates it.
    let track = cases::track(c.db(), &r.code, &r.secret).await.unwrap();
    assert!(track.can_rate);
    assert_eq!((track.reporter_name.as_deref(), track.reporter_phone.as_deref()), (Some("张**"), Some("138****5678")));
    assert_eq!(track.result.as_deref(), Some(result));
    cases::rate(c.db(), c.app.effects(), &r.code, &r.secret, true, Some("修得很好".into())).await.unwrap();

    let d = cases::detail(c.db(), &c.operator, r.id).await.unwrap();
    assert_eq!((d.case.status, d.case.satisfied), (CaseStatus::Closed, Some(true)));
    assert!(d.summary.stopped_ms.is_some(), "the clock stopped");
    let last = d.timeline.last().unwrap();
    assert_eq!(last.change, Change::Closed { cause: CloseCause::Satisfied });
    assert!(last.resident && last.actor_name.is_none(), "the resident is nobody's name");
    assert_eq!(
        c.kinds(r.id).await,
        [
            "received",
            "triaged",
            "dispatched",
            "signed",
            "signed",
            "signed",
            "all_signed",
            "progressed",
            "part_finished",
            "resolved",
            "verified",
            "follow_up_started",
            "follow_up_recorded",
            "closed",
        ]
    );
    let track = cases::track(c.db(), &r.code, &r.secret).await.unwrap();
    assert!(!track.can_rate);
    assert_eq!(track.history.last().map(|h| &h.1), Some(&PublicStep::Closed));
    assert!(track.history.iter().all(|(_, s)| !matches!(s, PublicStep::Progress { unit, .. } if unit.is_empty())), "units are named for the resident");
    let closed = CaseFilter { status: Some(CaseStatus::Closed), ..Default::default() };
    assert_eq!(c.list(&c.operator, closed).await, vec![r.id]);
    c.assert_history_intact().await;
}

async fn an_unsatisfied_resident_sends_the_case_round_again(app: TestApp) {
    let c = center(app).await;
    let r = c.in_follow_up().await;
    cases::rate(c.db(), c.app.effects(), &r.code, &r.secret, false, Some("墙上还有裂缝".into())).await.unwrap();
    let d = cases::detail(c.db(), &c.operator, r.id).await.unwrap();
    assert_eq!((d.case.status, d.case.reopen_count, d.case.result.as_deref()), (CaseStatus::Reopened, 1, None));
    assert!(d.summary.stopped_ms.is_none(), "the clock runs again");
    assert_eq!(d.timeline.last().unwrap().change, Change::Reopened { cause: ReopenCause::Unsatisfied });
    assert!(d.actions.contains(&CommandKind::Dispatch));

    // Round 2: the railway centre alone.
    let case = c.run(&c.operator, r.id, Cmd::Dispatch { lead: c.railway, cooperating: vec![] }).await;
    assert_eq!((case.status, case.round), (CaseStatus::Dispatched, 2));
    let d = cases::detail(c.db(), &c.operator, r.id).await.unwrap();
    assert_eq!(d.assignments.iter().map(|a| (a.assignment.unit, a.assignment.round)).collect::<Vec<_>>(), [(c.railway, 2)]);
    assert_eq!(d.summary.lead_unit.as_deref(), Some("铁路建设协调中心"));
    // 莲花镇 held round 1: it still sees the case, but its old part takes no commands.
    let lianhua = c.staff(c.lianhua);
    assert!(cases::detail(c.db(), &lianhua, r.id).await.unwrap().actions.is_empty());
    let err = c.refused(&lianhua, r.id, Cmd::Progress { unit: c.lianhua, text: "再看看".into(), place: None }, vec![]).await;
    assert_eq!(err, AppError::Case(CaseError::NotAssigned(c.lianhua)));

    let railway = c.staff(c.railway);
    assert_eq!(c.run(&railway, r.id, Cmd::Sign { unit: c.railway }).await.status, CaseStatus::InProgress);
    c.run(&railway, r.id, Cmd::Resolve { unit: c.railway, result: "重新加固墙体并复查".into() }).await;
    c.run(&c.operator, r.id, Cmd::Verify).await;
    cases::rate(c.db(), c.app.effects(), &r.code, &r.secret, true, None).await.unwrap();
    let d = cases::detail(c.db(), &c.operator, r.id).await.unwrap();
    assert_eq!((d.case.status, d.case.round, d.case.reopen_count), (CaseStatus::Closed, 2, 1));
    c.assert_history_intact().await;
}

async fn a_unit_returns_the_case_to_triage_with_its_reason(app: TestApp) {
    let c = center(app).await;
    let r = c.cracks().await;
    c.dispatch(r.id).await;
    c.run(&c.staff(c.lianhua), r.id, Cmd::Sign { unit: c.lianhua }).await;
    let reason = "房屋位于邻村，不属于本村";
    let case = c.run(&c.staff(c.gengshan), r.id, Cmd::Return { unit: c.gengshan, reason: format!("  {reason} ") }).await;
    assert_eq!(case.status, CaseStatus::Triage);
    assert_eq!(case.status_reason.as_deref(), Some(reason), "the reason, trimmed, explains where the case stands");
    assert_eq!(case.return_count, 1);
    assert_eq!(case.current_assignments().count(), 0, "the others' open parts were withdrawn");
    let statuses: Vec<_> = case.assignments.iter().map(|a| (a.unit, a.status)).collect();
    assert_eq!(statuses, [(c.lianhua, AssignmentStatus::Withdrawn), (c.gengshan, AssignmentStatus::Returned), (c.railway, AssignmentStatus::Withdrawn)]);
    let d = cases::detail(c.db(), &c.operator, r.id).await.unwrap();
    assert_eq!(d.summary.status, CaseStatus::Triage);
    assert_eq!(d.summary.lead_unit, None);
    assert_eq!(d.timeline.last().unwrap().change, Change::Returned { unit: c.gengshan, reason: reason.into(), withdrawn: vec![c.lianhua, c.railway] });
    // A blank reason is refused and changes nothing.
    c.dispatch(r.id).await;
    let err = c.refused(&c.staff(c.railway), r.id, Cmd::Return { unit: c.railway, reason: "  ".into() }, vec![]).await;
    assert_eq!(err, AppError::Case(CaseError::TextRequired(TextField::Reason)));
    let d = cases::detail(c.db(), &c.operator, r.id).await.unwrap();
    assert_eq!((d.case.status, d.case.round, d.case.status_reason), (CaseStatus::Dispatched, 2, None));
    c.assert_history_intact().await;
}

async fn the_lead_cannot_resolve_while_a_unit_has_not_signed(app: TestApp) {
    let c = center(app).await;
    let r = c.cracks().await;
    c.dispatch(r.id).await;
    let lead = c.staff(c.lianhua);
    c.run(&lead, r.id, Cmd::Sign { unit: c.lianhua }).await;
    c.run(&c.staff(c.railway), r.id, Cmd::Sign { unit: c.railway }).await;
    let seq = c.last_seq(r.id).await;
    let files = c.files().await;
    let resolve = Cmd::Resolve { unit: c.lianhua, result: "已修复".into() };
    let err = c.refused(&lead, r.id, resolve, photo("修复后.jpg")).await;
    assert_eq!(err, AppError::Case(CaseError::WaitingForSignatures(vec![c.gengshan])));
    assert_eq!(err.http_status(), 409);
    assert_eq!(c.last_seq(r.id).await, seq, "nothing appended");
    assert_eq!(c.files().await, files, "the photo that came with it was not kept");
    assert_eq!(cases::detail(c.db(), &c.operator, r.id).await.unwrap().case.status, CaseStatus::Dispatched);

    // Nor may a cooperating unit resolve, or the lead merely finish a part.
    c.run(&c.staff(c.gengshan), r.id, Cmd::Sign { unit: c.gengshan }).await;
    let err = c.refused(&c.staff(c.railway), r.id, Cmd::Resolve { unit: c.railway, result: "好了".into() }, vec![]).await;
    assert_eq!(err, AppError::Case(CaseError::NotLead(c.railway)));
    let err = c.refused(&lead, r.id, Cmd::FinishPart { unit: c.lianhua }, vec![]).await;
    assert_eq!(err, AppError::Case(CaseError::LeadMustResolve(c.lianhua)));
    // The center does not sign or resolve in a unit's name.
    let err = c.refused(&c.operator, r.id, Cmd::Resolve { unit: c.lianhua, result: "好了".into() }, vec![]).await;
    assert_eq!(err, AppError::Case(CaseError::NotAllowed(CommandKind::Resolve)));
    let case = c.run(&lead, r.id, Cmd::Resolve { unit: c.lianhua, result: "已修复".into() }).await;
    assert_eq!(case.status, CaseStatus::Resolved);
}

async fn units_signing_at_the_same_moment_all_get_through(app: TestApp) {
    let c = center(app).await;
    for _ in 0..5 {
        let r = c.cracks().await;
        c.dispatch(r.id).await;
        let sign = |unit: i64| {
            let (db, fx, by) = (c.db().clone(), c.app.effects().clone(), c.staff(unit));
            tokio::spawn(async move { cases::execute(&db, &fx, &by, r.id, Cmd::Sign { unit }, vec![]).await })
        };
        let tasks = [sign(c.lianhua), sign(c.gengshan), sign(c.railway)];
        for t in tasks {
            let signed = t.await.expect("no panic");
            assert!(signed.is_ok(), "a signature was lost to another: {signed:?}");
        }
        let case = cases::detail(c.db(), &c.operator, r.id).await.unwrap().case;
        assert_eq!(case.status, CaseStatus::InProgress);
        let kinds = c.kinds(r.id).await;
        assert_eq!(kinds.iter().filter(|k| **k == "signed").count(), 3);
        assert_eq!(kinds.last(), Some(&"all_signed"), "{kinds:?}");
    }
    c.assert_history_intact().await;
}

async fn units_see_and_touch_only_the_cases_they_hold(app: TestApp) {
    let c = center(app).await;
    let ours = c.cracks().await;
    c.run(&c.operator, ours.id, Cmd::Dispatch { lead: c.lianhua, cooperating: vec![c.gengshan] }).await;
    let theirs = c.register(report("铁路桥下积水", "铁路桥下涵洞积水，车辆无法通行"), vec![]).await;
    c.run(&c.operator, theirs.id, Cmd::Dispatch { lead: c.railway, cooperating: vec![] }).await;
    let undispatched = c.register(report("施工扬尘", "工地扬尘大"), vec![]).await;

    let railway = c.staff(c.railway);
    for id in [ours.id, undispatched.id] {
        assert_eq!(cases::detail(c.db(), &railway, id).await.unwrap_err(), AppError::NotFound, "not-yours looks like not-found");
    }
    let err = c.refused(&railway, ours.id, Cmd::Sign { unit: c.railway }, vec![]).await;
    assert_eq!(err, AppError::NotFound);
    let err = c.refused(&railway, ours.id, Cmd::Sign { unit: c.lianhua }, vec![]).await;
    assert_eq!(err, AppError::NotFound, "nor can it sign in another unit's name");
    let err = c.refused(&railway, ours.id, Cmd::Progress { unit: c.railway, text: "看看".into(), place: None }, photo("x.jpg")).await;
    assert_eq!(err, AppError::NotFound);
    let photo_id = cases::detail(c.db(), &c.operator, ours.id).await.unwrap().attachments[0].id;
    let err = app::service::attachments::attachment(c.db(), &c.app.files_dir(), &railway, photo_id).await.err();
    assert_eq!(err, Some(AppError::NotFound), "nor see its files");
    // A unit that does hold the case may still not act for another unit on it.
    let err = c.refused(&c.staff(c.gengshan), ours.id, Cmd::Sign { unit: c.lianhua }, vec![]).await;
    assert_eq!(err, AppError::Case(CaseError::NotAllowed(CommandKind::Sign)));

    assert_eq!(c.list(&railway, CaseFilter::default()).await, vec![theirs.id]);
    assert_eq!(c.list(&c.staff(c.lianhua), CaseFilter::default()).await, vec![ours.id]);
    assert_eq!(c.list(&c.staff(c.gengshan), CaseFilter::default()).await, vec![ours.id]);
    assert_eq!(c.list(&c.operator, CaseFilter::default()).await, vec![undispatched.id, theirs.id, ours.id], "newest first");
    let by_unit = CaseFilter { unit_id: Some(c.gengshan), ..Default::default() };
    assert_eq!(c.list(&c.operator, by_unit).await, vec![ours.id]);
    let wrong_unit = CaseFilter { unit_id: Some(c.railway), ..Default::default() };
    assert_eq!(c.list(&c.staff(c.lianhua), wrong_unit).await, Vec::<i64>::new(), "a filter never widens the scope");

    // Staff without a unit, admins and residents get no register at all.
    let unitless = Actor::staff(user_of(&railway), Role::UnitStaff, None);
    for who in [unitless, Actor::staff(1, Role::Admin, None), Actor::Resident] {
        assert_eq!(cases::list(c.db(), &who, &CaseFilter::default(), None).await.unwrap_err(), AppError::Forbidden);
    }
    assert_eq!(cases::detail(c.db(), &railway, theirs.id).await.unwrap().my_unit, Some(c.railway));
}

fn user_of(a: &Actor) -> i64 {
    match a {
        Actor::Staff { user_id, .. } => *user_id,
        _ => unreachable!(),
    }
}

async fn a_wrong_tracking_secret_reveals_nothing(app: TestApp) {
    let c = center(app).await;
    let r = c.in_follow_up().await;
    let other = c.register(report("另一处开裂", "另一户房屋开裂"), vec![]).await;
    let bad = AppError::Case(CaseError::BadTrackingCode);
    for (code, secret) in [
        (r.code.as_str(), "WRONG123"),
        (r.code.as_str(), other.secret.as_str()),
        (other.code.as_str(), r.secret.as_str()),
        ("260101ZZZZZZ", r.secret.as_str()),
        ("", ""),
    ] {
        assert_eq!(cases::track(c.db(), code, secret).await.unwrap_err(), bad, "{code}/{secret}");
    }
    let seq = c.last_seq(r.id).await;
    let err = cases::rate(c.db(), c.app.effects(), &r.code, "WRONG123", false, None).await.unwrap_err();
    assert_eq!(err, bad);
    assert_eq!(err.http_status(), 404);
    assert_eq!(c.last_seq(r.id).await, seq, "a wrong secret rates nothing");
    assert_eq!(cases::detail(c.db(), &c.operator, r.id).await.unwrap().case.status, CaseStatus::FollowUp);

    // The right pair works however it is typed.
    let typed = format!(" {} ", r.secret.to_lowercase());
    let track = cases::track(c.db(), &r.code.to_lowercase(), &typed).await.unwrap();
    assert_eq!((track.code.as_str(), track.status), (r.code.as_str(), CaseStatus::FollowUp));
    // A case not waiting for a rating cannot be rated.
    let err = cases::rate(c.db(), c.app.effects(), &other.code, &other.secret, true, None).await.unwrap_err();
    assert!(matches!(err, AppError::Case(CaseError::WrongStatus { status: CaseStatus::Received, .. })), "{err:?}");
}

async fn a_second_report_of_the_same_cracks_is_merged_into_the_open_case(app: TestApp) {
    let c = center(app).await;
    let at = |lat: f64| Some(GeoPoint::from_degrees(lat, 118.96).unwrap());
    let first = IntakeInput { location: at(28.98), ..report("铁路施工致房屋开裂", "耿山村房屋墙体开裂") };
    let first = c.register(first, vec![]).await;
    // About 100 m away: the same problem, reported again.
    let second = IntakeInput { location: at(28.9809), ..report("房子裂了", "铁路边上的房子墙裂了") };
    let second = c.register(second, vec![]).await;
    let far = IntakeInput { location: at(29.1), ..report("另一处开裂", "十几公里外的房屋开裂") };
    let far = c.register(far, vec![]).await;

    let dups = cases::possible_duplicates(c.db(), "construction-damage", None, at(28.9809), Some(second.id)).await.unwrap();
    assert_eq!(dups.iter().map(|s| s.id).collect::<Vec<_>>(), vec![first.id], "the far one and the new one itself are not offered");
    assert!(cases::possible_duplicates(c.db(), "noise", None, at(28.9809), None).await.unwrap().is_empty(), "other category");

    let case = c.run(&c.operator, second.id, Cmd::Merge { into: first.id }).await;
    assert_eq!((case.status, case.merged_into), (CaseStatus::Merged, Some(first.id)));
    let d = cases::detail(c.db(), &c.operator, second.id).await.unwrap();
    assert_eq!(d.merged_into_code.as_deref(), Some(first.code.as_str()));
    assert!(d.actions.is_empty(), "a merged case takes no further commands");
    let track = cases::track(c.db(), &second.code, &second.secret).await.unwrap();
    assert_eq!((track.status, track.merged_into_code.as_deref()), (CaseStatus::Merged, Some(first.code.as_str())));
    assert_eq!(track.history.last().map(|h| &h.1), Some(&PublicStep::Merged));
    let dups = cases::possible_duplicates(c.db(), "construction-damage", None, at(28.98), Some(first.id)).await.unwrap();
    assert!(dups.is_empty(), "a merged case is no longer open: {dups:?}");

    // Only into an open case, and never into itself.
    let bad = AppError::Case(CaseError::BadMergeTarget);
    assert_eq!(c.refused(&c.operator, far.id, Cmd::Merge { into: second.id }, vec![]).await, bad, "into a merged case");
    assert_eq!(c.refused(&c.operator, far.id, Cmd::Merge { into: 999_999 }, vec![]).await, bad, "into no case");
    let err = c.refused(&c.operator, far.id, Cmd::Merge { into: far.id }, vec![]).await;
    assert_eq!(err, AppError::Case(CaseError::MergeIntoSelf));
    let err = c.refused(&c.operator, second.id, Cmd::Merge { into: far.id }, vec![]).await;
    assert_eq!(err, AppError::Case(CaseError::Finished(CaseStatus::Merged)));
    c.assert_history_intact().await;
}

async fn a_report_outside_the_centers_remit_is_rejected_with_its_reason(app: TestApp) {
    let c = center(app).await;
    let r = c.register(report("邻居家狗叫", "邻居家的狗晚上叫"), vec![]).await;
    let err = c.refused(&c.operator, r.id, Cmd::Reject { reason: " ".into() }, vec![]).await;
    assert_eq!(err, AppError::Case(CaseError::TextRequired(TextField::Reason)));
    let err = c.refused(&c.staff(c.lianhua), r.id, Cmd::Reject { reason: "x".into() }, vec![]).await;
    assert_eq!(err, AppError::NotFound, "a unit never held it");
    let reason = "属民事纠纷，已告知当事人向法院起诉";
    let case = c.run(&c.operator, r.id, Cmd::Reject { reason: reason.into() }).await;
    assert_eq!((case.status, case.status_reason.as_deref()), (CaseStatus::Rejected, Some(reason)));
    assert!(case.sla.stopped_ms.is_some());
    let track = cases::track(c.db(), &r.code, &r.secret).await.unwrap();
    assert_eq!(track.history.last().map(|h| &h.1), Some(&PublicStep::Rejected { reason: reason.into() }));
    let err = c.refused(&c.operator, r.id, Cmd::Dispatch { lead: c.lianhua, cooperating: vec![] }, vec![]).await;
    assert_eq!(err, AppError::Case(CaseError::Finished(CaseStatus::Rejected)));
    let rejected = CaseFilter { status: Some(CaseStatus::Rejected), ..Default::default() };
    assert_eq!(c.list(&c.operator, rejected).await, vec![r.id]);
}

async fn a_unit_asks_for_more_time_and_the_supervisor_decides(app: TestApp) {
    let c = center(app).await;
    let r = c.cracks().await;
    c.dispatch(r.id).await;
    let before = c.sign_all(r.id).await.sla.deadline_ms();
    let lead = c.staff(c.lianhua);
    let two_days = 2 * 24 * 3600 * 1000;
    let ask = |ms| Cmd::RequestExtension { unit: c.lianhua, ms, reason: "等待第三方房屋安全鉴定报告".into() };
    let case = c.run(&lead, r.id, ask(two_days)).await;
    assert_eq!(case.current(c.lianhua).unwrap().pending_extension.as_ref().map(|p| p.ms), Some(two_days));
    assert_eq!(c.refused(&lead, r.id, ask(two_days), vec![]).await, AppError::Case(CaseError::ExtensionPending(c.lianhua)));
    assert_eq!(c.refused(&c.staff(c.gengshan), r.id, ask(two_days), vec![]).await, AppError::Case(CaseError::NotAllowed(CommandKind::RequestExtension)));
    assert!(cases::detail(c.db(), &c.supervisor, r.id).await.unwrap().actions.contains(&CommandKind::DecideExtension));

    // The desk that routed the case does not grant it more time; a supervisor does.
    let decide = |approve| Cmd::DecideExtension { unit: c.lianhua, approve, note: Some("同意".into()) };
    let err = c.refused(&c.operator, r.id, decide(true), vec![]).await;
    assert_eq!(err, AppError::Case(CaseError::NotAllowed(CommandKind::DecideExtension)));
    let case = c.run(&c.supervisor, r.id, decide(true)).await;
    assert_eq!(case.sla.deadline_ms(), before + two_days);
    assert_eq!(case.current(c.lianhua).unwrap().extended_ms, two_days);
    let d = cases::detail(c.db(), &c.operator, r.id).await.unwrap();
    assert_eq!(d.summary.deadline_ms, before + two_days, "the list's deadline column moved too");
    assert!(matches!(d.timeline.last().unwrap().change, Change::ExtensionDecided { approved: true, deadline_ms, .. } if deadline_ms == before + two_days));

    // A second request, refused: the deadline stays.
    c.run(&lead, r.id, ask(3600 * 1000)).await;
    let case = c.run(&c.supervisor, r.id, decide(false)).await;
    assert_eq!(case.sla.deadline_ms(), before + two_days);
    assert_eq!(case.current(c.lianhua).unwrap().pending_extension, None);
    let err = c.refused(&c.supervisor, r.id, decide(true), vec![]).await;
    assert_eq!(err, AppError::Case(CaseError::NoExtensionPending(c.lianhua)));
    assert_eq!(c.refused(&lead, r.id, ask(1000), vec![]).await, AppError::Case(CaseError::BadExtension));
    c.assert_history_intact().await;
}

async fn a_follow_up_nobody_answers_closes_on_the_schedulers_sweep(app: TestApp) {
    let c = center(app).await;
    let waiting = c.in_follow_up().await;
    let answered = c.in_follow_up().await;
    assert_eq!(server::scheduler::sweep(c.db(), c.app.effects()).await, 0, "the wait is not over yet");
    assert_eq!(cases::detail(c.db(), &c.operator, waiting.id).await.unwrap().case.status, CaseStatus::FollowUp);
    // Staff may not close early either.
    let err = c.refused(&c.operator, waiting.id, Cmd::Close, vec![]).await;
    assert!(matches!(err, AppError::Case(CaseError::FollowUpNotDue(_))), "{err:?}");

    // Three days pass for both (the stored state is moved back, as a clock cannot be);
    // one resident answers in time, the other never does.
    for id in [waiting.id, answered.id] {
        c.follow_up_due_at(id, app::store::now_ms() - 1).await;
    }
    cases::rate(c.db(), c.app.effects(), &answered.code, &answered.secret, false, None).await.unwrap();
    assert_eq!(server::scheduler::sweep(c.db(), c.app.effects()).await, 1);
    let d = cases::detail(c.db(), &c.operator, waiting.id).await.unwrap();
    assert_eq!(d.case.status, CaseStatus::Closed);
    let last = d.timeline.last().unwrap();
    assert_eq!((&last.change, last.actor_name.as_deref(), last.resident), (&Change::Closed { cause: CloseCause::NoAnswer }, None, false));
    assert_eq!(cases::detail(c.db(), &c.operator, answered.id).await.unwrap().case.status, CaseStatus::Reopened);
    assert_eq!(server::scheduler::sweep(c.db(), c.app.effects()).await, 0, "nothing left to close");
}

async fn the_scheduler_wakes_for_an_alarm_and_catches_up_after_a_restart(app: TestApp) {
    let c = center(app).await;
    let soon = c.in_follow_up().await;
    let missed = c.in_follow_up().await;
    // The server is down while one wait ends; the other ends a second after it is back.
    c.follow_up_due_at(missed.id, app::store::now_ms() - 60_000).await;
    let due = app::store::now_ms() + 1_000;
    c.follow_up_due_at(soon.id, due).await;
    let scheduler = server::scheduler::start(c.db().clone(), c.app.effects().clone(), app::domain::privacy::Retention::DEFAULT);
    let c = &c;
    let status = |id| async move { cases::detail(c.db(), &c.operator, id).await.unwrap().case.status };
    let started = std::time::Instant::now();
    while status(missed.id).await != CaseStatus::Closed {
        assert!(started.elapsed().as_secs() < 5, "the missed alarm is caught up at start");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(status(soon.id).await, CaseStatus::FollowUp, "not before its time");
    while status(soon.id).await != CaseStatus::Closed {
        assert!(app::store::now_ms() < due + 2_000, "the scheduler fires within 2 s of the alarm");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let closed_at = cases::detail(c.db(), &c.operator, soon.id).await.unwrap().timeline.last().unwrap().at_ms;
    assert!(closed_at >= due, "closed at {closed_at}, due {due}");
    scheduler.abort();
}

async fn the_history_refuses_update_and_delete(app: TestApp) {
    let c = center(app).await;
    let r = c.cracks().await;
    c.dispatch(r.id).await;
    let rows = c.app.count("SELECT COUNT(*) FROM case_events").await;
    assert_eq!(rows, 3);
    let mut attempts = vec![
        "UPDATE case_events SET body = '{}'".to_string(),
        format!("UPDATE case_events SET kind = 'rejected' WHERE case_id = {} AND seq = 3", r.id),
        "DELETE FROM case_events".to_string(),
        format!("DELETE FROM case_events WHERE case_id = {} AND seq = 3", r.id),
    ];
    if c.app.backend() == Backend::Postgres {
        attempts.push("TRUNCATE case_events".into());
    }
    for sql in &attempts {
        let refused = sqlx::query(sql).execute(&c.db().pool).await.expect_err(sql);
        assert!(refused.to_string().contains("append-only"), "{sql}: {refused}");
    }
    assert_eq!(c.app.count("SELECT COUNT(*) FROM case_events").await, rows);
    c.assert_history_intact().await;
}

async fn a_tampered_history_row_is_caught_by_verify_history(app: TestApp) {
    let c = center(app).await;
    let honest = c.cracks().await;
    c.dispatch(honest.id).await;
    let forged = c.cracks().await;
    c.dispatch(forged.id).await;
    c.sign_all(forged.id).await;
    c.run(&c.staff(c.lianhua), forged.id, Cmd::Progress { unit: c.lianhua, text: "鉴定结论：房屋存在安全隐患".into(), place: None }).await;
    c.run(&c.staff(c.lianhua), forged.id, Cmd::Resolve { unit: c.lianhua, result: "已修复".into() }).await;
    assert_eq!(verify_history(c.db()).await.unwrap(), (2, vec![]));
    assert!(server::cli::verify_history(c.db()).await.unwrap().contains("2 cases checked"));

    // Someone with database access removes the guard and rewrites what the survey found.
    let drop = match c.app.backend() {
        Backend::Sqlite => "DROP TRIGGER case_events_no_update",
        Backend::Postgres => "DROP TRIGGER case_events_no_update ON case_events",
    };
    sqlx::query(drop).execute(&c.db().pool).await.unwrap();
    let seq: i64 =
        sqlx::query_scalar("SELECT seq FROM case_events WHERE case_id = $1 AND kind = 'progressed'").bind(forged.id).fetch_one(&c.db().pool).await.unwrap();
    let edited = sqlx::query("UPDATE case_events SET body = REPLACE(body, '存在安全隐患', '安全') WHERE case_id = $1 AND seq = $2")
        .bind(forged.id)
        .bind(seq)
        .execute(&c.db().pool)
        .await
        .unwrap();
    assert_eq!(edited.rows_affected(), 1);
    let body: String =
        sqlx::query_scalar("SELECT body FROM case_events WHERE case_id = $1 AND seq = $2").bind(forged.id).bind(seq).fetch_one(&c.db().pool).await.unwrap();
    assert!(body.contains("鉴定结论：房屋安全"), "the row really was rewritten: {body}");

    assert_eq!(verify_history(c.db()).await.unwrap(), (2, vec![Broken::Link { case_id: forged.id, seq }]));
    let report = server::cli::verify_history(c.db()).await.unwrap_err();
    assert!(report.contains("2 cases checked") && report.contains("1 broken"), "{report}");
    assert!(report.contains(&forged.code) && !report.contains(&honest.code), "{report}");
}

async fn verify_history_on_a_busy_register_raises_no_false_alarm(app: TestApp) {
    let c = center(app).await;
    let r = c.cracks().await;
    c.dispatch(r.id).await;
    c.sign_all(r.id).await;
    // The lead keeps reporting while the operator runs the check.
    let (db, fx, lead, unit) = (c.db().clone(), c.app.effects().clone(), c.staff(c.lianhua), c.lianhua);
    let work = tokio::spawn(async move {
        for i in 0..40 {
            let cmd = Cmd::Progress { unit, text: format!("第{i}次现场查看"), place: None };
            cases::execute(&db, &fx, &lead, r.id, cmd, vec![]).await.expect("progress recorded");
        }
    });
    let mut checks = 0;
    while !work.is_finished() || checks == 0 {
        let (checked, broken) = verify_history(c.db()).await.unwrap();
        assert_eq!((checked, broken), (1, vec![]), "a case mid-write is not a broken case");
        checks += 1;
    }
    work.await.unwrap();
    assert_eq!(c.last_seq(r.id).await, 7 + 40);
    c.assert_history_intact().await;
}

async fn cases_are_found_by_two_or_more_characters_of_their_text(app: TestApp) {
    let c = center(app).await;
    let cracks = c.cracks().await;
    let noise = c.register(IntakeInput { category: "noise".into(), ..report("夜间施工噪音扰民", "工地夜间施工，噪音很大，影响休息") }, vec![]).await;
    let mut lamp = report("", "路灯不亮，晚上走路看不见 100% 危险\nLED灯已经坏了一个星期");
    lamp.category = "roads".into();
    lamp.text.address = "衢江区樟潭街道沿江路".into();
    let lamp = c.register(lamp, vec![]).await;
    let op = &c.operator;
    let find = |text: &str| CaseFilter { text: Some(text.into()), ..Default::default() };

    assert_eq!(c.list(op, find("开裂")).await, vec![cracks.id], "two characters");
    assert_eq!(c.list(op, find(" 开裂 ")).await, vec![cracks.id], "trimmed");
    assert_eq!(c.list(op, find("墙体开裂")).await, vec![cracks.id], "four characters, in the description");
    assert_eq!(c.list(op, find("房屋开裂")).await, vec![cracks.id], "in the title");
    assert_eq!(c.list(op, find("耿山村")).await, vec![cracks.id], "three characters, in the address");
    assert_eq!(c.list(op, find("沿江路")).await, vec![lamp.id]);
    assert_eq!(c.list(op, find("施工")).await, vec![noise.id, cracks.id], "both, newest first");
    assert_eq!(c.list(op, find("夜间施工")).await, vec![noise.id]);
    assert_eq!(c.list(op, find("路灯不亮")).await, vec![lamp.id], "the title defaulted to the first line");
    assert_eq!(c.list(op, find("100%")).await, vec![lamp.id]);
    assert_eq!(c.list(op, find("%")).await, vec![lamp.id], "% is a character, not a wildcard");
    assert_eq!(c.list(op, find("led灯")).await, vec![lamp.id], "Latin letters in any case, on both backends");
    assert_eq!(c.list(op, find("Le")).await, vec![lamp.id]);
    assert_eq!(c.list(op, find("_")).await, Vec::<i64>::new(), "_ is a character, not a wildcard");
    assert_eq!(c.list(op, find("地铁")).await, Vec::<i64>::new());
    assert_eq!(c.list(op, find("不存在的词")).await, Vec::<i64>::new());
    assert_eq!(c.list(op, find("\"开裂")).await, Vec::<i64>::new(), "quotes are searched for, not parsed");
    assert_eq!(c.list(op, find("   ")).await.len(), 3, "a blank search finds everything");
    let both = CaseFilter { category: Some("noise".into()), ..find("施工") };
    assert_eq!(c.list(op, both).await, vec![noise.id], "text and other filters combine");
    // Search stays inside a unit's scope.
    c.run(op, cracks.id, Cmd::Dispatch { lead: c.railway, cooperating: vec![] }).await;
    assert_eq!(c.list(&c.staff(c.railway), find("施工")).await, vec![cracks.id]);
    assert_eq!(c.list(&c.staff(c.lianhua), find("施工")).await, Vec::<i64>::new());
}

async fn the_register_pages_through_every_case_exactly_once(app: TestApp) {
    let c = center(app).await;
    let mut registered = Vec::new();
    for i in 0..60 {
        let category = if i % 2 == 0 { "noise" } else { "roads" };
        let input = IntakeInput { category: category.into(), ..report(&format!("第{i}号事件"), &format!("第{i}号事件的描述")) };
        registered.push(c.register(input, vec![]).await.id);
    }
    for (filter, expected) in [
        (CaseFilter::default(), registered.clone()),
        (CaseFilter { category: Some("noise".into()), ..Default::default() }, registered.iter().copied().step_by(2).collect()),
    ] {
        let mut seen = Vec::new();
        let mut after = None;
        let mut pages = 0;
        loop {
            let page = cases::list(c.db(), &c.operator, &filter, after).await.unwrap();
            assert!(page.rows.len() <= PAGE_SIZE);
            pages += 1;
            seen.extend(page.rows.iter().map(|r| (r.received_ms, r.id)));
            match page.next {
                Some(next) => {
                    assert_eq!(Some((next.received_ms, next.id)), seen.last().copied(), "the cursor is the last row");
                    after = Some(next);
                }
                None => break,
            }
            assert!(pages < 10, "paging does not end");
        }
        assert_eq!(pages, expected.len().div_ceil(PAGE_SIZE), "{filter:?}");
        let mut sorted = seen.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(seen, sorted, "newest first, ties by id, across pages");
        let ids: Vec<i64> = seen.iter().map(|s| s.1).collect();
        assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len(), "no row twice");
        assert_eq!(ids.iter().copied().collect::<HashSet<_>>(), expected.into_iter().collect::<HashSet<_>>(), "every row once");
    }
    // A cursor from a URL resumes the same way.
    let first = cases::list(c.db(), &c.operator, &CaseFilter::default(), None).await.unwrap();
    let cursor = app::domain::case::Cursor::decode(&first.next.unwrap().encode());
    let rest = cases::list(c.db(), &c.operator, &CaseFilter::default(), cursor).await.unwrap();
    assert_eq!(first.rows.len() + rest.rows.len(), 60);
    assert!(rest.next.is_none());
}
