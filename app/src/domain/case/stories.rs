//! The lifecycle told as stories, one rule each, on the railway-cracks case of the demo
//! data: 莲花镇 leads, 耿山村 and the railway centre cooperate.
use super::*;
use crate::domain::org::Role;

const T0: i64 = 1_700_000_000_000;
const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;
const LIANHUA: UnitId = 11;
const GENGSHAN: UnitId = 12;
const RAILWAY: UnitId = 13;

fn operator() -> Actor {
    Actor::staff(1, Role::Operator, Some(100))
}
fn supervisor() -> Actor {
    Actor::staff(2, Role::Supervisor, Some(100))
}
fn staff(unit: UnitId) -> Actor {
    Actor::staff(1000 + unit, Role::UnitStaff, Some(unit))
}

fn intake() -> Intake {
    let category = Category::preset("rail-damage", "铁路施工损坏", CaseKind::GovernanceIncident, SlaClass::Complex).unwrap();
    Intake::new(&category, Channel::Hotline12345, Urgency::Normal).unwrap()
}

fn received() -> Case {
    Case::receive(1, intake(), &operator(), T0).unwrap().0
}

fn run(case: &mut Case, by: &Actor, at: i64, cmd: CaseCommand) -> Vec<CaseEvent> {
    case.execute(by, at, &cmd).unwrap_or_else(|e| panic!("{cmd:?} refused: {e}"))
}

/// Runs a command that must be refused and checks the case did not move.
fn refused(case: &mut Case, by: &Actor, at: i64, cmd: CaseCommand) -> CaseError {
    let before = case.clone();
    let err = case.execute(by, at, &cmd).expect_err("should be refused");
    assert_eq!(*case, before);
    err
}

fn dispatched() -> Case {
    let mut c = received();
    run(&mut c, &operator(), T0 + MIN, CaseCommand::Triage);
    run(&mut c, &operator(), T0 + 2 * MIN, CaseCommand::Dispatch { lead: LIANHUA, cooperating: vec![GENGSHAN, RAILWAY] });
    c
}

fn in_progress() -> Case {
    let mut c = dispatched();
    for u in [LIANHUA, GENGSHAN, RAILWAY] {
        run(&mut c, &staff(u), T0 + 3 * MIN, CaseCommand::Sign { unit: u });
    }
    c
}

fn resolve(c: &mut Case) {
    run(c, &staff(LIANHUA), T0 + 5 * HOUR, CaseCommand::Resolve { unit: LIANHUA, result: "房屋墙体已全部修复".into() });
}

fn in_follow_up() -> Case {
    let mut c = in_progress();
    resolve(&mut c);
    run(&mut c, &operator(), T0 + 6 * HOUR, CaseCommand::Verify);
    c
}

fn kinds(events: &[CaseEvent]) -> Vec<&'static str> {
    events.iter().map(|e| e.change.kind()).collect()
}

#[test]
fn the_railway_cracks_case_runs_from_hotline_to_archive() {
    let mut c = in_follow_up();
    assert_eq!(c.status, CaseStatus::FollowUp);
    let ev = run(&mut c, &Actor::Resident, T0 + 30 * HOUR, CaseCommand::RecordFollowUp { satisfied: Some(true), comment: Some("满意".into()) });
    assert_eq!(kinds(&ev), ["follow_up_recorded", "closed"]);
    assert_eq!(ev[1].change, Change::Closed { cause: CloseCause::Satisfied });
    assert_eq!(c.status, CaseStatus::Closed);
    assert_eq!(c.result.as_deref(), Some("房屋墙体已全部修复"));
    assert_eq!(c.sla.on_time(), Some(true));
}

#[test]
fn the_case_is_in_progress_only_when_the_last_unit_signs() {
    let mut c = dispatched();
    assert_eq!(run(&mut c, &staff(RAILWAY), T0 + 3 * MIN, CaseCommand::Sign { unit: RAILWAY }).len(), 1);
    run(&mut c, &staff(LIANHUA), T0 + 3 * MIN, CaseCommand::Sign { unit: LIANHUA });
    assert_eq!(c.status, CaseStatus::Dispatched);
    assert_eq!(c.unsigned_units(), [GENGSHAN]);
    let ev = run(&mut c, &staff(GENGSHAN), T0 + 4 * MIN, CaseCommand::Sign { unit: GENGSHAN });
    assert_eq!(kinds(&ev), ["signed", "all_signed"]);
    assert_eq!(c.status, CaseStatus::InProgress);
}

