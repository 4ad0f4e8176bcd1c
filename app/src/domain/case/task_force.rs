//! Palm command (掌上指挥): the "1+1+X" task force of a case — one commander (a person),
//! one lead unit, X cooperating units — and what only a task force has: the commander's
//! directives, escalation of units that did not sign in time, sub-tasks a township pushes
//! down to its villages and grids, handover to a deputy, and the close with a summary.
//!
//! The units' parts are the case's assignments of the command's round, so signing,
//! progress reports and the 5-minute clock follow the same rules as any dispatch.
use super::{Actor, Case, CaseCommand, CaseError, CaseEvent, CaseStatus, Change, Step, TextField, UnitId, UserId, clean_text};
use crate::domain::access::{LAUNCH, TAKE_OVER};
use serde::{Deserialize, Serialize};

/// A task force's own state, next to the assignments that are its units' parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskForce {
    pub commander: UserId,
    /// The round of assignments that are this command's units.
    pub round: u32,
    pub launched_ms: i64,
    /// When the last unit signed (全部到位): the figure the 5-minute promise is judged by.
    pub all_dispatched_ms: Option<i64>,
    pub closed_ms: Option<i64>,
    pub summary: Option<String>,
}

impl TaskForce {
    pub fn is_open(&self) -> bool {
        self.closed_ms.is_none()
    }

    /// Launch to the last signature, once every unit has signed.
    pub fn dispatch_ms(&self) -> Option<i64> {
        self.all_dispatched_ms.map(|t| t - self.launched_ms)
    }
}

/// Is `by` the person commanding this case's open task force?
fn is_commander(case: &Case, by: &Actor) -> bool {
    matches!((by, case.task_force.as_ref()), (Actor::Staff { user_id, .. }, Some(tf)) if tf.is_open() && tf.commander == *user_id)
}

fn open_force(case: &Case, cmd: &CaseCommand) -> Result<(), CaseError> {
    match &case.task_force {
        Some(tf) if tf.is_open() && tf.round == case.round => Ok(()),
        _ => Err(CaseError::NoCommand(cmd.kind())),
    }
}

/// The units whose time to sign has run out and who have not been escalated yet.
pub fn overdue_unsigned(case: &Case, now_ms: i64) -> Vec<UnitId> {
    case.current_assignments().filter(|a| a.ack_overdue(now_ms) && a.escalated_ms.is_none()).map(|a| a.unit).collect()
}

