//! One unit's part in a case (派单), with its own sign-for clock and its own small state
//! machine: assigned → signed (签收) → working (办理) → done (办结), or returned (退回)
//! with a reason. A return or a new dispatch withdraws whatever is still open, so a
//! unit never holds a live task on a case that is no longer in its hands.
use super::{CaseError, SlaClock, UnitId};
use serde::{Deserialize, Serialize};

/// An extension request must ask for at least a minute and at most thirty days: less is
/// a slip of the finger, more means the case belongs in another category.
pub const MIN_EXTENSION_MS: i64 = 60 * 1000;
pub const MAX_EXTENSION_MS: i64 = 30 * 24 * 3600 * 1000;

coded_enum!(crate::domain::case::CaseError =>
    AssignmentStatus {
        Assigned => "assigned",
        Signed => "signed",
        Working => "working",
        Done => "done",
        Returned => "returned",
        Withdrawn => "withdrawn",
    }
);

coded_enum!(crate::domain::case::CaseError =>
    /// What can happen to an assignment.
    Step { Sign => "sign", Work => "work", Finish => "finish", Return => "return", Withdraw => "withdraw" }
);

impl AssignmentStatus {
    /// Still part of the case's task force (not returned, not withdrawn).
    pub fn is_active(self) -> bool {
        !matches!(self, AssignmentStatus::Returned | AssignmentStatus::Withdrawn)
    }

    /// Has signed for the case; a finished part has signed too.
    pub fn is_signed(self) -> bool {
        matches!(self, AssignmentStatus::Signed | AssignmentStatus::Working | AssignmentStatus::Done)
    }

    /// Still owes something: to sign, to work or to finish.
    pub fn is_open(self) -> bool {
        matches!(self, AssignmentStatus::Assigned | AssignmentStatus::Signed | AssignmentStatus::Working)
    }

    /// The status after `step`, or why the step is refused.
    pub fn after(self, step: Step, unit: UnitId) -> Result<AssignmentStatus, CaseError> {
        use AssignmentStatus::*;
        use Step::*;
        match (self, step) {
            (Returned | Withdrawn, _) => Err(CaseError::NotAssigned(unit)),
            (Assigned, Sign) => Ok(Signed),
            (Signed | Working | Done, Sign) => Err(CaseError::AlreadySigned(unit)),
            (Done, _) => Err(CaseError::AlreadyDone(unit)),
            (Assigned, Work | Finish) => Err(CaseError::NotSigned(unit)),
            (Signed | Working, Work) => Ok(Working),
            (Signed | Working, Finish) => Ok(Done),
            (_, Return) => Ok(Returned),
            (_, Withdraw) => Ok(Withdrawn),
        }
    }
}

/// A unit's request for more time, waiting for a supervisor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionRequest {
    pub ms: i64,
    pub reason: String,
    pub at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub unit: UnitId,
    /// The lead unit (牵头单位) resolves the case; the others cooperate (协同单位).
    pub lead: bool,
    /// Which dispatch of the case this belongs to; a re-dispatch starts a new round.
    pub round: u32,
    pub status: AssignmentStatus,
    /// Starts at dispatch, stops when the unit signs.
    pub ack: SlaClock,
    pub signed_ms: Option<i64>,
    pub done_ms: Option<i64>,
    pub pending_extension: Option<ExtensionRequest>,
    /// Sum of this unit's approved extensions (they lengthen the case's clock).
    pub extended_ms: i64,
    pub return_reason: Option<String>,
    /// The unit that pushed this part down as a sub-task (a township to its village).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<UnitId>,
    /// When the unit was escalated for not signing in time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalated_ms: Option<i64>,
    /// When the unit, still unsigned, was taken on to the commander and the center's leaders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalated_again_ms: Option<i64>,
}

impl Assignment {
    pub fn new(unit: UnitId, lead: bool, round: u32, at_ms: i64, ack_ms: i64) -> Assignment {
        Assignment {
            unit,
            lead,
            round,
            status: AssignmentStatus::Assigned,
            ack: SlaClock::start(at_ms, ack_ms),
            signed_ms: None,
            done_ms: None,
            pending_extension: None,
            extended_ms: 0,
            return_reason: None,
            parent: None,
            escalated_ms: None,
            escalated_again_ms: None,
        }
    }

    pub fn assigned_ms(&self) -> i64 {
        self.ack.started_ms
    }

    /// Would signing at `at_ms` be late? Late signatures are accepted but counted.
    pub fn late_at(&self, at_ms: i64) -> bool {
        at_ms > self.ack.deadline_ms()
    }

    /// Unsigned past its deadline: shown red, and escalated.
    pub fn ack_overdue(&self, now_ms: i64) -> bool {
        self.status == AssignmentStatus::Assigned && self.ack.is_overdue(now_ms)
    }

    /// Escalated to its own staff and still unsigned: the second step is what remains.
    pub fn is_unsigned_escalated_once(&self) -> bool {
        self.status == AssignmentStatus::Assigned && self.escalated_ms.is_some() && self.escalated_again_ms.is_none()
    }

    pub fn check(&self, step: Step) -> Result<AssignmentStatus, CaseError> {
        self.status.after(step, self.unit)
    }

    /// A unit may ask for more time while it is working its part, one request at a time.
    pub fn check_extension_request(&self, ms: i64) -> Result<(), CaseError> {
        self.check(Step::Work)?;
        if !(MIN_EXTENSION_MS..=MAX_EXTENSION_MS).contains(&ms) {
            return Err(CaseError::BadExtension);
        }
        if self.pending_extension.is_some() {
            return Err(CaseError::ExtensionPending(self.unit));
        }
        Ok(())
    }

