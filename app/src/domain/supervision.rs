//! The supervision list (督办清单) as the supervision office reads it: which cases stand on
//! which rung, what falls due, what was ticked off. The rules of the ladder itself live with
//! the case (`case::supervision`); this is the list's filter and rows.
use super::case::{CaseId, CaseStatus, SupervisionStage, UnitId};
use serde::{Deserialize, Serialize};

pub const SUPERVISION_PAGE: i64 = 50;
/// "Falls due" looks this far ahead unless the filter says otherwise.
pub const DUE_SOON_DAYS: i64 = 7;
const DAY_MS: i64 = 86_400_000;

/// The list's filter; `stage` None means every rung. Its query string is what the page's URL
/// and the export carry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SupervisionFilter {
    pub stage: Option<SupervisionStage>,
    /// Only what falls due (a listing's deadline or a feedback date) within this many days,
    /// or is already past it.
    pub due_days: Option<i64>,
    /// Cases this unit leads.
    pub unit_id: Option<UnitId>,
    /// 0-based page.
    pub page: i64,
}

impl SupervisionFilter {
    /// The list as the supervision office opens it: what is listed now.
    pub fn listed() -> SupervisionFilter {
        SupervisionFilter { stage: Some(SupervisionStage::Listed), ..Default::default() }
    }

    /// From `stage=listed&due=7&unit=12&page=1`; an unknown or malformed value is refused,
    /// never silently dropped (a wrong list would look like the right one).
    pub fn from_query(pairs: &[(String, String)]) -> Result<SupervisionFilter, super::case::CaseError> {
        use super::case::CaseError;
        let mut f = SupervisionFilter::default();
        let mut stage_given = false;
        for (k, v) in pairs {
            let v = v.trim();
            match k.as_str() {
                "stage" => {
                    stage_given = true;
                    f.stage = if v.is_empty() || v == "all" { None } else { Some(v.parse()?) };
                }
                "due" if !v.is_empty() => f.due_days = Some(v.parse().ok().filter(|d| (0..=366).contains(d)).ok_or_else(|| CaseError::UnknownCode(v.into()))?),
                "unit" if !v.is_empty() => f.unit_id = Some(v.parse().map_err(|_| CaseError::UnknownUnit(0))?),
                "page" if !v.is_empty() => f.page = v.parse().ok().filter(|p| *p >= 0).ok_or_else(|| CaseError::UnknownCode(v.into()))?,
                _ => {}
            }
        }
        if !stage_given {
            f.stage = Some(SupervisionStage::Listed);
        }
        Ok(f)
    }

    pub fn to_query(&self) -> String {
        let mut q = vec![format!("stage={}", self.stage.map_or("all", |s| s.code()))];
        if let Some(d) = self.due_days {
            q.push(format!("due={d}"));
        }
        if let Some(u) = self.unit_id {
            q.push(format!("unit={u}"));
        }
        if self.page > 0 {
            q.push(format!("page={}", self.page));
        }
        q.join("&")
    }

    /// The instant before which a due date counts, when the filter asks for what falls due.
    pub fn due_before(&self, now_ms: i64) -> Option<i64> {
        self.due_days.map(|d| now_ms.saturating_add(d.saturating_mul(DAY_MS)))
    }
}

/// One case on the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupervisionRow {
    pub case_id: CaseId,
    pub code: String,
    pub title: String,
    pub status: CaseStatus,
    pub lead_unit: Option<String>,
    /// The case's own deadline.
    pub deadline_ms: i64,
    pub stage: SupervisionStage,
    pub reminders: i64,
    pub last_reminded_ms: Option<i64>,
    pub feedback_due_ms: Option<i64>,
    pub proposed_ms: Option<i64>,
    pub listed_ms: Option<i64>,
    pub list_deadline_ms: Option<i64>,
    pub leader: Option<String>,
    pub ticked_off_ms: Option<i64>,
}

impl SupervisionRow {
    /// The date this row is held to now: a listing's deadline, else a feedback date.
    pub fn due_ms(&self) -> Option<i64> {
        match self.stage {
            SupervisionStage::Listed => self.list_deadline_ms,
            SupervisionStage::Tracking => self.feedback_due_ms,
            _ => None,
        }
    }

    /// Past the date it is held to.
    pub fn is_late(&self, now_ms: i64) -> bool {
        self.due_ms().is_some_and(|d| d < now_ms)
    }

    /// The case itself is past its deadline and nobody has a result yet.
    pub fn case_overdue(&self, now_ms: i64) -> bool {
        use CaseStatus as S;
        matches!(self.status, S::Received | S::Triage | S::Dispatched | S::InProgress | S::Reopened) && self.deadline_ms < now_ms
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupervisionPage {
    pub rows: Vec<SupervisionRow>,
    pub total: i64,
    pub filter: SupervisionFilter,
    pub now_ms: i64,
}

impl SupervisionPage {
    pub fn pages(&self) -> i64 {
        (self.total + SUPERVISION_PAGE - 1) / SUPERVISION_PAGE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Vec<(String, String)> {
        s.split('&').filter(|p| !p.is_empty()).map(|p| p.split_once('=').map(|(k, v)| (k.to_string(), v.to_string())).unwrap()).collect()
    }

    #[test]
    fn the_list_opens_on_what_is_listed_and_a_query_round_trips() {
        assert_eq!(SupervisionFilter::from_query(&[]).unwrap(), SupervisionFilter::listed());
        let f = SupervisionFilter::from_query(&q("stage=tracking&due=3&unit=12&page=2")).unwrap();
        assert_eq!(f, SupervisionFilter { stage: Some(SupervisionStage::Tracking), due_days: Some(3), unit_id: Some(12), page: 2 });
        assert_eq!(SupervisionFilter::from_query(&q(&f.to_query())).unwrap(), f);
        let all = SupervisionFilter::from_query(&q("stage=all")).unwrap();
        assert_eq!(all.stage, None);
        assert_eq!(SupervisionFilter::from_query(&q(&all.to_query())).unwrap(), all);
    }

    #[test]
    fn a_malformed_filter_is_refused_rather_than_widened() {
        for bad in ["stage=pending", "due=-1", "due=soon", "unit=x", "page=-2"] {
            assert!(SupervisionFilter::from_query(&q(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_row_is_held_to_its_listing_deadline_or_its_feedback_date() {
        let row = SupervisionRow {
            case_id: 1,
            code: "C".into(),
            title: "t".into(),
            status: CaseStatus::InProgress,
            lead_unit: None,
            deadline_ms: 50,
            stage: SupervisionStage::Listed,
            reminders: 0,
            last_reminded_ms: None,
            feedback_due_ms: Some(10),
            proposed_ms: None,
            listed_ms: Some(1),
            list_deadline_ms: Some(100),
            leader: Some("王".into()),
            ticked_off_ms: None,
        };
        assert_eq!(row.due_ms(), Some(100));
        assert!(!row.case_overdue(50) && row.case_overdue(51));
        assert!(!SupervisionRow { status: CaseStatus::Resolved, ..row.clone() }.case_overdue(51), "a result stops the clock");
        assert!(!row.is_late(100) && row.is_late(101));
        let tracking = SupervisionRow { stage: SupervisionStage::Tracking, ..row.clone() };
        assert_eq!(tracking.due_ms(), Some(10));
        assert_eq!(SupervisionRow { stage: SupervisionStage::Reminded, ..row }.due_ms(), None);
    }
}
