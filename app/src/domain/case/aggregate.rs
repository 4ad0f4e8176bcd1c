//! The case aggregate: the state the rules decide on, built by folding its events.
use super::{
    Actor, Assignment, CaseCommand, CaseError, CaseEvent, CaseId, CaseKind, CaseStatus, Category, Change, Channel, ExtensionRequest, MAX_SLA_MS, MIN_SLA_MS,
    ReopenCause, SlaClock, SlaLevel, Step, Supervision, TaskForce, UnitId, Urgency, allowed_ms, decide,
};
use serde::{Deserialize, Serialize};

/// How long the resident has to rate the result before silence counts as consent.
pub const DEFAULT_FOLLOW_UP_WAIT_MS: i64 = 3 * 24 * 3600 * 1000;
const MAX_ACK_MS: i64 = 24 * 3600 * 1000;

/// The time limits a case is held to. They are fixed at intake and travel in the
/// `Received` event, so retuning a category never moves the goalposts of cases already
/// running, and replaying an old history gives the same clocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Terms {
    pub allowed_ms: i64,
    pub ack_ms: i64,
    pub follow_up_wait_ms: i64,
    /// Overdue this long, the case is proposed for listed supervision (histories from before
    /// supervision get the default).
    #[serde(default = "default_list_after_ms")]
    pub list_after_ms: i64,
    /// A palm command's unsigned unit goes to the commander and leaders this long after dispatch.
    #[serde(default = "default_escalate_again_ms")]
    pub escalate_again_ms: i64,
}

fn default_list_after_ms() -> i64 {
    super::DEFAULT_LIST_AFTER_MS
}

fn default_escalate_again_ms() -> i64 {
    super::DEFAULT_ESCALATE_AGAIN_MS
}

impl Terms {
    pub fn for_category(category: &Category, urgency: Urgency) -> Terms {
        Terms {
            allowed_ms: allowed_ms(category.allowed_ms, urgency),
            ack_ms: category.ack_ms,
            follow_up_wait_ms: DEFAULT_FOLLOW_UP_WAIT_MS,
            list_after_ms: category.list_after_ms,
            escalate_again_ms: category.escalate_again_ms,
        }
    }

    pub fn check(&self) -> Result<(), CaseError> {
        let ok = (MIN_SLA_MS..=MAX_SLA_MS).contains(&self.allowed_ms)
            && (1000..=MAX_ACK_MS).contains(&self.ack_ms)
            && (0..=MAX_SLA_MS).contains(&self.follow_up_wait_ms)
            && (0..=MAX_SLA_MS).contains(&self.list_after_ms)
            && (self.ack_ms..=MAX_ACK_MS).contains(&self.escalate_again_ms);
        if ok { Ok(()) } else { Err(CaseError::BadTimeLimit) }
    }
}

/// What intake knows about a new case that the rules care about. The description,
/// place, reporter and attachments live beside it in the store; no transition depends on them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intake {
    pub kind: CaseKind,
    pub category: String,
    pub channel: Channel,
    pub urgency: Urgency,
    pub terms: Terms,
}

