//! What a case is about: the center's six functions, the channel it came in by, how
//! urgent it is, and its category with the time allowed to resolve it.
use super::{CaseError, TextField, clean_text};
use serde::{Deserialize, Serialize};

const MINUTE_MS: i64 = 60 * 1000;
const HOUR_MS: i64 = 60 * MINUTE_MS;
const DAY_MS: i64 = 24 * HOUR_MS;

/// Every unit must sign within this long of a dispatch (configurable per case).
pub const DEFAULT_ACK_MS: i64 = 5 * MINUTE_MS;
/// A category's allowed time must lie in this range; shorter than the ack window or
/// longer than a year would be a typing mistake, not a policy.
pub const MIN_SLA_MS: i64 = 5 * MINUTE_MS;
pub const MAX_SLA_MS: i64 = 365 * DAY_MS;

coded_enum!(crate::domain::case::CaseError =>
    /// The six functions of the center (六大功能), the top level above every category.
    CaseKind {
        /// 信访矛盾调处
        PetitionMediation => "petition_mediation",
        /// 治理事件处置
        GovernanceIncident => "governance_incident",
        /// 社会风险研判
        SocialRisk => "social_risk",
        /// 重大应急管理
        MajorEmergency => "major_emergency",
        /// 监管执法协调
        EnforcementCoordination => "enforcement_coordination",
        /// 基层治理指导
        GrassrootsGuidance => "grassroots_guidance",
    }
);

coded_enum!(crate::domain::case::CaseError =>
    /// Where a case came in (一张网: every channel lands in the same register).
    Channel {
        Hotline12345 => "hotline12345",
        WalkIn => "walk_in",
        Field => "field",
        Online => "online",
        Petition => "petition",
        Open311 => "open311",
    }
);

coded_enum!(crate::domain::case::CaseError =>
    /// How urgent the reporter or operator judges the case.
    Urgency { Normal => "normal", Urgent => "urgent", Emergency => "emergency" }
);

coded_enum!(crate::domain::case::CaseError =>
    /// The default SLA presets from DESIGN.md; a category starts from one and may be tuned.
    SlaClass { Emergency => "emergency", Utilities => "utilities", General => "general", Complex => "complex" }
);

impl SlaClass {
    pub fn default_ms(self) -> i64 {
        match self {
            SlaClass::Emergency => 2 * HOUR_MS,
            SlaClass::Utilities => 24 * HOUR_MS,
            SlaClass::General => 7 * DAY_MS,
            SlaClass::Complex => 15 * DAY_MS,
        }
    }
}

impl Urgency {
    /// The most time a case of this urgency may get, whatever its category allows:
    /// an emergency about a normally slow topic must still be handled in hours.
    pub fn cap_ms(self) -> Option<i64> {
        match self {
            Urgency::Normal => None,
            Urgency::Urgent => Some(SlaClass::Utilities.default_ms()),
            Urgency::Emergency => Some(SlaClass::Emergency.default_ms()),
        }
    }
}

/// The time a new case gets: its category's, shortened by its urgency.
pub fn allowed_ms(category_ms: i64, urgency: Urgency) -> i64 {
    urgency.cap_ms().map_or(category_ms, |cap| cap.min(category_ms))
}

/// A configurable category under one of the six functions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub code: String,
    pub name: String,
    pub kind: CaseKind,
    pub allowed_ms: i64,
    /// How long each unit has to sign for a case of this category (5 minutes unless set).
    #[serde(default = "default_ack_ms")]
    pub ack_ms: i64,
    /// How long a case may stay overdue before it is proposed for listed supervision.
    #[serde(default = "default_list_after_ms")]
    pub list_after_ms: i64,
    /// When a palm command's unsigned unit goes on to the commander and the center's leaders.
    #[serde(default = "default_escalate_again_ms")]
    pub escalate_again_ms: i64,
    pub active: bool,
    /// The department its cases usually go to, as an administrator set it: the routing
    /// suggestion's rule baseline (None: the place's own units only).
    #[serde(default)]
    pub department_id: Option<super::UnitId>,
}

fn default_list_after_ms() -> i64 {
    super::DEFAULT_LIST_AFTER_MS
}

fn default_escalate_again_ms() -> i64 {
    super::DEFAULT_ESCALATE_AGAIN_MS
}

fn default_ack_ms() -> i64 {
    DEFAULT_ACK_MS
}