    /// Applies a step already decided; a step that does not fit is ignored, so replaying
    /// a history can never corrupt the state.
    pub fn step(&mut self, step: Step, at_ms: i64) {
        let Ok(next) = self.check(step) else { return };
        self.status = next;
        match step {
            Step::Sign => {
                self.signed_ms = Some(at_ms);
                self.ack.stop(at_ms);
            }
            Step::Finish => self.done_ms = Some(at_ms),
            Step::Work | Step::Return | Step::Withdraw => {}
        }
        if !next.is_open() {
            self.pending_extension = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const T0: i64 = 1_700_000_000_000;
    const ACK: i64 = 300_000;

    fn fresh() -> Assignment {
        Assignment::new(7, true, 1, T0, ACK)
    }

    #[test]
    fn a_unit_signs_then_works_then_finishes_its_part() {
        let mut a = fresh();
        for (step, expect) in [
            (Step::Sign, AssignmentStatus::Signed),
            (Step::Work, AssignmentStatus::Working),
            (Step::Work, AssignmentStatus::Working),
            (Step::Finish, AssignmentStatus::Done),
        ] {
            assert_eq!(a.check(step), Ok(expect));
            a.step(step, T0 + 1000);
        }
        assert_eq!((a.signed_ms, a.done_ms), (Some(T0 + 1000), Some(T0 + 1000)));
        assert_eq!(a.ack.on_time(), Some(true));
    }

    #[test]
    fn an_unsigned_assignment_cannot_be_worked_or_finished() {
        let a = fresh();
        assert_eq!(a.check(Step::Work), Err(CaseError::NotSigned(7)));
        assert_eq!(a.check(Step::Finish), Err(CaseError::NotSigned(7)));
        assert_eq!(a.check_extension_request(MIN_EXTENSION_MS), Err(CaseError::NotSigned(7)));
    }

    #[test]
    fn signing_twice_is_refused() {
        let mut a = fresh();
        a.step(Step::Sign, T0);
        assert_eq!(a.check(Step::Sign), Err(CaseError::AlreadySigned(7)));
    }

    #[test]
    fn an_unsigned_unit_may_return_the_case_but_a_finished_one_may_not() {
        let mut a = fresh();
        assert_eq!(a.check(Step::Return), Ok(AssignmentStatus::Returned));
        a.step(Step::Sign, T0);
        a.step(Step::Finish, T0);
        assert_eq!(a.check(Step::Return), Err(CaseError::AlreadyDone(7)));
        assert_eq!(a.check(Step::Withdraw), Err(CaseError::AlreadyDone(7)));
    }

    #[test]
    fn a_returned_assignment_takes_no_further_steps() {
        let mut a = fresh();
        a.step(Step::Return, T0);
        for s in Step::ALL {
            assert_eq!(a.check(*s), Err(CaseError::NotAssigned(7)));
        }
    }

    #[test]
    fn signing_after_five_minutes_is_late_but_accepted() {
        let mut a = fresh();
        assert!(!a.late_at(T0 + ACK));
        assert!(a.late_at(T0 + ACK + 1));
        assert!(a.ack_overdue(T0 + ACK + 1));
        a.step(Step::Sign, T0 + ACK + 1);
        assert_eq!(a.status, AssignmentStatus::Signed);
        assert_eq!(a.ack.on_time(), Some(false));
        assert!(!a.ack_overdue(T0 + 10 * ACK), "a signed unit is no longer chased");
    }

    #[test]
    fn one_extension_request_waits_at_a_time_within_bounds() {
        let mut a = fresh();
        a.step(Step::Sign, T0);
        assert_eq!(a.check_extension_request(MIN_EXTENSION_MS - 1), Err(CaseError::BadExtension));
        assert_eq!(a.check_extension_request(MAX_EXTENSION_MS + 1), Err(CaseError::BadExtension));
        assert_eq!(a.check_extension_request(MAX_EXTENSION_MS), Ok(()));
        a.pending_extension = Some(ExtensionRequest { ms: MIN_EXTENSION_MS, reason: "等待鉴定".into(), at_ms: T0 });
        assert_eq!(a.check_extension_request(MIN_EXTENSION_MS), Err(CaseError::ExtensionPending(7)));
        a.step(Step::Return, T0);
        assert_eq!(a.pending_extension, None, "a request dies with the assignment");
    }

    fn rank(s: AssignmentStatus) -> u8 {
        match s {
            AssignmentStatus::Assigned => 0,
            AssignmentStatus::Signed => 1,
            AssignmentStatus::Working => 2,
            _ => 3,
        }
    }

    proptest! {
        /// Whatever steps are tried, an assignment only moves forward, a finished part
        /// has signed first, and an accepted step is exactly what `step` applies.
        #[test]
        fn an_assignment_only_moves_forward(steps in prop::collection::vec(0usize..5, 0..20)) {
            let mut a = fresh();
            for (i, s) in steps.into_iter().enumerate() {
                let step = Step::ALL[s];
                let before = a.clone();
                let at = T0 + i as i64 * 1000;
                let decided = a.check(step);
                a.step(step, at);
                match decided {
                    Ok(next) => prop_assert_eq!(a.status, next),
                    Err(_) => prop_assert_eq!(&a, &before),
                }
                prop_assert!(rank(a.status) >= rank(before.status));
                if a.status == AssignmentStatus::Done {
                    prop_assert!(a.signed_ms.is_some() && a.done_ms >= a.signed_ms);
                }
            }
        }
    }
}
