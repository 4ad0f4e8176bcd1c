//! What may be asked of a case: every command, its kind (for permissions, offers and
//! messages), and the checks on a command's own shape that need no case.
use super::{CaseError, CaseId, Category, GeoPoint, UnitId, UserId};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// One lead plus at most this many units in all; a bigger task force is a typing slip.
pub const MAX_UNITS_PER_DISPATCH: usize = 30;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CaseCommand {
    Triage,
    Reject {
        reason: String,
    },
    Merge {
        into: CaseId,
    },
    /// The desk files the case under another category (the caller's words misled intake, or
    /// a unit returned it as not its own): `to` as the service read it from the register.
    Recategorise {
        to: Box<Category>,
        reason: String,
    },
    Dispatch {
        lead: UnitId,
        cooperating: Vec<UnitId>,
    },
    Sign {
        unit: UnitId,
    },
    Progress {
        unit: UnitId,
        text: String,
        #[serde(default)]
        place: Option<GeoPoint>,
    },
    RequestExtension {
        unit: UnitId,
        ms: i64,
        reason: String,
    },
    DecideExtension {
        unit: UnitId,
        approve: bool,
        note: Option<String>,
    },
    Return {
        unit: UnitId,
        reason: String,
    },
    FinishPart {
        unit: UnitId,
    },
    Resolve {
        unit: UnitId,
        result: String,
    },
    Verify,
    StartFollowUp,
    /// `None` records a callback nobody answered.
    RecordFollowUp {
        satisfied: Option<bool>,
        comment: Option<String>,
    },
    /// Closes a follow-up that went unanswered for the wait the case was given.
    Close,
    Reopen {
        reason: String,
    },
    /// Palm command: triage (if needed), form the task force and fan out to every unit.
    Launch {
        commander: UserId,
        lead: UnitId,
        cooperating: Vec<UnitId>,
    },
    /// A directive to `to`, or to every unit of the force when empty.
    Direct {
        to: Vec<UnitId>,
        text: String,
    },
    /// The scheduler's: units past their time to sign are escalated.
    Escalate,
    HandOver {
        to: UserId,
    },
    CloseCommand {
        summary: String,
    },
    /// `unit` (a township) pushes a sub-task down to `units`.
    SubTask {
        unit: UnitId,
        units: Vec<UnitId>,
        text: String,
    },
    /// The scheduler's second step for a palm command's unsigned units: to the commander
    /// (added by the rules) and the leaders `to` (named by the service).
    EscalateFurther {
        to: Vec<UserId>,
    },
    /// The scheduler's watch over the case's time: warnings, automatic reminders, proposals.
    Watch,
    /// 催办 by a supervisor.
    Remind {
        text: String,
    },
    /// 跟踪督办: feedback due by a date.
    Track {
        feedback_due_ms: i64,
        text: String,
    },
    /// 挂牌督办.
    List {
        deadline_ms: i64,
        leader: String,
        reason: String,
    },
    /// 销号.
    TickOff {
        note: String,
    },
}

coded_enum!(crate::domain::case::CaseError =>
    CommandKind {
        Triage => "triage",
        Reject => "reject",
        Merge => "merge",
        Recategorise => "recategorise",
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
        EscalateFurther => "escalate_further",
        Watch => "watch",
        Remind => "remind",
        Track => "track",
        List => "list",
        TickOff => "tick_off",
    }
);

impl CaseCommand {
    pub fn kind(&self) -> CommandKind {
        use CaseCommand as C;
        match self {
            C::Triage => CommandKind::Triage,
            C::Reject { .. } => CommandKind::Reject,
            C::Merge { .. } => CommandKind::Merge,
            C::Recategorise { .. } => CommandKind::Recategorise,
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
            C::EscalateFurther { .. } => CommandKind::EscalateFurther,
            C::Watch => CommandKind::Watch,
            C::Remind { .. } => CommandKind::Remind,
            C::Track { .. } => CommandKind::Track,
            C::List { .. } => CommandKind::List,
            C::TickOff { .. } => CommandKind::TickOff,
        }
    }

    /// The supervision commands, whose rules live in `supervision.rs`.
    pub fn is_supervision(&self) -> bool {
        use CaseCommand as C;
        matches!(self, C::EscalateFurther { .. } | C::Watch | C::Remind { .. } | C::Track { .. } | C::List { .. } | C::TickOff { .. })
    }

    /// The task-force commands, whose rules live in `task_force.rs`.
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

/// A lead and its cooperating units: not too many, the lead not twice, no unit twice.
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