impl Category {
    /// A checked category: code of lowercase letters, digits, `_` or `-`; a name; an allowed
    /// time within range.
    pub fn new(code: &str, name: &str, kind: CaseKind, allowed_ms: i64) -> Result<Category, CaseError> {
        let code = code.trim().to_ascii_lowercase();
        let code_ok = (1..=40).contains(&code.len()) && code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '-'));
        if !code_ok {
            return Err(CaseError::BadCode(code));
        }
        if !(MIN_SLA_MS..=MAX_SLA_MS).contains(&allowed_ms) {
            return Err(CaseError::BadTimeLimit);
        }
        let name = clean_text(TextField::Name, name)?;
        Ok(Category {
            code,
            name,
            kind,
            allowed_ms,
            ack_ms: DEFAULT_ACK_MS,
            list_after_ms: default_list_after_ms(),
            escalate_again_ms: default_escalate_again_ms(),
            active: true,
            department_id: None,
        })
    }

    /// The category with new time terms, or why they are refused: the time to resolve within
    /// the limits of any category, a time to sign of one minute to a day, the second escalation
    /// after the first and within a day, listing proposed at most a year after the deadline.
    pub fn with_terms(&self, allowed_ms: i64, ack_ms: i64, escalate_again_ms: i64, list_after_ms: i64) -> Result<Category, CaseError> {
        const DAY: i64 = 24 * 3600 * 1000;
        let ok = (MIN_SLA_MS..=MAX_SLA_MS).contains(&allowed_ms)
            && (60_000..=DAY).contains(&ack_ms)
            && escalate_again_ms > ack_ms
            && escalate_again_ms <= DAY
            && (0..=MAX_SLA_MS).contains(&list_after_ms);
        if !ok {
            return Err(CaseError::BadTimeLimit);
        }
        Ok(Category { allowed_ms, ack_ms, escalate_again_ms, list_after_ms, ..self.clone() })
    }

    /// A category whose time limit is one of the DESIGN.md presets.
    pub fn preset(code: &str, name: &str, kind: CaseKind, class: SlaClass) -> Result<Category, CaseError> {
        Category::new(code, name, kind, class.default_ms())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_terms_are_checked_together() {
        let c = Category::new("noise", "噪音", CaseKind::GovernanceIncident, 7 * DAY_MS).unwrap();
        let min = MINUTE_MS;
        let t = c.with_terms(2 * DAY_MS, 3 * min, 8 * min, 12 * 3_600_000).unwrap();
        assert_eq!((t.allowed_ms, t.ack_ms, t.escalate_again_ms, t.list_after_ms, t.code.as_str()), (2 * DAY_MS, 3 * min, 8 * min, 12 * 3_600_000, "noise"));
        for (allowed, ack, again, after) in [
            (MIN_SLA_MS - 1, 5 * min, 10 * min, 0),
            (DAY_MS, 30_000, 10 * min, 0),
            (DAY_MS, 5 * min, 5 * min, 0),
            (DAY_MS, 5 * min, DAY_MS + 1, 0),
            (DAY_MS, 5 * min, 10 * min, -1),
        ] {
            assert_eq!(c.with_terms(allowed, ack, again, after), Err(CaseError::BadTimeLimit), "{allowed} {ack} {again} {after}");
        }
    }

    #[test]
    fn codes_match_serde_names_for_every_variant() {
        fn check<T>(all: &[T])
        where
            T: Copy + serde::Serialize + std::fmt::Display + std::str::FromStr + PartialEq + std::fmt::Debug,
            <T as std::str::FromStr>::Err: std::fmt::Debug,
        {
            for v in all {
                assert_eq!(serde_json::to_string(v).unwrap(), format!("\"{v}\""));
                assert_eq!(v.to_string().parse::<T>().unwrap(), *v);
            }
        }
        check(CaseKind::ALL);
        check(Channel::ALL);
        check(Urgency::ALL);
        check(SlaClass::ALL);
        assert_eq!(CaseKind::ALL.len(), 6, "the center has six functions");
        assert!("fax".parse::<Channel>().is_err());
    }

    #[test]
    fn default_slas_are_two_hours_a_day_a_week_and_fifteen_days() {
        assert_eq!(SlaClass::Emergency.default_ms(), 2 * 3_600_000);
        assert_eq!(SlaClass::Utilities.default_ms(), 24 * 3_600_000);
        assert_eq!(SlaClass::General.default_ms(), 7 * 86_400_000);
        assert_eq!(SlaClass::Complex.default_ms(), 15 * 86_400_000);
        assert_eq!(DEFAULT_ACK_MS, 300_000);
    }

    #[test]
    fn an_emergency_gets_at_most_two_hours_whatever_its_category() {
        let complex = SlaClass::Complex.default_ms();
        assert_eq!(allowed_ms(complex, Urgency::Normal), complex);
        assert_eq!(allowed_ms(complex, Urgency::Urgent), 24 * 3_600_000);
        assert_eq!(allowed_ms(complex, Urgency::Emergency), 2 * 3_600_000);
        assert_eq!(allowed_ms(30 * 60_000, Urgency::Emergency), 30 * 60_000, "never lengthened");
    }

    #[test]
    fn a_category_needs_a_code_a_name_and_a_sane_time_limit() {
        let c = Category::preset(" Rail-Damage ", " 铁路施工损坏 ", CaseKind::GovernanceIncident, SlaClass::Complex).unwrap();
        assert_eq!((c.code.as_str(), c.name.as_str(), c.active), ("rail-damage", "铁路施工损坏", true));
        assert!(Category::new("道路", "道路", CaseKind::GovernanceIncident, MIN_SLA_MS).is_err());
        assert_eq!(Category::new("x", " ", CaseKind::SocialRisk, MIN_SLA_MS), Err(CaseError::TextRequired(TextField::Name)));
        assert_eq!(Category::new("x", "x", CaseKind::SocialRisk, MIN_SLA_MS - 1), Err(CaseError::BadTimeLimit));
        assert_eq!(Category::new("x", "x", CaseKind::SocialRisk, MAX_SLA_MS + 1), Err(CaseError::BadTimeLimit));
    }
}
