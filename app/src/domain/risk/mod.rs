//! 风险预警: warnings raised by rules on the case stream (or by hand), assessed (研判),
//! handled and closed, each with the cases that are its evidence. The rules are small pure
//! functions (`rules`, `mass`); the life of a warning is `life`; what an admin tunes is
//! `settings`.
pub mod figures;
pub mod life;
pub mod mass;
pub mod rules;
pub mod settings;

pub use life::{Action, Warning};
pub use rules::{Decision, Fact, Trigger};
use serde::{Deserialize, Serialize};
pub use settings::Settings;

coded_enum!(RiskError =>
    /// Which rule raised a warning; `Manual` for one raised by hand.
    Rule {
        /// ≥ N cases of one category in one village or within R metres, within T hours.
        Cluster => "cluster",
        /// The same reporter phone or the same place ≥ K times in D days.
        Repeat => "repeat",
        /// Words and head counts that signal a gathering or a group petition.
        Mass => "mass",
        /// An emergency whose time ran out.
        EmergencyOverdue => "emergency_overdue",
        /// An emergency the center learned of by another channel, with nothing reported by
        /// its township or department when the quick report was due (瞒报).
        HiddenReport => "hidden_report",
        /// A palm command with units still unsigned when its time to sign ran out.
        Unsigned => "unsigned",
        Manual => "manual",
    }
);

coded_enum!(RiskError =>
    /// The level a warning is assessed at (研判), most serious first.
    Level { Red => "red", Orange => "orange", Yellow => "yellow", Blue => "blue" }
);

coded_enum!(RiskError =>
    /// Where a warning stands.
    Status {
        Raised => "raised",
        Assessed => "assessed",
        Handled => "handled",
        Closed => "closed",
        Dismissed => "dismissed",
    }
);

impl Status {
    /// Still asking for someone's attention.
    pub fn is_open(self) -> bool {
        matches!(self, Status::Raised | Status::Assessed | Status::Handled)
    }
}

/// A field of the rules' settings, named in a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Setting {
    ClusterCases,
    ClusterRadius,
    ClusterHours,
    RepeatCases,
    RepeatDays,
    MassWords,
    MassPeople,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum RiskError {
    #[error("unknown code: {0}")]
    UnknownCode(String),
    /// The caller's role may not take this step.
    #[error("not allowed")]
    NotAllowed,
    /// The warning does not stand where this step starts from.
    #[error("not allowed while {0}")]
    WrongStatus(Status),
    #[error("a note is required")]
    NoteRequired,
    #[error("a result is required")]
    ResultRequired,
    #[error("a reason is required")]
    ReasonRequired,
    #[error("a title is required")]
    TitleRequired,
    #[error("longer than {0} characters")]
    TooLong(usize),
    /// A setting outside its range.
    #[error("setting out of range: {0:?}")]
    BadSetting(Setting),
    /// A case code that names no case.
    #[error("no such case: {0}")]
    NoSuchCase(String),
    /// The first day of a replay after its last, or a span longer than allowed.
    #[error("bad period")]
    BadPeriod,
}

/// Longest note, result or reason.
pub const TEXT_MAX: usize = 2000;
/// Longest title of a warning raised by hand.
pub const TITLE_MAX: usize = 100;

/// `raw` trimmed, required and at most `max` characters.
pub fn required_text(raw: &str, max: usize, missing: RiskError) -> Result<String, RiskError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(missing);
    }
    if t.chars().count() > max {
        return Err(RiskError::TooLong(max));
    }
    Ok(t.to_string())
}

/// A case that is a warning's evidence, as its page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceCase {
    pub case_id: crate::domain::case::CaseId,
    pub code: String,
    pub title: String,
    pub status: String,
    pub received_ms: i64,
}

/// `/center/risk/:id`: the warning, its evidence, and the case it is handled through.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningDetail {
    pub warning: Warning,
    pub evidence: Vec<EvidenceCase>,
    /// The handling case's code, and whether a palm command runs on it.
    pub handled: Option<(String, bool)>,
    pub may_assess: bool,
    pub may_decide: bool,
}

/// `/center/risk`: the figures and a page of warnings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningPage {
    pub figures: figures::RiskFigures,
    pub warnings: Vec<Warning>,
    /// Where the next page starts, when there is one.
    pub next: Option<String>,
    pub may_raise: bool,
}

/// What a replay found: the cases it read and the warnings each rule would have raised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplayReport {
    pub from_ms: i64,
    pub to_ms: i64,
    pub cases: i64,
    pub counts: Vec<(Rule, i64)>,
    pub elapsed_ms: i64,
}
