//! The case history's vocabulary: one event per thing that happened, carrying who
//! (`by`), when (`at_ms`), what (the variant) and why (its reason or cause) as data.
//! Events are append-only; the case's state is what folding them gives.
use super::{Actor, CaseId, Intake, UnitId};
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
    Received { intake: Intake },
    Triaged,
    Rejected { reason: String },
    Merged { into: CaseId },
    /// A new round of assignments; what was open before was withdrawn at the return or
    /// resolution that ended the previous round.
    Dispatched { round: u32, lead: UnitId, cooperating: Vec<UnitId>, ack_due_ms: i64 },
    Signed { unit: UnitId, late: bool },
    /// The last unit signed: the task force is complete and the case is in progress.
    AllSigned { round: u32 },
    Progressed { unit: UnitId, text: String },
    ExtensionRequested { unit: UnitId, ms: i64, reason: String },
    /// `deadline_ms` is the case's deadline after the decision, for the timeline.
    ExtensionDecided { unit: UnitId, ms: i64, approved: bool, note: Option<String>, deadline_ms: i64 },
    /// The case goes back to triage; `withdrawn` are the other units whose open parts end.
    Returned { unit: UnitId, reason: String, withdrawn: Vec<UnitId> },
    PartFinished { unit: UnitId },
    /// `also_closed` are cooperating units still open, whose parts end with the lead's result.
    Resolved { unit: UnitId, result: String, also_closed: Vec<UnitId>, on_time: bool },
    Verified,
    FollowUpStarted { due_ms: i64 },
    FollowUpRecorded { satisfied: Option<bool>, comment: Option<String> },
    Closed { cause: CloseCause },
    Reopened { cause: ReopenCause },
}

impl Change {
    /// Stable name for storage and filters.
    pub fn kind(&self) -> &'static str {
        match self {
            Change::Received { .. } => "received",
            Change::Triaged => "triaged",
            Change::Rejected { .. } => "rejected",
            Change::Merged { .. } => "merged",
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
            | Change::Resolved { unit, .. } => Some(*unit),
            _ => None,
        }
    }
}
