//! What the command screens read: a unit's inbox on the phone, and the routing hint that
//! helps a commander form the 1+1+X task force.
use super::{Assignment, Case, CaseSummary, UnitId, UserId};
use serde::{Deserialize, Serialize};

/// One case in a unit's hands, with the unit's own part of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxItem {
    pub summary: CaseSummary,
    /// This unit's current part (its sign clock, its status).
    pub part: Assignment,
    /// The case is a palm command with an open task force.
    pub command: bool,
    /// The newest directive addressed to this unit (or to all), if any.
    pub last_directive: Option<String>,
    /// Where the case stands on the supervision ladder, while it is supervised.
    #[serde(default)]
    pub supervision: Option<super::SupervisionStage>,
    /// The supervision office's latest words on it.
    #[serde(default)]
    pub supervision_words: Option<String>,
}

impl InboxItem {
    /// The unit's own part of a case, when the case belongs in its inbox: units hold the
    /// case and this unit's part is still open (not finished, returned or withdrawn).
    pub fn open_part(case: &Case, unit: UnitId) -> Option<&Assignment> {
        if !case.status.is_with_units() {
            return None;
        }
        case.current(unit).ok().filter(|a| a.status.is_open())
    }

    /// Most urgent first: waiting for our signature (soonest deadline first), then the
    /// commands, then the nearest case deadline.
    pub fn urgency_key(&self) -> (bool, bool, i64) {
        let to_sign = self.part.status == super::AssignmentStatus::Assigned;
        let due = if to_sign { self.part.ack.deadline_ms() } else { self.summary.deadline_ms };
        (!to_sign, !self.command, due)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbox {
    pub now_ms: i64,
    pub items: Vec<InboxItem>,
}

/// Who may command and which units the rules suggest, for the launch form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct RoutingHint {
    /// Active staff who may be named commander: (id, name).
    pub commanders: Vec<(UserId, String)>,
    /// The viewer, when they may command (the default commander).
    pub me: Option<UserId>,
    /// The place's township government leads; else the category's department.
    pub lead: Option<UnitId>,
    /// The place's village committee and grid team, and the category's department.
    pub cooperating: Vec<UnitId>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::{AssignmentStatus, CaseKind, CaseStatus, Channel, Urgency};

    fn item(id: i64, status: AssignmentStatus, command: bool, ack_deadline: i64, case_deadline: i64) -> InboxItem {
        let mut part = Assignment::new(1, false, 1, ack_deadline - 300_000, 300_000);
        part.status = status;
        InboxItem {
            summary: CaseSummary {
                id,
                code: String::new(),
                title: String::new(),
                kind: CaseKind::GovernanceIncident,
                category: String::new(),
                category_name: String::new(),
                channel: Channel::Field,
                urgency: Urgency::Normal,
                status: CaseStatus::Dispatched,
                area_id: None,
                area_code: None,
                area_name: None,
                lead_unit: None,
                location: None,
                received_ms: 0,
                deadline_ms: case_deadline,
                stopped_ms: None,
            },
            part,
            command,
            last_directive: None,
            supervision: None,
            supervision_words: None,
        }
    }

    #[test]
    fn what_waits_for_our_signature_comes_first_then_commands_then_deadlines() {
        let mut items = [
            item(1, AssignmentStatus::Working, false, 0, 100),
            item(2, AssignmentStatus::Working, true, 0, 900),
            item(3, AssignmentStatus::Assigned, false, 600_000, 5_000_000),
            item(4, AssignmentStatus::Assigned, true, 700_000, 5_000_000),
            item(5, AssignmentStatus::Signed, false, 0, 50),
        ];
        items.sort_by_key(InboxItem::urgency_key);
        let order: Vec<i64> = items.iter().map(|i| i.summary.id).collect();
        assert_eq!(order, vec![4, 3, 2, 5, 1]);
    }
}
