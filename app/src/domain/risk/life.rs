//! A warning's life: raised → assessed (研判, a level and a note) → handled (through a
//! case, often by launching a palm command from it) → closed with a result; or dismissed
//! with a reason while raised or assessed, kept so the rules can be tuned.
use super::{Level, RiskError, Rule, Status, TEXT_MAX, required_text};
use crate::domain::case::CaseId;
use crate::domain::org::Role;
use serde::{Deserialize, Serialize};

/// Who assesses a warning: the commanders and the supervision office.
pub const ASSESS: &[Role] = &[Role::Commander, Role::Supervisor];
/// Who handles, closes or dismisses one: those and the center's leaders.
pub const DECIDE: &[Role] = &[Role::Commander, Role::Supervisor, Role::Leader];
/// Who raises one by hand: any of the center's staff.
pub const RAISE: &[Role] = crate::domain::access::CENTER_STAFF;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub id: i64,
    pub rule: Rule,
    pub status: Status,
    pub title: String,
    /// The township of its first case, for the counts by township.
    pub township_id: Option<i64>,
    pub township: Option<String>,
    pub raised_ms: i64,
    pub level: Option<Level>,
    pub note: Option<String>,
    pub assessed_ms: Option<i64>,
    /// The case it is handled through.
    pub handled_case: Option<CaseId>,
    pub handled_ms: Option<i64>,
    pub result: Option<String>,
    pub closed_ms: Option<i64>,
    pub dismiss_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    Assess { level: Level, note: String },
    Handle { case: CaseId },
    Close { result: String },
    Dismiss { reason: String },
}

impl Action {
    pub fn code(&self) -> &'static str {
        match self {
            Action::Assess { .. } => "assess",
            Action::Handle { .. } => "handle",
            Action::Close { .. } => "close",
            Action::Dismiss { .. } => "dismiss",
        }
    }
}

impl Warning {
    /// Applies `action` by someone in `role` at `now`, or refuses it and changes nothing.
    pub fn apply(&mut self, role: Role, action: Action, now: i64) -> Result<(), RiskError> {
        let allowed = match action {
            Action::Assess { .. } => ASSESS,
            _ => DECIDE,
        };
        if !allowed.contains(&role) {
            return Err(RiskError::NotAllowed);
        }
        let from: &[Status] = match action {
            // A new assessment replaces the last while nothing has been done yet.
            Action::Assess { .. } => &[Status::Raised, Status::Assessed],
            Action::Handle { .. } => &[Status::Assessed, Status::Handled],
            Action::Close { .. } => &[Status::Handled],
            Action::Dismiss { .. } => &[Status::Raised, Status::Assessed],
        };
        if !from.contains(&self.status) {
            return Err(RiskError::WrongStatus(self.status));
        }
        match action {
            Action::Assess { level, note } => {
                self.note = Some(required_text(&note, TEXT_MAX, RiskError::NoteRequired)?);
                self.level = Some(level);
                self.assessed_ms = Some(now);
                self.status = Status::Assessed;
            }
            Action::Handle { case } => {
                self.handled_case = Some(case);
                self.handled_ms = Some(now);
                self.status = Status::Handled;
            }
            Action::Close { result } => {
                self.result = Some(required_text(&result, TEXT_MAX, RiskError::ResultRequired)?);
                self.closed_ms = Some(now);
                self.status = Status::Closed;
            }
            Action::Dismiss { reason } => {
                self.dismiss_reason = Some(required_text(&reason, TEXT_MAX, RiskError::ReasonRequired)?);
                self.closed_ms = Some(now);
                self.status = Status::Dismissed;
            }
        }
        Ok(())
    }

    pub fn raised(id: i64, rule: Rule, title: String, township_id: Option<i64>, now: i64) -> Warning {
        Warning {
            id,
            rule,
            status: Status::Raised,
            title,
            township_id,
            township: None,
            raised_ms: now,
            level: None,
            note: None,
            assessed_ms: None,
            handled_case: None,
            handled_ms: None,
            result: None,
            closed_ms: None,
            dismiss_reason: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raised() -> Warning {
        Warning::raised(1, Rule::Cluster, "噪音 ×3".into(), None, 0)
    }

    #[test]
    fn the_whole_life_in_order() {
        let mut w = raised();
        w.apply(Role::Commander, Action::Assess { level: Level::Orange, note: "夜间施工集中投诉".into() }, 1).unwrap();
        w.apply(Role::Commander, Action::Handle { case: 42 }, 2).unwrap();
        w.apply(Role::Supervisor, Action::Close { result: "已责令停工整改".into() }, 3).unwrap();
        assert_eq!((w.status, w.level, w.handled_case, w.closed_ms), (Status::Closed, Some(Level::Orange), Some(42), Some(3)));
    }

    #[test]
    fn steps_out_of_order_are_refused_and_change_nothing() {
        let mut w = raised();
        assert_eq!(w.apply(Role::Commander, Action::Handle { case: 1 }, 1), Err(RiskError::WrongStatus(Status::Raised)));
        assert_eq!(w.apply(Role::Commander, Action::Close { result: "x".into() }, 1), Err(RiskError::WrongStatus(Status::Raised)));
        assert_eq!(w, raised());
        w.apply(Role::Supervisor, Action::Dismiss { reason: "同一工地，已在处置".into() }, 1).unwrap();
        assert_eq!(w.apply(Role::Commander, Action::Assess { level: Level::Red, note: "x".into() }, 2), Err(RiskError::WrongStatus(Status::Dismissed)));
    }

    #[test]
    fn only_commanders_and_supervisors_assess_and_words_are_required() {
        let mut w = raised();
        assert_eq!(w.apply(Role::Operator, Action::Assess { level: Level::Red, note: "x".into() }, 1), Err(RiskError::NotAllowed));
        assert_eq!(w.apply(Role::Leader, Action::Assess { level: Level::Red, note: "x".into() }, 1), Err(RiskError::NotAllowed));
        assert_eq!(w.apply(Role::Commander, Action::Assess { level: Level::Red, note: "  ".into() }, 1), Err(RiskError::NoteRequired));
        assert_eq!(w.apply(Role::Commander, Action::Dismiss { reason: "".into() }, 1), Err(RiskError::ReasonRequired));
        assert_eq!(w, raised());
    }
}
