//! The case history's vocabulary: one event per thing that happened, carrying who
//! (`by`), when (`at_ms`), what (the variant) and why (its reason or cause) as data.
//! Events are append-only; the case's state is what folding them gives.
use super::{Actor, CaseId, CaseKind, GeoPoint, Intake, SlaLevel, Terms, Trigger, UnitId, UserId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseEvent {
    pub at_ms: i64,
    pub by: Actor,
    pub change: Change,
}

/// Why a case was closed (归档).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseCause {
    Satisfied,
    /// The resident did not answer within the follow-up wait.
    NoAnswer,
}

/// Why a case was reopened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ReopenCause {
    /// The resident (or the operator on a callback) said the result is not good enough.
    Unsatisfied,
    /// Staff reopened it: failed verification, the problem came back, a supervision finding.
    Requested { reason: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    Received {
        intake: Intake,
    },
    Triaged,
    Rejected {
        reason: String,
    },
    Merged {
        into: CaseId,
    },
    /// Filed under another category: its function and time terms come with it, the case's
    /// clock keeps running from receipt.
    Recategorised {
        from: String,
        to: String,
        case_kind: CaseKind,
        terms: Terms,
        reason: String,
    },
    /// A new round of assignments; what was open before was withdrawn at the return or
    /// resolution that ended the previous round.
    Dispatched {
        round: u32,
        lead: UnitId,
        cooperating: Vec<UnitId>,
        ack_due_ms: i64,
    },
    Signed {
        unit: UnitId,
        late: bool,
    },
    /// The last unit signed: the task force is complete and the case is in progress.
    AllSigned {
        round: u32,
    },
    /// A unit's progress report; `place` is where the reporter stood (the phone's GPS).
    Progressed {
        unit: UnitId,
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        place: Option<GeoPoint>,
    },
    ExtensionRequested {
        unit: UnitId,
        ms: i64,
        reason: String,
    },
    /// `deadline_ms` is the case's deadline after the decision, for the timeline.
    ExtensionDecided {
        unit: UnitId,
        ms: i64,
        approved: bool,
        note: Option<String>,
        deadline_ms: i64,
    },
    /// The case goes back to triage; `withdrawn` are the other units whose open parts end.
    Returned {
        unit: UnitId,
        reason: String,
        withdrawn: Vec<UnitId>,
    },
    PartFinished {
        unit: UnitId,
    },
    /// `also_closed` are cooperating units still open, whose parts end with the lead's result.
    Resolved {
        unit: UnitId,
        result: String,
        also_closed: Vec<UnitId>,
        on_time: bool,
    },
    Verified,
    FollowUpStarted {
        due_ms: i64,
    },
    FollowUpRecorded {
        satisfied: Option<bool>,
        comment: Option<String>,
    },
    Closed {
        cause: CloseCause,
    },
    Reopened {
        cause: ReopenCause,
    },
    /// Palm command (掌上指挥): a task force is formed; the `Dispatched` of `round` follows.
    CommandLaunched {
        commander: UserId,
        round: u32,
    },
    /// The commander's directive (指令) to the units in `to`, or to all when empty.
    Directed {
        to: Vec<UnitId>,
        text: String,
    },
    /// Units that let their time to sign run out; their leaders are alerted.
    Escalated {
        units: Vec<UnitId>,
    },
    CommanderHandedOver {
        from: UserId,
        to: UserId,
    },
    /// The commander closes the task force; the case's `Resolved` follows with the summary.
    CommandClosed {
        summary: String,
    },
    /// A unit (a township) pushes a sub-task down to `units` (its villages and grids), who
    /// join the task force with their own time to sign.
    SubTasked {
        parent: UnitId,
        units: Vec<UnitId>,
        text: String,
        ack_due_ms: i64,
    },
    /// Units still unsigned at the second step: taken to the commander and the leaders `to`.
    EscalatedFurther {
        units: Vec<UnitId>,
        to: Vec<UserId>,
    },
    /// The case has used 70 % or 90 % of its time; the holding units are told.
    Warned {
        level: SlaLevel,
        units: Vec<UnitId>,
    },
    /// 催办: by a supervisor with words, or by the system (`trigger`) without.
    Reminded {
        units: Vec<UnitId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        trigger: Option<Trigger>,
    },
    /// 跟踪督办: the units must report by `feedback_due_ms`.
    TrackingStarted {
        units: Vec<UnitId>,
        feedback_due_ms: i64,
        text: String,
    },
    /// Overdue past its category's grace: the system proposes listing; a supervisor decides.
    ListingProposed {
        overdue_ms: i64,
    },
    /// 挂牌督办: on the supervision list with a deadline and an answerable leader.
    Listed {
        deadline_ms: i64,
        leader: String,
        reason: String,
    },
    /// 销号: the supervisor checked the result and takes the case off the list.
    TickedOff {
        note: String,
    },
}

