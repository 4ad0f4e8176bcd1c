//! The case state machine (DESIGN.md "Case lifecycle"): which command is legal in which
//! status, for whom, and which events it produces.
//!
//! ```text
//! received     ─triage→                    triage
//! received     ─reject / merge→            rejected / merged     (also from triage)
//! triage       ─dispatch→                  dispatched            (also from reopened: a new round)
//! dispatched   ─the last unit signs→       in_progress
//! dispatched   ─a unit returns→            triage                (also from in_progress)
//! in_progress  ─the lead resolves→         resolved
//! resolved     ─verify→ verified ─start follow-up→ follow_up
//! follow_up    ─satisfied / no answer in time→ closed
//! follow_up    ─unsatisfied→               reopened              (staff may reopen resolved … closed)
//! ```
use super::{
    clean_optional, clean_text, Actor, Case, CaseError, CaseEvent, CaseId, Change, CloseCause, GeoPoint, ReopenCause,
    Step, TextField, UnitId, UserId,
};
use crate::domain::org::Role;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// One lead plus at most this many units in all; a bigger task force is a typing slip.
pub const MAX_UNITS_PER_DISPATCH: usize = 30;

coded_enum!(crate::domain::case::CaseError =>
    /// Where a case stands.
    CaseStatus {
        /// 受理
        Received => "received",
        /// 分拣研判: an operator is deciding where it goes (also after a return).
        Triage => "triage",
        /// 派单: units assigned, not all signed yet.
        Dispatched => "dispatched",
        /// 办理: every current unit has signed.
        InProgress => "in_progress",
        /// 办结: the lead unit gave its result.
        Resolved => "resolved",
        /// 核查: an operator checked the result.
        Verified => "verified",
        /// 回访: waiting for the resident's rating.
        FollowUp => "follow_up",
        /// 归档
        Closed => "closed",
        /// 不予受理
        Rejected => "rejected",
        /// 合并: a duplicate, pointing at its original.
        Merged => "merged",
        /// 重办: to be dispatched again.
        Reopened => "reopened",
    }
);

impl CaseStatus {
    /// Nothing more happens (a closed case may still be reopened by staff).
    pub fn is_finished(self) -> bool {
        matches!(self, CaseStatus::Closed | CaseStatus::Rejected | CaseStatus::Merged)
    }