#[test]
fn resolving_an_unsigned_assignment_is_refused() {
    let mut c = dispatched();
    let cmd = CaseCommand::Resolve { unit: LIANHUA, result: "已修复".into() };
    assert_eq!(refused(&mut c, &staff(LIANHUA), T0 + HOUR, cmd), CaseError::NotSigned(LIANHUA));
}

#[test]
fn the_lead_cannot_resolve_while_a_unit_has_yet_to_sign() {
    let mut c = dispatched();
    run(&mut c, &staff(LIANHUA), T0 + 3 * MIN, CaseCommand::Sign { unit: LIANHUA });
    let cmd = CaseCommand::Resolve { unit: LIANHUA, result: "已修复".into() };
    assert_eq!(refused(&mut c, &staff(LIANHUA), T0 + HOUR, cmd), CaseError::WaitingForSignatures(vec![GENGSHAN, RAILWAY]));
}

#[test]
fn resolving_by_a_cooperating_unit_is_refused() {
    let mut c = in_progress();
    let cmd = CaseCommand::Resolve { unit: RAILWAY, result: "鉴定完成".into() };
    assert_eq!(refused(&mut c, &staff(RAILWAY), T0 + HOUR, cmd), CaseError::NotLead(RAILWAY));
}

#[test]
fn signing_twice_is_refused() {
    let mut c = in_progress();
    assert_eq!(refused(&mut c, &staff(GENGSHAN), T0 + HOUR, CaseCommand::Sign { unit: GENGSHAN }), CaseError::AlreadySigned(GENGSHAN));
}

#[test]
fn a_signature_after_five_minutes_is_accepted_but_marked_late() {
    let mut c = dispatched();
    let ev = run(&mut c, &staff(LIANHUA), T0 + 2 * MIN + 5 * MIN, CaseCommand::Sign { unit: LIANHUA });
    assert_eq!(ev[0].change, Change::Signed { unit: LIANHUA, late: false });
    let ev = run(&mut c, &staff(RAILWAY), T0 + 2 * MIN + 5 * MIN + 1, CaseCommand::Sign { unit: RAILWAY });
    assert_eq!(ev[0].change, Change::Signed { unit: RAILWAY, late: true });
}

#[test]
fn a_dispatch_names_each_unit_once_and_the_lead_only_as_lead() {
    let mut c = received();
    run(&mut c, &operator(), T0, CaseCommand::Triage);
    let twice = CaseCommand::Dispatch { lead: LIANHUA, cooperating: vec![GENGSHAN, RAILWAY, GENGSHAN] };
    assert_eq!(refused(&mut c, &operator(), T0, twice), CaseError::DuplicateUnit(GENGSHAN));
    let lead_too = CaseCommand::Dispatch { lead: LIANHUA, cooperating: vec![GENGSHAN, LIANHUA] };
    assert_eq!(refused(&mut c, &operator(), T0, lead_too), CaseError::LeadAlsoCooperating(LIANHUA));
    let crowd = CaseCommand::Dispatch { lead: 0, cooperating: (1..MAX_UNITS_PER_DISPATCH as i64 + 1).collect() };
    assert_eq!(refused(&mut c, &operator(), T0, crowd), CaseError::TooManyUnits(MAX_UNITS_PER_DISPATCH));
    run(&mut c, &operator(), T0, CaseCommand::Dispatch { lead: LIANHUA, cooperating: vec![] });
    assert_eq!(c.lead().map(|a| a.unit), Some(LIANHUA));
}

#[test]
fn a_case_in_the_units_hands_is_not_dispatched_again() {
    let mut c = in_progress();
    let cmd = CaseCommand::Dispatch { lead: LIANHUA, cooperating: vec![] };
    let err = refused(&mut c, &operator(), T0, cmd);
    assert_eq!(err, CaseError::WrongStatus { status: CaseStatus::InProgress, command: CommandKind::Dispatch });
}

