//! The case register's rules (DESIGN.md "Case lifecycle"): what a case is, the state
//! machine of the case and of each unit's assignment, and the SLA clocks.
//!
//! The flow is decide-then-apply: `decide` looks at a case and a command and either
//! refuses with a `CaseError` or returns the events to append; `Case::apply` folds an
//! event into the case. The store writes the events and the new state in one
//! transaction, so the history and the state can never disagree.
use super::org::Role;
use serde::{Deserialize, Serialize};

mod aggregate;
mod assignment;
mod command;
mod error;
mod event;
mod inbox;
mod intake;
mod kind;
mod lifecycle;
mod once;
mod register;
mod sla;
mod status;
mod supervision;
mod task_force;

#[cfg(test)]
mod props;
#[cfg(test)]
mod stories;

pub use aggregate::{Case, DEFAULT_FOLLOW_UP_WAIT_MS, Intake, Terms};
pub use assignment::{Assignment, AssignmentStatus, ExtensionRequest, MAX_EXTENSION_MS, MIN_EXTENSION_MS, Step};
pub use command::{CaseCommand, CommandKind, MAX_UNITS_PER_DISPATCH};
pub use error::{CaseError, TextField, clean_optional, clean_text};
pub use event::{CaseEvent, Change, CloseCause, ReopenCause};
pub use inbox::{Inbox, InboxItem, RoutingHint};
pub use intake::{CheckedText, FileKind, GeoPoint, IntakeText, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENT_MB, MAX_ATTACHMENTS, check_files, clean_reporter_phone};
pub use kind::{CaseKind, Category, Channel, DEFAULT_ACK_MS, MAX_SLA_MS, MIN_SLA_MS, SlaClass, Urgency, allowed_ms};
pub use lifecycle::{check_merge_target, decide, resident_may_rate};
pub use once::{COMMAND_KEY_KEEP_MS, CommandKey, check_repeat};
pub use register::{
    AreaPage, AssignmentView, AttachmentInfo, CALLER_HISTORY_MAX, CallerCase, CallerHistory, CaseDetail, CaseFilter, CaseOptions, CasePage, CaseSummary,
    Cursor, DUPLICATE_RADIUS_M, DUPLICATE_WINDOW_MS, PAGE_SIZE, PublicStep, TimelineEntry, TrackView, near_enough, offered, public_step, village_of,
};
pub use sla::{SlaClock, SlaLevel, WARN_FIRST_PCT, WARN_SECOND_PCT};
pub use status::CaseStatus;
pub use supervision::{DEFAULT_ESCALATE_AGAIN_MS, DEFAULT_LIST_AFTER_MS, Listing, Supervision, SupervisionStage, Tracking, Trigger, holding_units};
pub use task_force::{TaskForce, overdue_unsigned};

/// Ids as the store keeps them.
pub type CaseId = i64;
pub type UnitId = i64;
pub type UserId = i64;

/// Who issues a command; recorded on every event. The server builds it from the
/// session (staff), the tracking code + secret (resident) or the scheduler (system).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Actor {
    Staff {
        user_id: UserId,
        role: Role,
        unit_id: Option<UnitId>,
    },
    /// A resident proven by the tracking code and secret; may only rate the result.
    Resident,
    /// The server itself: intake through the API, timed closes.
    System,
}

impl Actor {
    pub fn staff(user_id: UserId, role: Role, unit_id: Option<UnitId>) -> Actor {
        Actor::Staff { user_id, role, unit_id }
    }

    pub fn role(&self) -> Option<Role> {
        match self {
            Actor::Staff { role, .. } => Some(*role),
            _ => None,
        }
    }

    pub fn unit_id(&self) -> Option<UnitId> {
        match self {
            Actor::Staff { unit_id, .. } => *unit_id,
            _ => None,
        }
    }

    pub fn has_role(&self, roles: &[Role]) -> bool {
        self.role().is_some_and(|r| roles.contains(&r))
    }
}