    /// Units hold the case: their commands are accepted.
    pub fn is_with_units(self) -> bool {
        matches!(self, CaseStatus::Dispatched | CaseStatus::InProgress)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CaseCommand {
    Triage,
    Reject { reason: String },
    Merge { into: CaseId },
    Dispatch { lead: UnitId, cooperating: Vec<UnitId> },
    Sign { unit: UnitId },
    Progress {
        unit: UnitId,
        text: String,
        #[serde(default)]
        place: Option<GeoPoint>,
    },
    RequestExtension { unit: UnitId, ms: i64, reason: String },
    DecideExtension { unit: UnitId, approve: bool, note: Option<String> },
    Return { unit: UnitId, reason: String },
    FinishPart { unit: UnitId },
    Resolve { unit: UnitId, result: String },
    Verify,
    StartFollowUp,
    /// `None` records a callback nobody answered.
    RecordFollowUp { satisfied: Option<bool>, comment: Option<String> },
    /// Closes a follow-up that went unanswered for the wait the case was given.
    Close,
    Reopen { reason: String },
    /// Palm command: triage (if needed), form the task force and fan out to every unit.
    Launch { commander: UserId, lead: UnitId, cooperating: Vec<UnitId> },
    /// A directive to `to`, or to every unit of the force when empty.
    Direct { to: Vec<UnitId>, text: String },
    /// The scheduler's: units past their time to sign are escalated.
    Escalate,
    HandOver { to: UserId },
    CloseCommand { summary: String },
    /// `unit` (a township) pushes a sub-task down to `units`.
    SubTask { unit: UnitId, units: Vec<UnitId>, text: String },
}

coded_enum!(crate::domain::case::CaseError =>
    CommandKind {
        Triage => "triage",
        Reject => "reject",
        Merge => "merge",
        Dispatch => "dispatch",
        Sign => "sign",
        Progress => "progress",
        RequestExtension => "request_extension",
        DecideExtension => "decide_extension",
        Return => "return",
        FinishPart => "finish_part",
        Resolve => "resolve",
        Verify => "verify",
        StartFollowUp => "start_follow_up",
        RecordFollowUp => "record_follow_up",
        Close => "close",
        Reopen => "reopen",
        Launch => "launch",
        Direct => "direct",
        Escalate => "escalate",
        HandOver => "hand_over",
        CloseCommand => "close_command",
        SubTask => "sub_task",
    }
);

impl CaseCommand {
    pub fn kind(&self) -> CommandKind {
        use CaseCommand as C;
        match self {
            C::Triage => CommandKind::Triage,
            C::Reject { .. } => CommandKind::Reject,
            C::Merge { .. } => CommandKind::Merge,
            C::Dispatch { .. } => CommandKind::Dispatch,
            C::Sign { .. } => CommandKind::Sign,
            C::Progress { .. } => CommandKind::Progress,
            C::RequestExtension { .. } => CommandKind::RequestExtension,
            C::DecideExtension { .. } => CommandKind::DecideExtension,
            C::Return { .. } => CommandKind::Return,
            C::FinishPart { .. } => CommandKind::FinishPart,
            C::Resolve { .. } => CommandKind::Resolve,
            C::Verify => CommandKind::Verify,
            C::StartFollowUp => CommandKind::StartFollowUp,
            C::RecordFollowUp { .. } => CommandKind::RecordFollowUp,
            C::Close => CommandKind::Close,
            C::Reopen { .. } => CommandKind::Reopen,
            C::Launch { .. } => CommandKind::Launch,
            C::Direct { .. } => CommandKind::Direct,
            C::Escalate => CommandKind::Escalate,
            C::HandOver { .. } => CommandKind::HandOver,
            C::CloseCommand { .. } => CommandKind::CloseCommand,
            C::SubTask { .. } => CommandKind::SubTask,
        }
    }

    /// The task-force commands, whose rules live in `command.rs`.
    pub fn is_command_mode(&self) -> bool {
        use CaseCommand as C;
        matches!(self, C::Launch { .. } | C::Direct { .. } | C::Escalate | C::HandOver { .. } | C::CloseCommand { .. } | C::SubTask { .. })
    }

    /// The unit doing it, for the commands a unit does itself on its own assignment.
    pub fn acting_unit(&self) -> Option<UnitId> {
        use CaseCommand as C;
        match self {
            C::Sign { unit }
            | C::Progress { unit, .. }
            | C::RequestExtension { unit, .. }
            | C::Return { unit, .. }
            | C::FinishPart { unit }
            | C::Resolve { unit, .. } => Some(*unit),
            _ => None,
        }
    }
}

/// The center's desk: operators register, route, verify and follow up; the commander may too.
const DESK: &[Role] = &[Role::Operator, Role::Commander];
/// Extensions are a supervision decision (督办), so not the desk that routed the case.
const DECIDE_EXTENSION: &[Role] = &[Role::Supervisor, Role::Commander, Role::Leader];
const REOPEN: &[Role] = &[Role::Operator, Role::Commander, Role::Supervisor];

/// Who may issue which command, before looking at the case. Unit work is done only by
/// that unit's own staff: the center commands units, it does not sign in their name.
fn permit(by: &Actor, cmd: &CaseCommand) -> Result<(), CaseError> {
    use CaseCommand as C;
    let ok = match (cmd.acting_unit(), cmd) {
        (Some(unit), _) => matches!(by, Actor::Staff { unit_id: Some(u), .. } if *u == unit),
        (None, C::DecideExtension { .. }) => by.has_role(DECIDE_EXTENSION),
        (None, C::Reopen { .. }) => by.has_role(REOPEN),
        // A resident rates on the tracking page; "no answer" is only ever recorded by staff.
        (None, C::RecordFollowUp { satisfied, .. }) => {
            by.has_role(DESK) || (*by == Actor::Resident && satisfied.is_some())
        }
        // The scheduler starts follow-ups and closes unanswered ones on time.
        (None, C::StartFollowUp | C::Close) => by.has_role(DESK) || *by == Actor::System,
        (None, _) => by.has_role(DESK),
    };
    if ok { Ok(()) } else { Err(CaseError::NotAllowed(cmd.kind())) }
}

pub(super) fn check_units(lead: UnitId, cooperating: &[UnitId]) -> Result<(), CaseError> {
    if cooperating.len() + 1 > MAX_UNITS_PER_DISPATCH {
        return Err(CaseError::TooManyUnits(MAX_UNITS_PER_DISPATCH));
    }
    if cooperating.contains(&lead) {
        return Err(CaseError::LeadAlsoCooperating(lead));
    }
    let mut seen = HashSet::new();
    match cooperating.iter().find(|u| !seen.insert(**u)) {
        Some(dup) => Err(CaseError::DuplicateUnit(*dup)),
        None => Ok(()),
    }
}

/// The events `cmd` by `by` at `now_ms` appends to `case`, or why it is refused.
/// Checks run from the general to the particular: a finished case, then the caller's
/// role, then the case's status, then the unit's assignment, then the texts.
pub fn decide(case: &Case, by: &Actor, now_ms: i64, cmd: &CaseCommand) -> Result<Vec<CaseEvent>, CaseError> {
    use CaseCommand as C;
    use CaseStatus as S;
    let status = case.status;
    if status.is_finished() && !(status == S::Closed && matches!(cmd, C::Reopen { .. })) {
        return Err(CaseError::Finished(status));
    }
    if cmd.is_command_mode() {
        return super::command::decide(case, by, now_ms, cmd);
    }
    permit(by, cmd)?;
    let need = |allowed: &[CaseStatus]| {
        if allowed.contains(&status) { Ok(()) } else { Err(CaseError::WrongStatus { status, command: cmd.kind() }) }
    };
    let event = |change| CaseEvent { at_ms: now_ms, by: by.clone(), change };
    let with_units = [S::Dispatched, S::InProgress];

    let change = match cmd {
        C::Triage => {
            need(&[S::Received])?;
            Change::Triaged
        }
        C::Reject { reason } => {
            need(&[S::Received, S::Triage])?;
            Change::Rejected { reason: clean_text(TextField::Reason, reason)? }
        }
        C::Merge { into } => {
            need(&[S::Received, S::Triage])?;
            if *into == case.id {
                return Err(CaseError::MergeIntoSelf);
            }
            Change::Merged { into: *into }
        }
        C::Dispatch { lead, cooperating } => {
            need(&[S::Triage, S::Reopened])?;
            check_units(*lead, cooperating)?;
            let round = case.round + 1;
            Change::Dispatched { round, lead: *lead, cooperating: cooperating.clone(), ack_due_ms: now_ms.saturating_add(case.terms.ack_ms) }
        }
        C::Sign { unit } => {
            need(&with_units)?;
            let a = case.current(*unit)?;
            a.check(Step::Sign)?;
            let signed = event(Change::Signed { unit: *unit, late: a.late_at(now_ms) });
            // A sub-task signed after the force was complete completes nothing new.
            if status == S::Dispatched && case.unsigned_units() == [*unit] {
                return Ok(vec![signed, event(Change::AllSigned { round: case.round })]);
            }
            return Ok(vec![signed]);
        }
        C::Progress { unit, text, place } => {
            need(&with_units)?;
            case.current(*unit)?.check(Step::Work)?;
            Change::Progressed { unit: *unit, text: clean_text(TextField::Progress, text)?, place: *place }
        }
        C::RequestExtension { unit, ms, reason } => {
            need(&with_units)?;
            case.current(*unit)?.check_extension_request(*ms)?;
            Change::ExtensionRequested { unit: *unit, ms: *ms, reason: clean_text(TextField::Reason, reason)? }
        }
        C::DecideExtension { unit, approve, note } => {
            need(&with_units)?;
            let request = case.current(*unit)?.pending_extension.as_ref().ok_or(CaseError::NoExtensionPending(*unit))?;
            let mut sla = case.sla;
            if *approve {
                sla.extend(request.ms);
            }
            let note = clean_optional(TextField::Note, note.as_deref())?;
            Change::ExtensionDecided { unit: *unit, ms: request.ms, approved: *approve, note, deadline_ms: sla.deadline_ms() }
        }
        C::Return { unit, reason } => {
            need(&with_units)?;
            case.current(*unit)?.check(Step::Return)?;
            let reason = clean_text(TextField::Reason, reason)?;
            let withdrawn = case.current_assignments().filter(|a| a.unit != *unit && a.status.is_open()).map(|a| a.unit).collect();
            Change::Returned { unit: *unit, reason, withdrawn }
        }
        C::FinishPart { unit } => {
            need(&with_units)?;
            let a = case.current(*unit)?;
            if a.lead {
                return Err(CaseError::LeadMustResolve(*unit));
            }
            a.check(Step::Finish)?;
            Change::PartFinished { unit: *unit }
        }
        C::Resolve { unit, result } => {
            need(&with_units)?;
            let a = case.current(*unit)?;
            if !a.lead {
                return Err(CaseError::NotLead(*unit));
            }
            a.check(Step::Finish)?;
            let waiting = case.unsigned_units();
            if !waiting.is_empty() {
                return Err(CaseError::WaitingForSignatures(waiting));
            }
            let result = clean_text(TextField::Result, result)?;
            let also_closed = case.current_assignments().filter(|b| !b.lead && b.status.is_open()).map(|b| b.unit).collect();
            Change::Resolved { unit: *unit, result, also_closed, on_time: now_ms <= case.sla.deadline_ms() }
        }
        C::Verify => {
            need(&[S::Resolved])?;
            Change::Verified
        }
        C::StartFollowUp => {
            need(&[S::Verified])?;
            Change::FollowUpStarted { due_ms: now_ms.saturating_add(case.terms.follow_up_wait_ms) }
        }
        C::RecordFollowUp { satisfied, comment } => {
            need(&[S::FollowUp])?;
            let comment = clean_optional(TextField::Comment, comment.as_deref())?;
            let recorded = event(Change::FollowUpRecorded { satisfied: *satisfied, comment });
            let outcome = match satisfied {
                Some(true) => Change::Closed { cause: CloseCause::Satisfied },
                Some(false) => Change::Reopened { cause: ReopenCause::Unsatisfied },
                None => return Ok(vec![recorded]),
            };
            return Ok(vec![recorded, event(outcome)]);
        }
        C::Launch { .. } | C::Direct { .. } | C::Escalate | C::HandOver { .. } | C::CloseCommand { .. } | C::SubTask { .. } => {
            unreachable!("task-force commands are decided in command.rs")
        }
        C::Close => {
            need(&[S::FollowUp])?;
            let due = case.follow_up_due_ms.unwrap_or(i64::MAX);
            if now_ms < due {
                return Err(CaseError::FollowUpNotDue(due));
            }
            Change::Closed { cause: CloseCause::NoAnswer }
        }
        C::Reopen { reason } => {
            need(&[S::Resolved, S::Verified, S::FollowUp, S::Closed])?;
            Change::Reopened { cause: ReopenCause::Requested { reason: clean_text(TextField::Reason, reason)? } }
        }
    };
    Ok(vec![event(change)])
}