impl Change {
    /// Stable name for storage and filters.
    pub fn kind(&self) -> &'static str {
        match self {
            Change::Received { .. } => "received",
            Change::Triaged => "triaged",
            Change::Rejected { .. } => "rejected",
            Change::Merged { .. } => "merged",
            Change::Recategorised { .. } => "recategorised",
            Change::Dispatched { .. } => "dispatched",
            Change::Signed { .. } => "signed",
            Change::AllSigned { .. } => "all_signed",
            Change::Progressed { .. } => "progressed",
            Change::ExtensionRequested { .. } => "extension_requested",
            Change::ExtensionDecided { .. } => "extension_decided",
            Change::Returned { .. } => "returned",
            Change::PartFinished { .. } => "part_finished",
            Change::Resolved { .. } => "resolved",
            Change::Verified => "verified",
            Change::FollowUpStarted { .. } => "follow_up_started",
            Change::FollowUpRecorded { .. } => "follow_up_recorded",
            Change::Closed { .. } => "closed",
            Change::Reopened { .. } => "reopened",
            Change::CommandLaunched { .. } => "command_launched",
            Change::Directed { .. } => "directed",
            Change::Escalated { .. } => "escalated",
            Change::CommanderHandedOver { .. } => "commander_handed_over",
            Change::CommandClosed { .. } => "command_closed",
            Change::SubTasked { .. } => "sub_tasked",
            Change::EscalatedFurther { .. } => "escalated_further",
            Change::Warned { .. } => "warned",
            Change::Reminded { .. } => "reminded",
            Change::TrackingStarted { .. } => "tracking_started",
            Change::ListingProposed { .. } => "listing_proposed",
            Change::Listed { .. } => "listed",
            Change::TickedOff { .. } => "ticked_off",
        }
    }

    /// The unit the event concerns, for per-unit timelines and evaluation.
    pub fn unit(&self) -> Option<UnitId> {
        match self {
            Change::Signed { unit, .. }
            | Change::Progressed { unit, .. }
            | Change::ExtensionRequested { unit, .. }
            | Change::ExtensionDecided { unit, .. }
            | Change::Returned { unit, .. }
            | Change::PartFinished { unit }
            | Change::Resolved { unit, .. }
            | Change::SubTasked { parent: unit, .. } => Some(*unit),
            _ => None,
        }
    }
}

impl Change {
    /// The units an event is addressed to beyond the whole task force: a directive's chosen
    /// units, the escalated, the sub-tasked. `None` means every unit of the case.
    pub fn addressed_to(&self) -> Option<Vec<UnitId>> {
        match self {
            Change::Directed { to, .. } if !to.is_empty() => Some(to.clone()),
            Change::Escalated { units } | Change::EscalatedFurther { units, .. } => Some(units.clone()),
            Change::Warned { units, .. } | Change::Reminded { units, .. } | Change::TrackingStarted { units, .. } => Some(units.clone()),
            Change::SubTasked { parent, units, .. } => Some(std::iter::once(*parent).chain(units.iter().copied()).collect()),
            _ => None,
        }
    }
}