#[test]
fn blank_or_overlong_texts_are_refused() {
    let mut c = in_progress();
    let blank = CaseCommand::Resolve { unit: LIANHUA, result: " \n ".into() };
    assert_eq!(refused(&mut c, &staff(LIANHUA), T0, blank), CaseError::TextRequired(TextField::Result));
    let long = CaseCommand::Return { unit: RAILWAY, reason: "理".repeat(501) };
    assert_eq!(refused(&mut c, &staff(RAILWAY), T0, long), CaseError::TextTooLong { field: TextField::Reason, max: 500 });
    let empty = CaseCommand::Progress { unit: GENGSHAN, text: String::new(), place: None };
    assert_eq!(refused(&mut c, &staff(GENGSHAN), T0, empty), CaseError::TextRequired(TextField::Progress));
}

#[test]
fn a_case_outside_the_centers_remit_is_rejected_with_its_reason() {
    let mut c = received();
    assert_eq!(refused(&mut c, &operator(), T0, CaseCommand::Reject { reason: "".into() }), CaseError::TextRequired(TextField::Reason));
    run(&mut c, &operator(), T0 + MIN, CaseCommand::Reject { reason: " 属于司法诉讼范围 ".into() });
    assert_eq!((c.status, c.status_reason.as_deref()), (CaseStatus::Rejected, Some("属于司法诉讼范围")));
    assert_eq!(c.sla.stopped_ms, Some(T0 + MIN));
}

#[test]
fn a_duplicate_is_merged_into_its_original_and_never_into_itself() {
    let mut c = received();
    assert_eq!(refused(&mut c, &operator(), T0, CaseCommand::Merge { into: 1 }), CaseError::MergeIntoSelf);
    run(&mut c, &operator(), T0, CaseCommand::Triage);
    run(&mut c, &operator(), T0, CaseCommand::Merge { into: 42 });
    assert_eq!((c.status, c.merged_into), (CaseStatus::Merged, Some(42)));
    let mut d = dispatched();
    let err = refused(&mut d, &operator(), T0, CaseCommand::Merge { into: 42 });
    assert_eq!(err, CaseError::WrongStatus { status: CaseStatus::Dispatched, command: CommandKind::Merge });
}

#[test]
fn returned_assignment_sends_case_back_to_triage_with_reason() {
    let mut c = in_progress();
    run(&mut c, &staff(LIANHUA), T0 + HOUR, CaseCommand::Progress { unit: LIANHUA, text: "已入户查看".into(), place: None });
    run(&mut c, &staff(GENGSHAN), T0 + HOUR, CaseCommand::FinishPart { unit: GENGSHAN });
    let ev = run(&mut c, &staff(RAILWAY), T0 + 2 * HOUR, CaseCommand::Return { unit: RAILWAY, reason: "非本单位管辖".into() });
    assert_eq!(ev[0].change, Change::Returned { unit: RAILWAY, reason: "非本单位管辖".into(), withdrawn: vec![LIANHUA] });
    assert_eq!((c.status, c.status_reason.as_deref()), (CaseStatus::Triage, Some("非本单位管辖")));
    assert_eq!(c.return_count, 1);
    assert_eq!(c.current_assignments().map(|a| a.unit).collect::<Vec<_>>(), [GENGSHAN], "only the finished part stays");
    // The operator routes it again: a new round, everyone signs afresh.
    run(&mut c, &operator(), T0 + 3 * HOUR, CaseCommand::Dispatch { lead: LIANHUA, cooperating: vec![99] });
    assert_eq!(c.round, 2);
    assert_eq!(c.unsigned_units(), [LIANHUA, 99]);
    assert_eq!(c.sla.started_ms, T0, "a return does not restart the resident's clock");
}

#[test]
fn an_approved_extension_lengthens_the_case_deadline() {
    let mut c = in_progress();
    let before = c.sla.deadline_ms();
    run(&mut c, &staff(RAILWAY), T0 + HOUR, CaseCommand::RequestExtension { unit: RAILWAY, ms: 5 * 24 * HOUR, reason: "等待第三方鉴定".into() });
    let again = CaseCommand::RequestExtension { unit: RAILWAY, ms: HOUR, reason: "再延".into() };
    assert_eq!(refused(&mut c, &staff(RAILWAY), T0 + HOUR, again), CaseError::ExtensionPending(RAILWAY));
    let decide = CaseCommand::DecideExtension { unit: RAILWAY, approve: true, note: None };
    assert_eq!(refused(&mut c, &operator(), T0 + HOUR, decide.clone()), CaseError::NotAllowed(CommandKind::DecideExtension));
    let ev = run(&mut c, &supervisor(), T0 + 2 * HOUR, decide.clone());
    assert!(matches!(ev[0].change, Change::ExtensionDecided { approved: true, deadline_ms, .. } if deadline_ms == before + 5 * 24 * HOUR));
    assert_eq!(c.sla.deadline_ms(), before + 5 * 24 * HOUR);
    assert_eq!(refused(&mut c, &supervisor(), T0 + 2 * HOUR, decide), CaseError::NoExtensionPending(RAILWAY));
}