impl Intake {
    pub fn new(category: &Category, channel: Channel, urgency: Urgency) -> Result<Intake, CaseError> {
        if !category.active {
            return Err(CaseError::CategoryInactive(category.code.clone()));
        }
        Ok(Intake { kind: category.kind, category: category.code.clone(), channel, urgency, terms: Terms::for_category(category, urgency) })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub id: CaseId,
    pub kind: CaseKind,
    pub category: String,
    pub channel: Channel,
    pub urgency: Urgency,
    pub terms: Terms,
    pub status: CaseStatus,
    pub received_ms: i64,
    /// Time to resolve: runs from receipt (or the last reopening) until resolved.
    pub sla: SlaClock,
    /// Number of the latest dispatch; 0 before the first.
    pub round: u32,
    /// Every assignment of every round; `current_assignments` gives the live ones.
    pub assignments: Vec<Assignment>,
    /// Why the case stands where it does: the reason of a reject, a return or a reopening.
    pub status_reason: Option<String>,
    pub merged_into: Option<CaseId>,
    pub result: Option<String>,
    pub follow_up_due_ms: Option<i64>,
    pub satisfied: Option<bool>,
    pub return_count: u32,
    pub reopen_count: u32,
    /// The palm command's task force, when the case was launched as one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_force: Option<TaskForce>,
    /// Reminders, tracking, listing and the time warnings recorded (督办).
    #[serde(default, skip_serializing_if = "Supervision::is_idle")]
    pub supervision: Supervision,
}

impl Case {
    fn opened(id: CaseId, intake: Intake, at_ms: i64) -> Case {
        Case {
            id,
            kind: intake.kind,
            category: intake.category,
            channel: intake.channel,
            urgency: intake.urgency,
            terms: intake.terms,
            status: CaseStatus::Received,
            received_ms: at_ms,
            sla: SlaClock::start(at_ms, intake.terms.allowed_ms),
            round: 0,
            assignments: Vec::new(),
            status_reason: None,
            merged_into: None,
            result: None,
            follow_up_due_ms: None,
            satisfied: None,
            return_count: 0,
            reopen_count: 0,
            task_force: None,
            supervision: Supervision::default(),
        }
    }

    /// A new case (受理) and the first event of its history.
    pub fn receive(id: CaseId, intake: Intake, by: &Actor, now_ms: i64) -> Result<(Case, CaseEvent), CaseError> {
        intake.terms.check()?;
        let case = Case::opened(id, intake.clone(), now_ms);
        Ok((case, CaseEvent { at_ms: now_ms, by: by.clone(), change: Change::Received { intake } }))
    }

    /// Rebuilds a case from its whole history; None unless the history starts with its receipt.
    pub fn replay(id: CaseId, events: &[CaseEvent]) -> Option<Case> {
        let (first, rest) = events.split_first()?;
        let Change::Received { intake } = &first.change else { return None };
        let mut case = Case::opened(id, intake.clone(), first.at_ms);
        rest.iter().for_each(|e| case.apply(e));
        Some(case)
    }

    /// The events `cmd` would append, or why it is refused. Changes nothing.
    pub fn decide(&self, by: &Actor, now_ms: i64, cmd: &CaseCommand) -> Result<Vec<CaseEvent>, CaseError> {
        decide(self, by, now_ms, cmd)
    }

    /// Decides and applies: on success the case has moved and the events are returned
    /// for the store; on refusal the case is exactly as it was.
    pub fn execute(&mut self, by: &Actor, now_ms: i64, cmd: &CaseCommand) -> Result<Vec<CaseEvent>, CaseError> {
        let events = decide(self, by, now_ms, cmd)?;
        events.iter().for_each(|e| self.apply(e));
        Ok(events)
    }

    /// The live assignments: this round's, neither returned nor withdrawn.
    pub fn current_assignments(&self) -> impl Iterator<Item = &Assignment> + '_ {
        self.assignments.iter().filter(|a| a.round == self.round && a.status.is_active())
    }

    /// The unit's live assignment, or `NotAssigned`.
    pub fn current(&self, unit: UnitId) -> Result<&Assignment, CaseError> {
        self.current_assignments().find(|a| a.unit == unit).ok_or(CaseError::NotAssigned(unit))
    }

    pub fn lead(&self) -> Option<&Assignment> {
        self.current_assignments().find(|a| a.lead)
    }

    pub fn unsigned_units(&self) -> Vec<UnitId> {
        self.current_assignments().filter(|a| !a.status.is_signed()).map(|a| a.unit).collect()
    }

    pub fn sla_level(&self, now_ms: i64) -> SlaLevel {
        self.sla.level(now_ms)
    }

