//! What can be wrong with a request about the center's periodic reports: bulletins (通报)
//! and, with them, anything else named by a reporting period.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ReportError {
    #[error("unknown code: {0}")]
    UnknownCode(String),
    /// Not a period's code (`week-2026-11-30`, `month-2026-11`, …), or one not offered here.
    #[error("not a period: {0}")]
    BadPeriod(String),
    /// A period that has not begun has nothing to report yet.
    #[error("the period has not begun")]
    NotStarted,
    /// A period still running cannot be closed.
    #[error("the period is not over")]
    NotOver,
    /// A published report is what units were told: it no longer changes.
    #[error("already published")]
    Published,
    /// Each weight 0–100, and not all 0.
    #[error("weights out of range")]
    BadWeights,
    /// A closed period's scores are what was published.
    #[error("the period is closed")]
    Frozen,
    /// The comment is longer than this many characters.
    #[error("comment longer than {0} characters")]
    CommentTooLong(usize),
}