#[test]
fn a_refused_extension_leaves_the_deadline_where_it_was() {
    let mut c = in_progress();
    let before = c.sla.deadline_ms();
    run(&mut c, &staff(LIANHUA), T0 + HOUR, CaseCommand::RequestExtension { unit: LIANHUA, ms: HOUR, reason: "雨天".into() });
    run(&mut c, &supervisor(), T0 + HOUR, CaseCommand::DecideExtension { unit: LIANHUA, approve: false, note: Some("工期可控".into()) });
    assert_eq!(c.sla.deadline_ms(), before);
    assert_eq!(c.current(LIANHUA).unwrap().pending_extension, None);
}

#[test]
fn a_cooperating_unit_finishes_its_part_but_the_lead_resolves() {
    let mut c = in_progress();
    run(&mut c, &staff(RAILWAY), T0 + HOUR, CaseCommand::FinishPart { unit: RAILWAY });
    assert_eq!(refused(&mut c, &staff(LIANHUA), T0 + HOUR, CaseCommand::FinishPart { unit: LIANHUA }), CaseError::LeadMustResolve(LIANHUA));
    assert_eq!(c.status, CaseStatus::InProgress);
    let ev = run(&mut c, &staff(LIANHUA), T0 + 2 * HOUR, CaseCommand::Resolve { unit: LIANHUA, result: "已修复".into() });
    assert!(matches!(&ev[0].change, Change::Resolved { also_closed, on_time: true, .. } if *also_closed == [GENGSHAN]));
    assert!(c.current_assignments().all(|a| a.status == AssignmentStatus::Done));
}

#[test]
fn failed_verification_reopens_the_resolved_case_for_rework() {
    let mut c = in_progress();
    resolve(&mut c);
    run(&mut c, &operator(), T0 + 6 * HOUR, CaseCommand::Reopen { reason: "现场核查仍有裂缝".into() });
    assert_eq!((c.status, c.reopen_count), (CaseStatus::Reopened, 1));
    run(&mut c, &operator(), T0 + 7 * HOUR, CaseCommand::Dispatch { lead: LIANHUA, cooperating: vec![RAILWAY] });
    assert_eq!((c.status, c.round), (CaseStatus::Dispatched, 2));
}

#[test]
fn unsatisfied_follow_up_reopens_the_case() {
    let mut c = in_follow_up();
    let ev = run(&mut c, &Actor::Resident, T0 + 50 * HOUR, CaseCommand::RecordFollowUp { satisfied: Some(false), comment: None });
    assert_eq!(ev[1].change, Change::Reopened { cause: ReopenCause::Unsatisfied });
    assert_eq!(c.status, CaseStatus::Reopened);
    assert_eq!(c.sla, SlaClock::start(T0 + 50 * HOUR, c.terms.allowed_ms), "the redo gets the full time again");
    run(&mut c, &operator(), T0 + 51 * HOUR, CaseCommand::Dispatch { lead: LIANHUA, cooperating: vec![] });
    assert_eq!(c.status, CaseStatus::Dispatched);
}

#[test]
fn an_unanswered_follow_up_closes_only_after_the_wait() {
    let mut c = in_follow_up();
    let ev = run(&mut c, &operator(), T0 + 7 * HOUR, CaseCommand::RecordFollowUp { satisfied: None, comment: Some("电话无人接听".into()) });
    assert_eq!(kinds(&ev), ["follow_up_recorded"]);
    let due = c.follow_up_due_ms.unwrap();
    assert_eq!(due, T0 + 6 * HOUR + DEFAULT_FOLLOW_UP_WAIT_MS);
    assert_eq!(refused(&mut c, &Actor::System, due - 1, CaseCommand::Close), CaseError::FollowUpNotDue(due));
    assert_eq!(c.next_alarm_ms(due - 1), Some(due));
    assert_eq!(c.due_command(due - 1), None);
    assert_eq!(c.due_command(due), Some(CaseCommand::Close));
    let ev = run(&mut c, &Actor::System, due, CaseCommand::Close);
    assert_eq!((c.due_command(due + 1), c.next_alarm_ms(due + 1)), (None, None), "a closed case rings no more");
    assert_eq!(ev[0].change, Change::Closed { cause: CloseCause::NoAnswer });
}