    /// The next instant something about this case becomes due: an SLA warning or the
    /// deadline, a unit's time to sign, the end of the follow-up wait. The scheduler
    /// sleeps until the earliest over all cases.
    pub fn next_alarm_ms(&self, now_ms: i64) -> Option<i64> {
        if self.status.is_finished() {
            return None;
        }
        let acks = self.current_assignments().filter_map(|a| a.ack.next_alarm_ms(now_ms));
        let follow_up = self.follow_up_due_ms.filter(|d| self.status == CaseStatus::FollowUp && *d > now_ms);
        let supervision = super::supervision::next_alarm_ms(self, now_ms);
        acks.chain(self.sla.next_alarm_ms(now_ms)).chain(follow_up).chain(supervision).min()
    }

    /// What the system itself must do to the case at `now_ms`, when its alarm rings: escalate
    /// units past their time to sign (then, for a palm command, to the commander and leaders,
    /// whom the service names), record a supervision step, close a follow-up whose wait is over.
    pub fn due_command(&self, now_ms: i64) -> Option<CaseCommand> {
        if self.status.is_with_units() && !super::overdue_unsigned(self, now_ms).is_empty() {
            return Some(CaseCommand::Escalate);
        }
        if !super::supervision::due_again(self, now_ms).is_empty() {
            return Some(CaseCommand::EscalateFurther { to: Vec::new() });
        }
        if super::supervision::watch_due(self, now_ms) {
            return Some(CaseCommand::Watch);
        }
        let waited = self.follow_up_due_ms.is_some_and(|d| d <= now_ms);
        (self.status == CaseStatus::FollowUp && waited).then_some(CaseCommand::Close)
    }

    /// The task force while it is open and its units are the current ones.
    pub fn open_task_force(&self) -> Option<&TaskForce> {
        self.task_force.as_ref().filter(|t| t.is_open() && t.round == self.round)
    }

    // This round's assignment of the unit, live or not, so returns and withdrawals can land.
    fn slot_mut(&mut self, unit: UnitId) -> Option<&mut Assignment> {
        let round = self.round;
        self.assignments.iter_mut().find(|a| a.round == round && a.unit == unit)
    }

    fn step(&mut self, unit: UnitId, step: Step, at_ms: i64) {
        if let Some(a) = self.slot_mut(unit) {
            a.step(step, at_ms);
        }
    }

    fn end(&mut self, status: CaseStatus, at_ms: i64) {
        self.status = status;
        self.sla.stop(at_ms);
    }

