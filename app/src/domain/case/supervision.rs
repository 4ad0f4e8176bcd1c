//! Supervision (督办): the center's ladder of pressure on a case — reminder (催办), tracking
//! supervision with feedback due dates (跟踪督办), listed supervision with a deadline and a
//! responsible leader (挂牌督办) that only a supervisor's tick-off (销号) ends — and what the
//! scheduler does on its own: warn the holding units at 70 % and 90 % of the case's time,
//! remind them when it runs out or a feedback date passes unanswered, propose the case for
//! listing when it stays overdue, and take an unsigned unit of a palm command to the
//! commander and the center's leaders.
//!
//! Each automatic step fires once per deadline: the state remembers which deadline it
//! warned about, so an approved extension (a new deadline) starts the warnings over, and a
//! restart (the same deadline) does not repeat them.
use super::{Actor, Case, CaseCommand, CaseError, CaseEvent, CaseStatus, Change, SlaLevel, TextField, UnitId, UserId, clean_text};
use crate::domain::access::SUPERVISE;
use serde::{Deserialize, Serialize};

/// How long after the deadline a case that is still overdue is proposed for listing, unless
/// its category says otherwise.
pub const DEFAULT_LIST_AFTER_MS: i64 = 24 * 3600 * 1000;
/// When a palm command's unsigned unit goes to the commander and the center's leaders,
/// counted from the dispatch, unless the category says otherwise (the unit itself at 5:00).
pub const DEFAULT_ESCALATE_AGAIN_MS: i64 = 10 * 60 * 1000;
/// Feedback and listing deadlines lie within a year: further is a typing slip.
const MAX_SUPERVISION_MS: i64 = 366 * 24 * 3600 * 1000;

coded_enum!(crate::domain::case::CaseError =>
    /// How far up the ladder a case stands, for the supervision list's filter.
    SupervisionStage {
        Reminded => "reminded",
        Tracking => "tracking",
        Proposed => "proposed",
        Listed => "listed",
        TickedOff => "ticked_off",
    }
);

/// Why the system reminded a unit on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// The case's time ran out.
    Overdue,
    /// A tracking supervision's feedback date passed without a report from the units.
    FeedbackMissed,
}

/// 跟踪督办: the units must report by `feedback_due_ms`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tracking {
    pub since_ms: i64,
    pub feedback_due_ms: i64,
    pub units: Vec<UnitId>,
    /// When one of the units reported after the tracking began.
    pub answered_ms: Option<i64>,
    /// The feedback date passed unanswered and the units were reminded.
    pub missed: bool,
}

/// 挂牌督办: on the supervision list until ticked off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    pub since_ms: i64,
    pub deadline_ms: i64,
    /// The leader answerable for it (a name and post as the notice prints it).
    pub leader: String,
    pub reason: String,
    pub ticked_off_ms: Option<i64>,
    pub tick_note: Option<String>,
}