#[test]
fn acting_on_a_closed_case_is_refused_but_staff_may_reopen_it() {
    let mut c = in_follow_up();
    run(&mut c, &operator(), T0 + 7 * HOUR, CaseCommand::RecordFollowUp { satisfied: Some(true), comment: None });
    for cmd in [CaseCommand::Verify, CaseCommand::Triage, CaseCommand::Sign { unit: LIANHUA }, CaseCommand::Close] {
        assert_eq!(refused(&mut c, &operator(), T0 + 8 * HOUR, cmd), CaseError::Finished(CaseStatus::Closed));
    }
    let by_unit = CaseCommand::Reopen { reason: "裂缝复现".into() };
    assert_eq!(refused(&mut c, &staff(LIANHUA), T0 + 9 * HOUR, by_unit.clone()), CaseError::NotAllowed(CommandKind::Reopen));
    run(&mut c, &supervisor(), T0 + 9 * HOUR, by_unit);
    assert_eq!(c.status, CaseStatus::Reopened);
}

#[test]
fn a_rejected_or_merged_case_accepts_nothing_at_all() {
    let mut c = received();
    run(&mut c, &operator(), T0, CaseCommand::Reject { reason: "重复来电".into() });
    let reopen = CaseCommand::Reopen { reason: "误判".into() };
    assert_eq!(refused(&mut c, &operator(), T0, reopen), CaseError::Finished(CaseStatus::Rejected));
}

#[test]
fn each_actor_acts_only_within_their_part() {
    let mut c = dispatched();
    let sign = CaseCommand::Sign { unit: LIANHUA };
    assert_eq!(refused(&mut c, &staff(RAILWAY), T0, sign.clone()), CaseError::NotAllowed(CommandKind::Sign));
    assert_eq!(refused(&mut c, &operator(), T0, sign), CaseError::NotAllowed(CommandKind::Sign));
    let not_ours = CaseCommand::Sign { unit: 77 };
    assert_eq!(refused(&mut c, &staff(77), T0, not_ours), CaseError::NotAssigned(77));
    assert_eq!(refused(&mut c, &staff(LIANHUA), T0, CaseCommand::Verify), CaseError::NotAllowed(CommandKind::Verify));
    let leader = Actor::staff(3, Role::Leader, None);
    assert_eq!(refused(&mut c, &leader, T0, CaseCommand::Triage), CaseError::NotAllowed(CommandKind::Triage));
    let mut f = in_follow_up();
    let no_answer = CaseCommand::RecordFollowUp { satisfied: None, comment: None };
    assert_eq!(refused(&mut f, &Actor::Resident, T0, no_answer), CaseError::NotAllowed(CommandKind::RecordFollowUp));
    assert_eq!(refused(&mut f, &Actor::Resident, T0, CaseCommand::Close), CaseError::NotAllowed(CommandKind::Close));
}

#[test]
fn progress_is_posted_only_after_signing() {
    let mut c = dispatched();
    let cmd = CaseCommand::Progress { unit: GENGSHAN, text: "已到现场".into(), place: None };
    assert_eq!(refused(&mut c, &staff(GENGSHAN), T0, cmd.clone()), CaseError::NotSigned(GENGSHAN));
    run(&mut c, &staff(GENGSHAN), T0, CaseCommand::Sign { unit: GENGSHAN });
    run(&mut c, &staff(GENGSHAN), T0, cmd);
    assert_eq!(c.current(GENGSHAN).unwrap().status, AssignmentStatus::Working);
}

#[test]
fn the_scheduler_is_woken_for_the_first_unsigned_unit() {
    let c = dispatched();
    let dispatched_at = T0 + 2 * MIN;
    assert_eq!(c.next_alarm_ms(dispatched_at), Some(dispatched_at + 210_000), "70 % of five minutes");
    assert!(c.current(LIANHUA).unwrap().ack_overdue(dispatched_at + 5 * MIN + 1));
}