    /// Folds one event into the case. Events come from `decide`, so they fit; one that
    /// does not (a hand-edited history) changes only what it can, never panics.
    pub fn apply(&mut self, e: &CaseEvent) {
        let at = e.at_ms;
        let deadline = self.sla.deadline_ms();
        self.supervision.apply(&e.change, at, deadline);
        match &e.change {
            Change::Received { .. } => {}
            Change::Triaged => self.status = CaseStatus::Triage,
            Change::Rejected { reason } => {
                self.end(CaseStatus::Rejected, at);
                self.status_reason = Some(reason.clone());
            }
            Change::Merged { into } => {
                self.end(CaseStatus::Merged, at);
                self.merged_into = Some(*into);
            }
            Change::Recategorised { to, case_kind, terms, .. } => {
                self.category = to.clone();
                self.kind = *case_kind;
                self.terms = *terms;
                self.sla.allowed_ms = terms.allowed_ms;
            }
            Change::Dispatched { round, lead, cooperating, .. } => {
                self.round = *round;
                let ack = self.terms.ack_ms;
                self.assignments.push(Assignment::new(*lead, true, *round, at, ack));
                self.assignments.extend(cooperating.iter().map(|u| Assignment::new(*u, false, *round, at, ack)));
                self.status = CaseStatus::Dispatched;
                self.status_reason = None;
            }
            Change::Signed { unit, .. } => self.step(*unit, Step::Sign, at),
            Change::AllSigned { round } => {
                self.status = CaseStatus::InProgress;
                if let Some(tf) = self.task_force.as_mut().filter(|t| t.round == *round && t.all_dispatched_ms.is_none()) {
                    tf.all_dispatched_ms = Some(at);
                }
            }
            Change::Progressed { unit, .. } => self.step(*unit, Step::Work, at),
            Change::ExtensionRequested { unit, ms, reason } => {
                if let Some(a) = self.slot_mut(*unit) {
                    a.pending_extension = Some(ExtensionRequest { ms: *ms, reason: reason.clone(), at_ms: at });
                }
            }
            Change::ExtensionDecided { unit, ms, approved, .. } => {
                if let Some(a) = self.slot_mut(*unit) {
                    a.pending_extension = None;
                    if *approved {
                        a.extended_ms = a.extended_ms.saturating_add(*ms);
                    }
                }
                if *approved {
                    self.sla.extend(*ms);
                }
            }
            Change::Returned { unit, reason, withdrawn } => {
                self.step(*unit, Step::Return, at);
                if let Some(a) = self.slot_mut(*unit) {
                    a.return_reason = Some(reason.clone());
                }
                withdrawn.iter().for_each(|u| self.step(*u, Step::Withdraw, at));
                self.status = CaseStatus::Triage;
                self.status_reason = Some(reason.clone());
                self.return_count += 1;
            }
            Change::PartFinished { unit } => self.step(*unit, Step::Finish, at),
            Change::Resolved { unit, result, also_closed, .. } => {
                self.step(*unit, Step::Finish, at);
                also_closed.iter().for_each(|u| self.step(*u, Step::Finish, at));
                self.end(CaseStatus::Resolved, at);
                self.result = Some(result.clone());
            }
            Change::Verified => self.status = CaseStatus::Verified,
            Change::FollowUpStarted { due_ms } => {
                self.status = CaseStatus::FollowUp;
                self.follow_up_due_ms = Some(*due_ms);
            }
            Change::FollowUpRecorded { satisfied, .. } => self.satisfied = *satisfied,
            Change::Closed { .. } => self.end(CaseStatus::Closed, at),
            Change::Reopened { cause } => {
                self.status = CaseStatus::Reopened;
                self.sla.restart(at);
                self.result = None;
                self.follow_up_due_ms = None;
                self.satisfied = None;
                self.reopen_count += 1;
                self.status_reason = match cause {
                    ReopenCause::Requested { reason } => Some(reason.clone()),
                    ReopenCause::Unsatisfied => None,
                };
            }
            Change::CommandLaunched { commander, round } => {
                self.task_force =
                    Some(TaskForce { commander: *commander, round: *round, launched_ms: at, all_dispatched_ms: None, closed_ms: None, summary: None });
            }
            Change::Directed { .. } => {}
            Change::Escalated { units } => {
                let round = self.round;
                for a in self.assignments.iter_mut().filter(|a| a.round == round && units.contains(&a.unit)) {
                    a.escalated_ms.get_or_insert(at);
                }
            }
            Change::CommanderHandedOver { to, .. } => {
                if let Some(tf) = self.task_force.as_mut() {
                    tf.commander = *to;
                }
            }
            Change::CommandClosed { summary } => {
                if let Some(tf) = self.task_force.as_mut() {
                    tf.closed_ms = Some(at);
                    tf.summary = Some(summary.clone());
                }
            }
            Change::EscalatedFurther { units, .. } => {
                let round = self.round;
                for a in self.assignments.iter_mut().filter(|a| a.round == round && units.contains(&a.unit)) {
                    a.escalated_again_ms.get_or_insert(at);
                }
            }
            Change::Warned { .. }
            | Change::Reminded { .. }
            | Change::TrackingStarted { .. }
            | Change::ListingProposed { .. }
            | Change::Listed { .. }
            | Change::TickedOff { .. } => {}
            Change::SubTasked { parent, units, .. } => {
                let (round, ack) = (self.round, self.terms.ack_ms);
                for u in units {
                    let mut a = Assignment::new(*u, false, round, at, ack);
                    a.parent = Some(*parent);
                    self.assignments.push(a);
                }
            }
        }
    }
}
