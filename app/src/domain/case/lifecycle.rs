//! The case state machine (DESIGN.md "Case lifecycle"): which command is legal in which
//! status, for whom, and which events it produces.
//!
//! ```text
//! received     ─triage→                    triage
//! received     ─reject / merge→            rejected / merged     (also from triage)
//! received     ─recategorise→              received              (also triage, reopened: status kept)
//! triage       ─dispatch→                  dispatched            (also from reopened: a new round)
//! dispatched   ─the last unit signs→       in_progress
//! dispatched   ─a unit returns→            triage                (also from in_progress)
//! in_progress  ─the lead resolves→         resolved
//! received     ─dispatch→                  dispatched            (triage implied)
//! resolved     ─verify→ verified ─start follow-up→ follow_up (both at once: verify)
//! follow_up    ─satisfied / no answer in time→ closed
//! follow_up    ─unsatisfied→               reopened              (staff may reopen resolved … closed)
//! ```
use super::command::check_units;
use super::{Actor, Case, CaseCommand, CaseError, CaseEvent, CaseStatus, Change, CloseCause, ReopenCause, Step, Terms, TextField, clean_optional, clean_text};
use crate::domain::access::{DECIDE_EXTENSION, DESK, REOPEN};

/// Who may issue which command, before looking at the case. Unit work is done only by
/// that unit's own staff: the center commands units, it does not sign in their name.
fn permit(by: &Actor, cmd: &CaseCommand) -> Result<(), CaseError> {
    use CaseCommand as C;
    let ok = match (cmd.acting_unit(), cmd) {
        (Some(unit), _) => matches!(by, Actor::Staff { unit_id: Some(u), .. } if *u == unit),
        (None, C::DecideExtension { .. }) => by.has_role(DECIDE_EXTENSION),
        (None, C::Reopen { .. }) => by.has_role(REOPEN),
        // A resident rates on the tracking page; "no answer" is only ever recorded by staff.
        (None, C::RecordFollowUp { satisfied, .. }) => by.has_role(DESK) || (*by == Actor::Resident && satisfied.is_some()),
        // The scheduler starts follow-ups and closes unanswered ones on time.
        (None, C::StartFollowUp | C::Close) => by.has_role(DESK) || *by == Actor::System,
        (None, _) => by.has_role(DESK),
    };
    if ok { Ok(()) } else { Err(CaseError::NotAllowed(cmd.kind())) }
}

/// The events `cmd` by `by` at `now_ms` appends to `case`, or why it is refused.
/// Checks run from the general to the particular: a finished case, then the caller's
/// role, then the case's status, then the unit's assignment, then the texts.
pub fn decide(case: &Case, by: &Actor, now_ms: i64, cmd: &CaseCommand) -> Result<Vec<CaseEvent>, CaseError> {
    use CaseCommand as C;
    use CaseStatus as S;
    let status = case.status;
    // A closed case may be reopened; a finished one still on the supervision list, ticked off.
    let ticks_off = matches!(cmd, C::TickOff { .. }) && case.supervision.open_listing().is_some();
    if status.is_finished() && !(status == S::Closed && matches!(cmd, C::Reopen { .. })) && !ticks_off {
        return Err(CaseError::Finished(status));
    }
    if cmd.is_supervision() {
        return super::supervision::decide(case, by, now_ms, cmd);
    }
    if cmd.is_command_mode() {
        return super::task_force::decide(case, by, now_ms, cmd);
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
        C::Recategorise { to, reason } => {
            // Before the units have it: a dispatched case is returned first, then refiled.
            need(&[S::Received, S::Triage, S::Reopened])?;
            if !to.active {
                return Err(CaseError::CategoryInactive(to.code.clone()));
            }
            if to.code == case.category {
                return Err(CaseError::SameCategory(to.code.clone()));
            }
            let reason = clean_text(TextField::Reason, reason)?;
            // The resident's wait for the rating is the center's, not the category's.
            let terms = Terms { follow_up_wait_ms: case.terms.follow_up_wait_ms, ..Terms::for_category(to, case.urgency) };
            Change::Recategorised { from: case.category.clone(), to: to.code.clone(), case_kind: to.kind, terms, reason }
        }
        C::Dispatch { lead, cooperating } => {
            need(&[S::Received, S::Triage, S::Reopened])?;
            check_units(*lead, cooperating)?;
            let round = case.round + 1;
            let ack_due_ms = now_ms.saturating_add(case.terms.ack_ms);
            let dispatched = event(Change::Dispatched { round, lead: *lead, cooperating: cooperating.clone(), ack_due_ms });
            // The desk dispatches straight from a new case: triage is implied.
            if status == S::Received {
                return Ok(vec![event(Change::Triaged), dispatched]);
            }
            return Ok(vec![dispatched]);
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
            // Verification starts the follow-up at once: the resident is asked straight away.
            let due_ms = now_ms.saturating_add(case.terms.follow_up_wait_ms);
            return Ok(vec![event(Change::Verified), event(Change::FollowUpStarted { due_ms })]);
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
            unreachable!("task-force commands are decided in task_force.rs")
        }
        C::EscalateFurther { .. } | C::Watch | C::Remind { .. } | C::Track { .. } | C::List { .. } | C::TickOff { .. } => {
            unreachable!("supervision commands are decided in supervision.rs")
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

/// A duplicate is merged only into a case that is still being handled: one that is
/// finished would swallow the resident's problem without anyone acting on it.
pub fn check_merge_target(target: &Case) -> Result<(), CaseError> {
    if target.status.is_finished() { Err(CaseError::BadMergeTarget) } else { Ok(()) }
}

/// Whether a resident may rate the case now (the tracking page's form), by the same rule
/// that accepts or refuses the rating.
pub fn resident_may_rate(case: &Case, now_ms: i64) -> bool {
    let rating = CaseCommand::RecordFollowUp { satisfied: Some(true), comment: None };
    decide(case, &Actor::Resident, now_ms, &rating).is_ok()
}