impl Listing {
    pub fn is_open(&self) -> bool {
        self.ticked_off_ms.is_none()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supervision {
    /// The deadline the last time warning was about and how far it went (Warn70, Warn90,
    /// Overdue for the automatic reminder).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warned: Option<(i64, SlaLevel)>,
    #[serde(default)]
    pub reminders: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_reminded_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking: Option<Tracking>,
    /// The deadline the system proposed listing for, and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposed: Option<(i64, i64)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listing: Option<Listing>,
    /// The supervision office's latest words to the units: a reminder, a tracking demand, the
    /// reason of a listing. The phone's inbox shows them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_words: Option<String>,
}

impl Supervision {
    /// Nothing supervisory ever happened to the case.
    pub fn is_idle(&self) -> bool {
        self.reminders == 0 && self.tracking.is_none() && self.proposed.is_none() && self.listing.is_none()
    }

    /// The rung the holding units are shown: a proposal to list is the center's own business,
    /// and a tick-off ends supervision.
    pub fn stage_for_units(&self) -> Option<SupervisionStage> {
        match self.stage()? {
            SupervisionStage::TickedOff => None,
            SupervisionStage::Proposed if self.tracking.is_some() => Some(SupervisionStage::Tracking),
            SupervisionStage::Proposed => Some(SupervisionStage::Reminded).filter(|_| self.reminders > 0),
            s => Some(s),
        }
    }

    /// The highest rung the case stands on now.
    pub fn stage(&self) -> Option<SupervisionStage> {
        match &self.listing {
            Some(l) if l.is_open() => return Some(SupervisionStage::Listed),
            Some(_) => return Some(SupervisionStage::TickedOff),
            None => {}
        }
        if self.proposed.is_some() {
            Some(SupervisionStage::Proposed)
        } else if self.tracking.is_some() {
            Some(SupervisionStage::Tracking)
        } else if self.reminders > 0 {
            Some(SupervisionStage::Reminded)
        } else {
            None
        }
    }

    pub fn open_listing(&self) -> Option<&Listing> {
        self.listing.as_ref().filter(|l| l.is_open())
    }

    /// A tracking whose feedback is still owed.
    fn feedback_owed(&self) -> Option<&Tracking> {
        self.tracking.as_ref().filter(|t| t.answered_ms.is_none() && !t.missed)
    }

    /// Folds one supervision event; `deadline_ms` is the case's deadline when it happened.
    pub(super) fn apply(&mut self, change: &Change, at_ms: i64, deadline_ms: i64) {
        match change {
            Change::Warned { level, .. } => self.warned = Some((deadline_ms, *level)),
            Change::Reminded { trigger, text, .. } => {
                if text.is_some() {
                    self.last_words = text.clone();
                }
                self.reminders += 1;
                self.last_reminded_ms = Some(at_ms);
                match trigger {
                    Some(Trigger::Overdue) => self.warned = Some((deadline_ms, SlaLevel::Overdue)),
                    Some(Trigger::FeedbackMissed) => {
                        if let Some(t) = self.tracking.as_mut() {
                            t.missed = true;
                        }
                    }
                    None => {}
                }
            }
            Change::TrackingStarted { units, feedback_due_ms, text } => {
                self.last_words = Some(text.clone());
                self.tracking = Some(Tracking { since_ms: at_ms, feedback_due_ms: *feedback_due_ms, units: units.clone(), answered_ms: None, missed: false });
            }
            Change::Progressed { unit, .. } => {
                if let Some(t) = self.tracking.as_mut().filter(|t| t.answered_ms.is_none() && t.units.contains(unit)) {
                    t.answered_ms = Some(at_ms);
                }
            }
            Change::ListingProposed { .. } => self.proposed = Some((deadline_ms, at_ms)),
            Change::Listed { deadline_ms: due, leader, reason } => {
                self.proposed = None;
                self.last_words = Some(reason.clone());
                self.listing =
                    Some(Listing { since_ms: at_ms, deadline_ms: *due, leader: leader.clone(), reason: reason.clone(), ticked_off_ms: None, tick_note: None });
            }
            Change::TickedOff { note } => {
                if let Some(l) = self.listing.as_mut() {
                    l.ticked_off_ms = Some(at_ms);
                    l.tick_note = Some(note.clone());
                }
            }
            _ => {}
        }
    }
}

/// The statuses in which the case's own clock runs and someone still owes the work.
fn clock_running(case: &Case) -> bool {
    use CaseStatus as S;
    matches!(case.status, S::Received | S::Triage | S::Dispatched | S::InProgress | S::Reopened) && case.sla.is_running()
}

/// The units holding the case: whoever of the current round still owes their part.
pub fn holding_units(case: &Case) -> Vec<UnitId> {
    case.current_assignments().filter(|a| a.status.is_open()).map(|a| a.unit).collect()
}

/// The timed supervision step due at `now`, if any: the one event the system records.
/// Only the worst level is warned about: after a long stop, a 70 % warning that is already
/// a 90 % one is not sent first.
fn due_step(case: &Case, now_ms: i64) -> Option<Change> {
    if !clock_running(case) {
        return None;
    }
    let sup = &case.supervision;
    let deadline = case.sla.deadline_ms();
    let units = holding_units(case);
    if let Some(t) = sup.feedback_owed().filter(|t| t.feedback_due_ms < now_ms) {
        return Some(Change::Reminded { units: t.units.clone(), text: None, trigger: Some(Trigger::FeedbackMissed) });
    }
    let level = case.sla.level(now_ms);
    let told = sup.warned.filter(|(d, _)| *d == deadline).map(|(_, l)| l).unwrap_or(SlaLevel::Normal);
    if level > told {
        return Some(match level {
            SlaLevel::Overdue => Change::Reminded { units, text: None, trigger: Some(Trigger::Overdue) },
            _ => Change::Warned { level, units },
        });
    }
    let proposal_due = deadline.saturating_add(case.terms.list_after_ms);
    let proposed_for_this = sup.proposed.is_some_and(|(d, _)| d == deadline);
    if level == SlaLevel::Overdue && now_ms > proposal_due && !proposed_for_this && sup.open_listing().is_none() {
        return Some(Change::ListingProposed { overdue_ms: now_ms - deadline });
    }
    None
}

/// Whether the scheduler has a supervision step to record on the case at `now`.
pub fn watch_due(case: &Case, now_ms: i64) -> bool {
    due_step(case, now_ms).is_some()
}

/// The next instant a supervision step falls due beyond the SLA thresholds the clock itself
/// reports: the end of a feedback date, the listing proposal, a second escalation.
/// A step already due (after a stop longer than the gap between two steps) rings at once.
pub fn next_alarm_ms(case: &Case, now_ms: i64) -> Option<i64> {
    if due_step(case, now_ms).is_some() || !due_again(case, now_ms).is_empty() {
        return Some(now_ms);
    }
    let mut next: Vec<i64> = Vec::new();
    if clock_running(case) {
        let sup = &case.supervision;
        if let Some(t) = sup.feedback_owed() {
            next.push(t.feedback_due_ms.saturating_add(1));
        }
        let deadline = case.sla.deadline_ms();
        if sup.open_listing().is_none() && sup.proposed.is_none_or(|(d, _)| d != deadline) {
            next.push(deadline.saturating_add(case.terms.list_after_ms).saturating_add(1));
        }
    }
    if case.status.is_with_units() && case.open_task_force().is_some() {
        next.extend(case.current_assignments().filter(|a| a.is_unsigned_escalated_once()).map(|a| again_at(case, a.assigned_ms())));
    }
    next.into_iter().filter(|t| *t > now_ms).min()
}

fn again_at(case: &Case, assigned_ms: i64) -> i64 {
    assigned_ms.saturating_add(case.terms.escalate_again_ms).saturating_add(1)
}

/// Units of an open palm command still unsigned past the second step, escalated once already.
pub fn due_again(case: &Case, now_ms: i64) -> Vec<UnitId> {
    if !case.status.is_with_units() || case.open_task_force().is_none() {
        return Vec::new();
    }
    case.current_assignments().filter(|a| a.is_unsigned_escalated_once() && again_at(case, a.assigned_ms()) <= now_ms).map(|a| a.unit).collect()
}

/// Who a supervisor's reminder or tracking goes to: the units holding a case whose clock
/// runs; refused for anyone but a supervisor, and when no unit holds the case.
fn supervised_units(case: &Case, by: &Actor, cmd: &CaseCommand) -> Result<Vec<UnitId>, CaseError> {
    if !by.has_role(SUPERVISE) {
        return Err(CaseError::NotAllowed(cmd.kind()));
    }
    if !clock_running(case) {
        return Err(CaseError::WrongStatus { status: case.status, command: cmd.kind() });
    }
    let units = holding_units(case);
    if units.is_empty() { Err(CaseError::NoUnitHolds) } else { Ok(units) }
}

/// The events of the supervision commands, or why not. The finished-case check was made by
/// `decide` (a tick-off is the one supervision step a closed case still takes).
pub(super) fn decide(case: &Case, by: &Actor, now_ms: i64, cmd: &CaseCommand) -> Result<Vec<CaseEvent>, CaseError> {
    use CaseCommand as C;
    let event = |change| Ok(vec![CaseEvent { at_ms: now_ms, by: by.clone(), change }]);
    let refuse = || Err(CaseError::NotAllowed(cmd.kind()));
    let system = *by == Actor::System;
    let wrong = || Err(CaseError::WrongStatus { status: case.status, command: cmd.kind() });
    let within = |due: i64| due > now_ms && due <= now_ms.saturating_add(MAX_SUPERVISION_MS);
    match cmd {
        C::Watch => {
            if !system {
                return refuse();
            }
            match due_step(case, now_ms) {
                Some(change) => event(change),
                None => Err(CaseError::NothingDue),
            }
        }
        C::EscalateFurther { to } => {
            if !system {
                return refuse();
            }
            let units = due_again(case, now_ms);
            if units.is_empty() {
                return Err(CaseError::NothingOverdue);
            }
            let mut to: Vec<UserId> = case.open_task_force().map(|t| t.commander).into_iter().chain(to.iter().copied()).collect();
            to.sort_unstable();
            to.dedup();
            event(Change::EscalatedFurther { units, to })
        }
        C::Remind { text } => {
            let units = supervised_units(case, by, cmd)?;
            event(Change::Reminded { units, text: Some(clean_text(TextField::Directive, text)?), trigger: None })
        }
        C::Track { feedback_due_ms, text } => {
            let units = supervised_units(case, by, cmd)?;
            if !within(*feedback_due_ms) {
                return Err(CaseError::BadSupervisionDate);
            }
            event(Change::TrackingStarted { units, feedback_due_ms: *feedback_due_ms, text: clean_text(TextField::Directive, text)? })
        }
        C::List { deadline_ms, leader, reason } => {
            if !by.has_role(SUPERVISE) {
                return refuse();
            }
            if !clock_running(case) {
                return wrong();
            }
            if case.supervision.open_listing().is_some() {
                return Err(CaseError::AlreadyListed);
            }
            if !within(*deadline_ms) {
                return Err(CaseError::BadSupervisionDate);
            }
            let leader = clean_text(TextField::Name, leader)?;
            event(Change::Listed { deadline_ms: *deadline_ms, leader, reason: clean_text(TextField::Reason, reason)? })
        }
        C::TickOff { note } => {
            if !by.has_role(SUPERVISE) {
                return refuse();
            }
            if case.supervision.open_listing().is_none() {
                return Err(CaseError::NotListed);
            }
            // Ticked off after checking the result: there must be one.
            if clock_running(case) || case.status == CaseStatus::Reopened {
                return Err(CaseError::NoResultYet);
            }
            event(Change::TickedOff { note: clean_text(TextField::Note, note)? })
        }
        _ => unreachable!("only supervision commands are decided here"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::{CaseKind, Category, Channel, Intake, Urgency};
    use crate::domain::org::Role;

    const T0: i64 = 1_700_000_000_000;
    const H: i64 = 3_600_000;
    const MIN: i64 = 60_000;

    fn sup() -> Actor {
        Actor::staff(9, Role::Supervisor, None)
    }
    fn desk() -> Actor {
        Actor::staff(2, Role::Operator, None)
    }
    fn unit(u: UnitId) -> Actor {
        Actor::staff(100 + u, Role::UnitStaff, Some(u))
    }

    /// A 10-hour case dispatched to units 5 (lead) and 6 at T0.
    fn dispatched() -> Case {
        let cat = Category::new("noise", "噪音", CaseKind::GovernanceIncident, 10 * H).unwrap();
        let intake = Intake::new(&cat, Channel::Online, Urgency::Normal).unwrap();
        let (mut c, _) = Case::receive(1, intake, &desk(), T0).unwrap();
        c.execute(&desk(), T0, &CaseCommand::Dispatch { lead: 5, cooperating: vec![6] }).unwrap();
        c
    }

    /// What the scheduler records at `now`, applied; None when nothing is due.
    fn watch(c: &mut Case, now: i64) -> Option<Change> {
        match c.execute(&Actor::System, now, &CaseCommand::Watch) {
            Ok(events) => Some(events[0].change.clone()),
            Err(CaseError::NothingDue) => None,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn the_holding_units_are_warned_at_70_and_90_percent_and_reminded_at_the_deadline_each_once() {
        let mut c = dispatched();
        assert_eq!(watch(&mut c, T0 + 7 * H - 1), None);
        assert_eq!(c.next_alarm_ms(T0), Some(T0 + 210_000), "the units' time to sign comes first (its own 70 %)");
        assert_eq!(watch(&mut c, T0 + 7 * H), Some(Change::Warned { level: SlaLevel::Warn70, units: vec![5, 6] }));
        assert_eq!(watch(&mut c, T0 + 7 * H + 1), None, "warned once");
        assert_eq!(watch(&mut c, T0 + 9 * H), Some(Change::Warned { level: SlaLevel::Warn90, units: vec![5, 6] }));
        assert_eq!(watch(&mut c, T0 + 10 * H), None, "the deadline itself is on time");
        let reminded = watch(&mut c, T0 + 10 * H + 1);
        assert_eq!(reminded, Some(Change::Reminded { units: vec![5, 6], text: None, trigger: Some(Trigger::Overdue) }));
        assert_eq!(watch(&mut c, T0 + 11 * H), None);
        assert_eq!(c.supervision.stage(), Some(SupervisionStage::Reminded));
    }

    #[test]
    fn after_a_stop_of_days_the_reminder_and_the_proposal_both_ring_at_once() {
        let mut c = dispatched();
        let back = T0 + 10 * H + 5 * DEFAULT_LIST_AFTER_MS;
        assert_eq!(c.next_alarm_ms(back), Some(back), "due now");
        assert!(matches!(watch(&mut c, back), Some(Change::Reminded { trigger: Some(Trigger::Overdue), .. })));
        assert_eq!(c.next_alarm_ms(back), Some(back), "the proposal is due too");
        assert!(matches!(watch(&mut c, back), Some(Change::ListingProposed { .. })));
        assert_eq!(next_alarm_ms(&c, back), None, "and then nothing");
    }

    #[test]
    fn after_a_long_stop_only_the_worst_level_is_recorded() {
        let mut c = dispatched();
        assert!(matches!(watch(&mut c, T0 + 9 * H + 30 * MIN), Some(Change::Warned { level: SlaLevel::Warn90, .. })));
        assert_eq!(watch(&mut c, T0 + 9 * H + 31 * MIN), None);
    }

    #[test]
    fn an_extension_starts_the_warnings_over_for_the_new_deadline() {
        let mut c = dispatched();
        c.execute(&unit(5), T0, &CaseCommand::Sign { unit: 5 }).unwrap();
        c.execute(&unit(6), T0, &CaseCommand::Sign { unit: 6 }).unwrap();
        watch(&mut c, T0 + 9 * H).unwrap();
        c.execute(&unit(5), T0 + 9 * H, &CaseCommand::RequestExtension { unit: 5, ms: 10 * H, reason: "等材料".into() }).unwrap();
        c.execute(&sup(), T0 + 9 * H, &CaseCommand::DecideExtension { unit: 5, approve: true, note: None }).unwrap();
        assert_eq!(watch(&mut c, T0 + 10 * H), None, "45 % of twenty hours");
        assert_eq!(watch(&mut c, T0 + 14 * H), Some(Change::Warned { level: SlaLevel::Warn70, units: vec![5, 6] }));
    }

    #[test]
    fn a_case_still_overdue_a_day_later_is_proposed_for_listing_once() {
        let mut c = dispatched();
        watch(&mut c, T0 + 10 * H + 1).unwrap();
        let proposal = T0 + 10 * H + DEFAULT_LIST_AFTER_MS + 1;
        assert_eq!(c.next_alarm_ms(T0 + 10 * H + 1), Some(proposal));
        assert_eq!(watch(&mut c, proposal - 1), None);
        assert_eq!(watch(&mut c, proposal), Some(Change::ListingProposed { overdue_ms: DEFAULT_LIST_AFTER_MS + 1 }));
        assert_eq!(watch(&mut c, proposal + H), None);
        assert_eq!(c.supervision.stage(), Some(SupervisionStage::Proposed));
        assert_eq!(next_alarm_ms(&c, proposal), None);
    }

    #[test]
    fn the_ladder_runs_from_reminder_to_tick_off_and_only_a_supervisor_climbs_it() {
        let mut c = dispatched();
        let remind = CaseCommand::Remind { text: "请加快办理".into() };
        assert_eq!(c.decide(&desk(), T0 + H, &remind), Err(CaseError::NotAllowed(crate::domain::case::CommandKind::Remind)));
        assert_eq!(c.decide(&unit(5), T0 + H, &remind), Err(CaseError::NotAllowed(crate::domain::case::CommandKind::Remind)));
        c.execute(&sup(), T0 + H, &remind).unwrap();
        assert_eq!(c.supervision.reminders, 1);

        let track = CaseCommand::Track { feedback_due_ms: T0 + 3 * H, text: "每日反馈进展".into() };
        assert_eq!(c.decide(&sup(), T0 + H, &CaseCommand::Track { feedback_due_ms: T0 + H, text: "x".into() }), Err(CaseError::BadSupervisionDate));
        c.execute(&sup(), T0 + H, &track).unwrap();
        assert_eq!(c.supervision.stage(), Some(SupervisionStage::Tracking));

        let list = CaseCommand::List { deadline_ms: T0 + 48 * H, leader: "王副区长".into(), reason: "群众反映强烈".into() };
        c.execute(&sup(), T0 + 2 * H, &list).unwrap();
        assert_eq!(c.decide(&sup(), T0 + 2 * H, &list), Err(CaseError::AlreadyListed));
        let tick = CaseCommand::TickOff { note: "现场核查已整改".into() };
        assert_eq!(c.decide(&sup(), T0 + 3 * H, &tick), Err(CaseError::NoResultYet), "no result to check yet");

        c.execute(&unit(5), T0 + 2 * H, &CaseCommand::Sign { unit: 5 }).unwrap();
        c.execute(&unit(6), T0 + 2 * H, &CaseCommand::Sign { unit: 6 }).unwrap();
        c.execute(&unit(5), T0 + 2 * H, &CaseCommand::Resolve { unit: 5, result: "已处理".into() }).unwrap();
        c.execute(&desk(), T0 + 3 * H, &CaseCommand::Verify).unwrap();
        c.execute(&desk(), T0 + 3 * H, &CaseCommand::RecordFollowUp { satisfied: Some(true), comment: None }).unwrap();
        assert_eq!(c.status, CaseStatus::Closed);
        assert_eq!(c.supervision.stage(), Some(SupervisionStage::Listed), "closing does not take it off the list");
        c.execute(&sup(), T0 + 4 * H, &tick).unwrap();
        assert_eq!(c.supervision.stage(), Some(SupervisionStage::TickedOff));
        assert_eq!(c.decide(&sup(), T0 + 4 * H, &tick), Err(CaseError::Finished(CaseStatus::Closed)), "off the list, the case is simply closed");
    }

    #[test]
    fn the_units_see_the_rungs_that_concern_them_and_the_offices_latest_words() {
        let mut c = dispatched();
        watch(&mut c, T0 + 10 * H + 1).unwrap();
        watch(&mut c, T0 + 10 * H + DEFAULT_LIST_AFTER_MS + 1).unwrap();
        assert_eq!(c.supervision.stage(), Some(SupervisionStage::Proposed));
        assert_eq!(c.supervision.stage_for_units(), Some(SupervisionStage::Reminded), "a proposal is the center's business");
        assert_eq!(c.supervision.last_words, None, "the system's reminder has no words");
        let now = T0 + 40 * H;
        c.execute(&sup(), now, &CaseCommand::Remind { text: "请本周办结".into() }).unwrap();
        assert_eq!(c.supervision.last_words.as_deref(), Some("请本周办结"));
        c.execute(&sup(), now, &CaseCommand::List { deadline_ms: now + 48 * H, leader: "王".into(), reason: "反复投诉".into() }).unwrap();
        assert_eq!((c.supervision.stage_for_units(), c.supervision.last_words.as_deref()), (Some(SupervisionStage::Listed), Some("反复投诉")));
    }

    #[test]
    fn a_report_answers_the_tracking_and_an_unanswered_one_is_reminded_once_at_its_date() {
        let mut c = dispatched();
        c.execute(&unit(5), T0, &CaseCommand::Sign { unit: 5 }).unwrap();
        c.execute(&unit(6), T0, &CaseCommand::Sign { unit: 6 }).unwrap();
        c.execute(&sup(), T0 + H, &CaseCommand::Track { feedback_due_ms: T0 + 2 * H, text: "两小时内反馈".into() }).unwrap();
        let mut answered = c.clone();
        answered.execute(&unit(6), T0 + H + MIN, &CaseCommand::Progress { unit: 6, text: "已到场".into(), place: None }).unwrap();
        assert_eq!(answered.supervision.tracking.as_ref().unwrap().answered_ms, Some(T0 + H + MIN));
        assert_eq!(watch(&mut answered, T0 + 3 * H), None);

        assert_eq!(next_alarm_ms(&c, T0 + H), Some(T0 + 2 * H + 1));
        assert_eq!(watch(&mut c, T0 + 2 * H), None);
        assert_eq!(watch(&mut c, T0 + 2 * H + 1), Some(Change::Reminded { units: vec![5, 6], text: None, trigger: Some(Trigger::FeedbackMissed) }));
        assert_eq!(watch(&mut c, T0 + 2 * H + 2), None);
    }

    #[test]
    fn an_unsigned_command_unit_goes_to_the_commander_and_leaders_at_ten_minutes_once() {
        let cat = Category::new("fire", "火情", CaseKind::MajorEmergency, 2 * H).unwrap();
        let intake = Intake::new(&cat, Channel::Hotline12345, Urgency::Normal).unwrap();
        let (mut c, _) = Case::receive(1, intake, &desk(), T0).unwrap();
        c.execute(&desk(), T0, &CaseCommand::Launch { commander: 2, lead: 5, cooperating: vec![6] }).unwrap();
        c.execute(&unit(5), T0 + MIN, &CaseCommand::Sign { unit: 5 }).unwrap();
        assert_eq!(c.due_command(T0 + 5 * MIN + 1), Some(CaseCommand::Escalate));
        c.execute(&Actor::System, T0 + 5 * MIN + 1, &CaseCommand::Escalate).unwrap();
        let again = T0 + DEFAULT_ESCALATE_AGAIN_MS + 1;
        assert_eq!(c.next_alarm_ms(T0 + 5 * MIN + 1), Some(again));
        assert_eq!(c.due_command(again - 1), None);
        assert_eq!(c.due_command(again), Some(CaseCommand::EscalateFurther { to: vec![] }));
        let events = c.execute(&Actor::System, again, &CaseCommand::EscalateFurther { to: vec![7, 2] }).unwrap();
        assert_eq!(events[0].change, Change::EscalatedFurther { units: vec![6], to: vec![2, 7] });
        assert_eq!(c.due_command(again + MIN), None, "once");
        assert_eq!(
            c.decide(&sup(), again, &CaseCommand::EscalateFurther { to: vec![] }),
            Err(CaseError::NotAllowed(crate::domain::case::CommandKind::EscalateFurther))
        );
    }

    #[test]
    fn nothing_is_due_on_a_case_that_is_resolved() {
        let mut c = dispatched();
        c.execute(&unit(5), T0, &CaseCommand::Sign { unit: 5 }).unwrap();
        c.execute(&unit(6), T0, &CaseCommand::Sign { unit: 6 }).unwrap();
        c.execute(&unit(5), T0 + H, &CaseCommand::Resolve { unit: 5, result: "ok".into() }).unwrap();
        assert_eq!(watch(&mut c, T0 + 100 * H), None);
        assert_eq!(next_alarm_ms(&c, T0 + H), None);
        assert_eq!(
            c.decide(&sup(), T0 + 2 * H, &CaseCommand::Remind { text: "x".into() }),
            Err(CaseError::WrongStatus { status: CaseStatus::Resolved, command: crate::domain::case::CommandKind::Remind })
        );
    }
}