#[test]
fn an_emergency_in_a_slow_category_gets_two_hours() {
    let category = Category::preset("road", "道路", CaseKind::MajorEmergency, SlaClass::General).unwrap();
    let intake = Intake::new(&category, Channel::Field, Urgency::Emergency).unwrap();
    let (c, ev) = Case::receive(9, intake, &staff(GENGSHAN), T0).unwrap();
    assert_eq!(c.sla.deadline_ms(), T0 + 2 * HOUR);
    assert_eq!(ev.change.kind(), "received");
    let retired = Category { active: false, ..category };
    assert_eq!(Intake::new(&retired, Channel::Field, Urgency::Normal), Err(CaseError::CategoryInactive("road".into())));
}

#[test]
fn the_history_replays_to_the_same_case_and_survives_json() {
    let (mut c, first) = Case::receive(1, intake(), &operator(), T0).unwrap();
    let mut history = vec![first];
    let script = [
        (operator(), CaseCommand::Triage),
        (operator(), CaseCommand::Dispatch { lead: LIANHUA, cooperating: vec![RAILWAY] }),
        (staff(RAILWAY), CaseCommand::Sign { unit: RAILWAY }),
        (staff(RAILWAY), CaseCommand::Return { unit: RAILWAY, reason: "非本单位".into() }),
        (operator(), CaseCommand::Dispatch { lead: LIANHUA, cooperating: vec![] }),
        (staff(LIANHUA), CaseCommand::Sign { unit: LIANHUA }),
        (staff(LIANHUA), CaseCommand::Resolve { unit: LIANHUA, result: "已修复".into() }),
    ];
    for (i, (by, cmd)) in script.into_iter().enumerate() {
        history.extend(run(&mut c, &by, T0 + i as i64 * HOUR, cmd));
    }
    let json = serde_json::to_string(&history).unwrap();
    let back: Vec<CaseEvent> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, history);
    assert_eq!(Case::replay(1, &back), Some(c));
    assert_eq!(Case::replay(1, &back[1..]), None, "a history starts with its receipt");
}

#[test]
fn the_desk_dispatches_a_new_case_straight_away_and_triage_is_recorded_first() {
    let mut c = received();
    let events = run(&mut c, &operator(), T0 + MIN, CaseCommand::Dispatch { lead: LIANHUA, cooperating: vec![GENGSHAN] });
    assert_eq!(kinds(&events), ["triaged", "dispatched"]);
    assert_eq!(c.status, CaseStatus::Dispatched);
    // A unit cannot do it: the whole compound step is refused, triage included.
    assert_eq!(
        refused(&mut received(), &staff(LIANHUA), T0, CaseCommand::Dispatch { lead: LIANHUA, cooperating: vec![] }),
        CaseError::NotAllowed(CommandKind::Dispatch)
    );
}

#[test]
fn verifying_a_result_asks_the_resident_at_once() {
    let mut c = in_progress();
    resolve(&mut c);
    let events = run(&mut c, &operator(), T0 + 6 * HOUR, CaseCommand::Verify);
    assert_eq!(kinds(&events), ["verified", "follow_up_started"]);
    assert_eq!(c.status, CaseStatus::FollowUp);
    assert_eq!(c.follow_up_due_ms, Some(T0 + 6 * HOUR + c.terms.follow_up_wait_ms));
}

fn category(code: &str, kind: CaseKind, class: SlaClass) -> Box<Category> {
    Box::new(Category::preset(code, code, kind, class).unwrap())
}

#[test]
fn a_misfiled_case_is_refiled_before_dispatch_and_its_time_follows_the_new_category() {
    let mut c = received();
    let before = c.sla;
    let urgent = category("emergency-flood", CaseKind::MajorEmergency, SlaClass::Emergency);
    let ev = run(&mut c, &operator(), T0 + 10 * MIN, CaseCommand::Recategorise { to: urgent.clone(), reason: "来电所述为积水倒灌".into() });
    assert_eq!(kinds(&ev), ["recategorised"]);
    assert_eq!((c.category.as_str(), c.kind, c.status), ("emergency-flood", CaseKind::MajorEmergency, CaseStatus::Received));
    // The clock still runs from receipt, with the new category's time.
    assert_eq!(c.sla.started_ms, before.started_ms);
    assert_eq!(c.terms.allowed_ms, urgent.allowed_ms);
    assert_eq!(c.sla.deadline_ms(), T0 + urgent.allowed_ms);
    assert_eq!(c.terms.follow_up_wait_ms, before_wait());
    // Replaying the history gives the same case.
    let mut history = vec![CaseEvent { at_ms: T0, by: operator(), change: Change::Received { intake: intake() } }];
    history.extend(ev);
    assert_eq!(Case::replay(1, &history).unwrap(), c);
}