/// The events of the task-force commands (`CaseCommand::is_command_mode`), or why not.
/// The general checks (finished case) were made by `decide`.
pub(super) fn decide(case: &Case, by: &Actor, now_ms: i64, cmd: &CaseCommand) -> Result<Vec<CaseEvent>, CaseError> {
    use CaseCommand as C;
    use CaseStatus as S;
    let status = case.status;
    let need = |allowed: &[CaseStatus]| {
        if allowed.contains(&status) { Ok(()) } else { Err(CaseError::WrongStatus { status, command: cmd.kind() }) }
    };
    let refuse = || Err(CaseError::NotAllowed(cmd.kind()));
    let event = |change| CaseEvent { at_ms: now_ms, by: by.clone(), change };
    let with_units = [S::Dispatched, S::InProgress];
    match cmd {
        C::Launch { commander, lead, cooperating } => {
            if !by.has_role(LAUNCH) {
                return refuse();
            }
            need(&[S::Received, S::Triage, S::Reopened])?;
            super::command::check_units(*lead, cooperating)?;
            let round = case.round + 1;
            let mut events = Vec::new();
            if status == S::Received {
                events.push(event(Change::Triaged));
            }
            events.push(event(Change::CommandLaunched { commander: *commander, round }));
            let ack_due_ms = now_ms.saturating_add(case.terms.ack_ms);
            events.push(event(Change::Dispatched { round, lead: *lead, cooperating: cooperating.clone(), ack_due_ms }));
            Ok(events)
        }
        C::Direct { to, text } => {
            open_force(case, cmd)?;
            if !is_commander(case, by) {
                return refuse();
            }
            need(&with_units)?;
            for u in to {
                case.current(*u)?;
            }
            let mut to = to.clone();
            to.sort_unstable();
            to.dedup();
            Ok(vec![event(Change::Directed { to, text: clean_text(TextField::Directive, text)? })])
        }
        C::Escalate => {
            if *by != Actor::System {
                return refuse();
            }
            need(&with_units)?;
            let units = overdue_unsigned(case, now_ms);
            if units.is_empty() {
                return Err(CaseError::NothingOverdue);
            }
            Ok(vec![event(Change::Escalated { units })])
        }
        C::HandOver { to } => {
            open_force(case, cmd)?;
            if !(is_commander(case, by) || by.has_role(TAKE_OVER)) {
                return refuse();
            }
            let from = case.task_force.as_ref().map(|t| t.commander).unwrap_or_default();
            if *to == from {
                return Err(CaseError::SameCommander);
            }
            Ok(vec![event(Change::CommanderHandedOver { from, to: *to })])
        }
        C::CloseCommand { summary } => {
            open_force(case, cmd)?;
            if !is_commander(case, by) {
                return refuse();
            }
            need(&with_units)?;
            let waiting = case.unsigned_units();
            if !waiting.is_empty() {
                return Err(CaseError::WaitingForSignatures(waiting));
            }
            let summary = clean_text(TextField::Result, summary)?;
            let lead = case.lead().ok_or(CaseError::NoCommand(cmd.kind()))?;
            lead.check(Step::Finish)?;
            let also_closed = case.current_assignments().filter(|b| !b.lead && b.status.is_open()).map(|b| b.unit).collect();
            let on_time = now_ms <= case.sla.deadline_ms();
            Ok(vec![
                event(Change::CommandClosed { summary: summary.clone() }),
                event(Change::Resolved { unit: lead.unit, result: summary, also_closed, on_time }),
            ])
        }
        C::SubTask { unit, units, text } => {
            open_force(case, cmd)?;
            if !matches!(by, Actor::Staff { unit_id: Some(u), .. } if u == unit) {
                return refuse();
            }
            need(&with_units)?;
            case.current(*unit)?.check(Step::Work)?;
            if units.is_empty() {
                return Err(CaseError::NoUnits);
            }
            super::command::check_units(*unit, units)?;
            if let Some(taken) = units.iter().find(|u| case.current(**u).is_ok()) {
                return Err(CaseError::AlreadyInForce(*taken));
            }
            let text = clean_text(TextField::Directive, text)?;
            let ack_due_ms = now_ms.saturating_add(case.terms.ack_ms);
            Ok(vec![event(Change::SubTasked { parent: *unit, units: units.clone(), text, ack_due_ms })])
        }
        _ => unreachable!("only task-force commands come here"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::{AssignmentStatus, Category, Channel, Intake, Urgency};
    use crate::domain::case::{CaseKind, DEFAULT_ACK_MS};
    use crate::domain::org::Role;

    const T0: i64 = 1_700_000_000_000;
    const COMMANDER: UserId = 10;
    const DEPUTY: UserId = 11;
    const TOWN: UnitId = 1;
    const RAIL: UnitId = 2;
    const VILLAGE: UnitId = 3;
    const GRID: UnitId = 4;

    fn category() -> Category {
        Category::new("construction", "施工影响", CaseKind::GovernanceIncident, 7 * 24 * 3600 * 1000).unwrap()
    }

    fn new_case() -> Case {
        let intake = Intake::new(&category(), Channel::Hotline12345, Urgency::Urgent).unwrap();
        Case::receive(1, intake, &Actor::System, T0).unwrap().0
    }

    fn commander() -> Actor {
        Actor::staff(COMMANDER, Role::Commander, None)
    }

    fn staff(unit: UnitId) -> Actor {
        Actor::staff(100 + unit, Role::UnitStaff, Some(unit))
    }

    fn launched() -> Case {
        let mut c = new_case();
        let cmd = CaseCommand::Launch { commander: COMMANDER, lead: TOWN, cooperating: vec![RAIL, VILLAGE] };
        c.execute(&commander(), T0 + 1000, &cmd).unwrap();
        c
    }

    fn sign_all(c: &mut Case, at: i64) {
        for u in [TOWN, RAIL, VILLAGE] {
            c.execute(&staff(u), at, &CaseCommand::Sign { unit: u }).unwrap();
        }
    }

    #[test]
    fn a_launch_forms_the_task_force_and_fans_out_to_every_unit_at_once() {
        let c = launched();
        let tf = c.task_force.as_ref().unwrap();
        assert_eq!((tf.commander, tf.round, tf.launched_ms), (COMMANDER, 1, T0 + 1000));
        assert_eq!(c.status, CaseStatus::Dispatched);
        assert_eq!(c.unsigned_units(), vec![TOWN, RAIL, VILLAGE]);
        assert!(c.current_assignments().all(|a| a.ack.deadline_ms() == T0 + 1000 + DEFAULT_ACK_MS));
    }

    #[test]
    fn unit_staff_cannot_launch_and_a_launched_case_cannot_be_launched_again() {
        let c = new_case();
        let cmd = CaseCommand::Launch { commander: COMMANDER, lead: TOWN, cooperating: vec![] };
        assert_eq!(c.decide(&staff(TOWN), T0, &cmd), Err(CaseError::NotAllowed(crate::domain::case::CommandKind::Launch)));
        let c = launched();
        assert!(matches!(c.decide(&commander(), T0, &cmd), Err(CaseError::WrongStatus { .. })));
    }

    #[test]
    fn the_last_signature_records_all_dispatched_with_the_elapsed_time() {
        let mut c = launched();
        c.execute(&staff(TOWN), T0 + 60_000, &CaseCommand::Sign { unit: TOWN }).unwrap();
        c.execute(&staff(RAIL), T0 + 120_000, &CaseCommand::Sign { unit: RAIL }).unwrap();
        assert_eq!(c.task_force.as_ref().unwrap().all_dispatched_ms, None);
        c.execute(&staff(VILLAGE), T0 + 241_000, &CaseCommand::Sign { unit: VILLAGE }).unwrap();
        let tf = c.task_force.as_ref().unwrap();
        assert_eq!(tf.all_dispatched_ms, Some(T0 + 241_000));
        assert_eq!(tf.dispatch_ms(), Some(240_000));
        assert_eq!(c.status, CaseStatus::InProgress);
    }

    #[test]
    fn an_unsigned_unit_escalates_at_five_minutes_once_and_its_late_signature_is_recorded() {
        let mut c = launched();
        c.execute(&staff(TOWN), T0 + 2000, &CaseCommand::Sign { unit: TOWN }).unwrap();
        let deadline = T0 + 1000 + DEFAULT_ACK_MS;
        assert_eq!(c.due_command(deadline), None, "at 5:00 sharp the unit is still on time");
        assert_eq!(c.next_alarm_ms(deadline - 1), Some(deadline + 1));
        assert_eq!(c.due_command(deadline + 1), Some(CaseCommand::Escalate));
        let events = c.execute(&Actor::System, deadline + 1, &CaseCommand::Escalate).unwrap();
        assert_eq!(events[0].change, Change::Escalated { units: vec![RAIL, VILLAGE] });
        assert!(c.current(RAIL).unwrap().escalated_ms.is_some());
        assert_eq!(c.due_command(deadline + 60_000), None, "escalated once, not every minute");
        assert_eq!(c.decide(&Actor::System, deadline + 2, &CaseCommand::Escalate), Err(CaseError::NothingOverdue));
        let late = c.execute(&staff(RAIL), deadline + 90_000, &CaseCommand::Sign { unit: RAIL }).unwrap();
        assert_eq!(late[0].change, Change::Signed { unit: RAIL, late: true });
        assert_eq!(c.current(RAIL).unwrap().ack.on_time(), Some(false));
    }

    #[test]
    fn only_the_system_escalates() {
        let c = launched();
        let at = T0 + 1000 + DEFAULT_ACK_MS + 1;
        assert!(c.decide(&commander(), at, &CaseCommand::Escalate).is_err());
        assert!(c.decide(&Actor::System, at, &CaseCommand::Escalate).is_ok());
    }

    #[test]
    fn the_commander_directs_all_or_chosen_units_and_nobody_else_may() {
        let c = launched();
        let all = CaseCommand::Direct { to: vec![], text: "立即到场".into() };
        assert_eq!(c.decide(&commander(), T0 + 5000, &all).unwrap()[0].change, Change::Directed { to: vec![], text: "立即到场".into() });
        let some = CaseCommand::Direct { to: vec![RAIL, RAIL], text: "做技术鉴定".into() };
        assert!(matches!(&c.decide(&commander(), T0, &some).unwrap()[0].change, Change::Directed { to, .. } if *to == vec![RAIL]));
        let other = Actor::staff(99, Role::Commander, None);
        assert!(c.decide(&other, T0, &all).is_err(), "another commander is not this force's commander");
        assert!(c.decide(&staff(TOWN), T0, &all).is_err());
        let stranger = CaseCommand::Direct { to: vec![GRID], text: "x".into() };
        assert_eq!(c.decide(&commander(), T0, &stranger), Err(CaseError::NotAssigned(GRID)));
        let blank = CaseCommand::Direct { to: vec![], text: "  ".into() };
        assert_eq!(c.decide(&commander(), T0, &blank), Err(CaseError::TextRequired(TextField::Directive)));
    }

    #[test]
    fn a_plain_dispatch_has_no_commander_to_direct_it() {
        let mut c = new_case();
        c.execute(&commander(), T0, &CaseCommand::Triage).unwrap();
        c.execute(&commander(), T0, &CaseCommand::Dispatch { lead: TOWN, cooperating: vec![] }).unwrap();
        let cmd = CaseCommand::Direct { to: vec![], text: "x".into() };
        assert_eq!(c.decide(&commander(), T0, &cmd), Err(CaseError::NoCommand(crate::domain::case::CommandKind::Direct)));
    }

    #[test]
    fn the_commander_hands_over_to_a_deputy_who_then_commands() {
        let mut c = launched();
        c.execute(&commander(), T0, &CaseCommand::HandOver { to: DEPUTY }).unwrap();
        assert_eq!(c.task_force.as_ref().unwrap().commander, DEPUTY);
        let direct = CaseCommand::Direct { to: vec![], text: "x".into() };
        assert!(c.decide(&commander(), T0, &direct).is_err());
        assert!(c.decide(&Actor::staff(DEPUTY, Role::Leader, None), T0, &direct).is_ok());
        // A leader takes over when the commander is unreachable; nobody hands over to themselves.
        let leader = Actor::staff(12, Role::Leader, None);
        assert!(c.decide(&leader, T0, &CaseCommand::HandOver { to: 12 }).is_ok());
        assert_eq!(c.decide(&leader, T0, &CaseCommand::HandOver { to: DEPUTY }), Err(CaseError::SameCommander));
        assert!(c.decide(&staff(TOWN), T0, &CaseCommand::HandOver { to: 100 + TOWN }).is_err());
    }

    #[test]
    fn a_township_pushes_sub_tasks_down_and_they_sign_on_their_own_clock() {
        let mut c = launched();
        sign_all(&mut c, T0 + 2000);
        let push = CaseCommand::SubTask { unit: TOWN, units: vec![GRID], text: "逐户排查".into() };
        assert_eq!(c.decide(&staff(RAIL), T0, &push), Err(CaseError::NotAllowed(crate::domain::case::CommandKind::SubTask)));
        c.execute(&staff(TOWN), T0 + 10_000, &push).unwrap();
        let grid = c.current(GRID).unwrap();
        assert_eq!((grid.parent, grid.status, grid.lead), (Some(TOWN), AssignmentStatus::Assigned, false));
        assert_eq!(grid.ack.deadline_ms(), T0 + 10_000 + DEFAULT_ACK_MS);
        assert_eq!(c.status, CaseStatus::InProgress, "the force stays at work");
        assert_eq!(c.decide(&staff(TOWN), T0, &push), Err(CaseError::AlreadyInForce(GRID)));
        let again = CaseCommand::SubTask { unit: TOWN, units: vec![VILLAGE], text: "x".into() };
        assert_eq!(c.decide(&staff(TOWN), T0, &again), Err(CaseError::AlreadyInForce(VILLAGE)));
        // The grid signs: no second "all dispatched".
        let events = c.execute(&staff(GRID), T0 + 20_000, &CaseCommand::Sign { unit: GRID }).unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(c.task_force.as_ref().unwrap().all_dispatched_ms, Some(T0 + 2000));
    }

    #[test]
    fn closing_needs_every_signature_then_finishes_every_part_and_writes_the_summary() {
        let mut c = launched();
        let close = CaseCommand::CloseCommand { summary: "房屋已全部修复".into() };
        assert!(matches!(c.decide(&commander(), T0, &close), Err(CaseError::WaitingForSignatures(_))));
        sign_all(&mut c, T0 + 2000);
        c.execute(&staff(RAIL), T0 + 3000, &CaseCommand::Progress { unit: RAIL, text: "鉴定完成".into(), place: None }).unwrap();
        assert!(c.decide(&staff(TOWN), T0, &close).is_err(), "the lead unit does not close the command");
        c.execute(&commander(), T0 + 9000, &close).unwrap();
        assert_eq!(c.status, CaseStatus::Resolved);
        assert_eq!(c.result.as_deref(), Some("房屋已全部修复"));
        let tf = c.task_force.as_ref().unwrap();
        assert_eq!((tf.closed_ms, tf.summary.as_deref()), (Some(T0 + 9000), Some("房屋已全部修复")));
        assert!(c.current_assignments().all(|a| a.status == AssignmentStatus::Done));
        let direct = CaseCommand::Direct { to: vec![], text: "x".into() };
        assert!(c.decide(&commander(), T0, &direct).is_err());
    }

    #[test]
    fn a_closed_command_sets_no_more_sign_alarms() {
        let mut c = launched();
        sign_all(&mut c, T0 + 2000);
        c.execute(&commander(), T0 + 9000, &CaseCommand::CloseCommand { summary: "s".into() }).unwrap();
        assert_eq!(c.due_command(T0 + 10 * DEFAULT_ACK_MS), None);
    }
}