fn before_wait() -> i64 {
    received().terms.follow_up_wait_ms
}

#[test]
fn a_returned_case_is_refiled_then_dispatched_anew() {
    let mut c = dispatched();
    run(&mut c, &staff(LIANHUA), T0 + HOUR, CaseCommand::Return { unit: LIANHUA, reason: "不属本镇职责".into() });
    assert_eq!(c.status, CaseStatus::Triage);
    let to = category("roads", CaseKind::GovernanceIncident, SlaClass::Utilities);
    run(&mut c, &operator(), T0 + 2 * HOUR, CaseCommand::Recategorise { to, reason: "属道路设施".into() });
    assert_eq!((c.category.as_str(), c.status), ("roads", CaseStatus::Triage));
    run(&mut c, &operator(), T0 + 3 * HOUR, CaseCommand::Dispatch { lead: RAILWAY, cooperating: vec![] });
    assert_eq!(c.status, CaseStatus::Dispatched);
}

#[test]
fn refiling_is_refused_with_the_units_for_the_wrong_people_to_the_same_or_an_unused_category_and_without_a_reason() {
    let to = || category("roads", CaseKind::GovernanceIncident, SlaClass::Utilities);
    let why = || "属道路设施".to_string();
    // The units have it: it is returned first.
    let mut c = dispatched();
    let e = refused(&mut c, &operator(), T0 + HOUR, CaseCommand::Recategorise { to: to(), reason: why() });
    assert_eq!(e, CaseError::WrongStatus { status: CaseStatus::Dispatched, command: CommandKind::Recategorise });
    let mut c = received();
    // Only the desk files cases.
    let e = refused(&mut c, &staff(LIANHUA), T0 + MIN, CaseCommand::Recategorise { to: to(), reason: why() });
    assert_eq!(e, CaseError::NotAllowed(CommandKind::Recategorise));
    let e = refused(&mut c, &Actor::Resident, T0 + MIN, CaseCommand::Recategorise { to: to(), reason: why() });
    assert_eq!(e, CaseError::NotAllowed(CommandKind::Recategorise));
    let same = category("rail-damage", CaseKind::GovernanceIncident, SlaClass::Complex);
    assert_eq!(refused(&mut c, &operator(), T0 + MIN, CaseCommand::Recategorise { to: same, reason: why() }), CaseError::SameCategory("rail-damage".into()));
    let mut unused = to();
    unused.active = false;
    assert_eq!(refused(&mut c, &operator(), T0 + MIN, CaseCommand::Recategorise { to: unused, reason: why() }), CaseError::CategoryInactive("roads".into()));
    assert_eq!(refused(&mut c, &operator(), T0 + MIN, CaseCommand::Recategorise { to: to(), reason: "  ".into() }), CaseError::TextRequired(TextField::Reason));
    // Closed cases are not refiled: the record stands as it was handled.
    let mut done = in_follow_up();
    run(&mut done, &Actor::Resident, T0 + 30 * HOUR, CaseCommand::RecordFollowUp { satisfied: Some(true), comment: None });
    assert_eq!(refused(&mut done, &operator(), T0 + 31 * HOUR, CaseCommand::Recategorise { to: to(), reason: why() }), CaseError::Finished(CaseStatus::Closed));
}

#[test]
fn the_desk_is_offered_refiling_only_before_dispatch() {
    let op = operator();
    assert!(offered(&received(), &op, T0 + MIN).contains(&CommandKind::Recategorise));
    assert!(!offered(&dispatched(), &op, T0 + MIN).contains(&CommandKind::Recategorise));
    assert!(!offered(&received(), &staff(LIANHUA), T0 + MIN).contains(&CommandKind::Recategorise));
}
