//! Suggestions as pages and exports show them (shared by server and browser).
use super::{Campaign, CampaignPhase, ReviewEvent, SuggestionState, SuggestionStatus};
use serde::{Deserialize, Serialize};

/// One suggestion as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestionRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub content: String,
    pub overview: String,
    pub category: String,
    pub area_id: Option<i64>,
    pub area_name: Option<String>,
    pub person: Option<String>,
    pub phone: Option<String>,
    pub status: SuggestionStatus,
    pub supports: i64,
    pub created_ms: i64,
}

/// One entry of a suggestion's history: when, by whom (staff name), what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestionEventRow {
    pub seq: i64,
    pub at: i64,
    pub actor: Option<String>,
    pub event: ReviewEvent,
}

/// One project of the adopted list, as the public sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdoptedProject {
    pub row: SuggestionRow,
    pub progress: u8,
    pub cost_yuan: Option<i64>,
    pub period: Option<String>,
}

/// How many suggestions of a campaign are in each status, for one category or area.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatLine {
    pub label: String,
    pub total: i64,
    /// Submitted, assigned or being evaluated: waiting for the government.
    pub waiting: i64,
    /// Accepted by the evaluating unit (and everything after it that is not a failed vote).
    pub accepted: i64,
    pub rejected: i64,
    /// Adopted by the deputies' vote, published or completed.
    pub adopted: i64,
    /// Hidden or merged.
    pub removed: i64,
}

impl StatLine {
    pub fn add(&mut self, status: SuggestionStatus, n: i64) {
        use SuggestionStatus as S;
        self.total += n;
        match status {
            S::Submitted | S::Assigned | S::Evaluating => self.waiting += n,
            S::Accepted | S::Shortlisted | S::NotAdopted => self.accepted += n,
            S::Rejected => self.rejected += n,
            S::Adopted | S::Published | S::Completed => {
                self.accepted += n;
                self.adopted += n
            }
            S::Hidden | S::Merged => self.removed += n,
        }
    }
}

/// Statistics of a campaign by category and by area.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignStats {
    pub by_category: Vec<StatLine>,
    pub by_area: Vec<StatLine>,
    pub total: StatLine,
}

impl CampaignStats {
    /// Folds `(label, status, count)` rows into lines, in the order labels first appear.
    pub fn lines(rows: impl IntoIterator<Item = (String, SuggestionStatus, i64)>) -> Vec<StatLine> {
        let mut out: Vec<StatLine> = Vec::new();
        for (label, status, n) in rows {
            match out.iter_mut().find(|l| l.label == label) {
                Some(l) => l.add(status, n),
                None => {
                    let mut l = StatLine { label, ..Default::default() };
                    l.add(status, n);
                    out.push(l);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_count_each_suggestion_once_in_total_and_adopted_ones_as_accepted_too() {
        use SuggestionStatus as S;
        let lines = CampaignStats::lines([
            ("交通出行".to_string(), S::Submitted, 3),
            ("教育".to_string(), S::Published, 1),
            ("交通出行".to_string(), S::Merged, 2),
            ("交通出行".to_string(), S::Completed, 1),
        ]);
        assert_eq!(lines.len(), 2);
        let t = &lines[0];
        assert_eq!((t.label.as_str(), t.total, t.waiting, t.removed, t.accepted, t.adopted), ("交通出行", 6, 3, 2, 1, 1));
    }
}

/// A campaign as pages show it, with its phase decided by the server's clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignView {
    pub campaign: Campaign,
    pub phase: CampaignPhase,
    /// `YYYY-MM-DD` of the first and the last day of the window, local time.
    pub opens_day: String,
    pub closes_day: String,
}

impl CampaignView {
    pub fn new(campaign: Campaign, now: i64) -> CampaignView {
        use crate::domain::clock::{DAY_MS, local_date};
        let day = |ms: i64| {
            let (y, m, d) = local_date(ms);
            format!("{y:04}-{m:02}-{d:02}")
        };
        CampaignView { phase: campaign.phase(now), opens_day: day(campaign.opens_ms), closes_day: day(campaign.closes_ms - DAY_MS), campaign }
    }
}

/// The livelihood call as the portal's home shows it, so a resident who does not know
/// `/suggest` still finds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalCall {
    pub call: CampaignView,
    /// Suggestions on its public list.
    pub received: i64,
    /// Once it has closed: the first of what it adopted, and how many it adopted in all.
    pub adopted: Vec<AdoptedProject>,
    pub adopted_total: usize,
}

/// A resident's view of their suggestion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestionTrack {
    pub row: SuggestionRow,
    pub state: SuggestionState,
    pub history: Vec<SuggestionEventRow>,
    pub campaign_title: String,
    pub unit_name: Option<String>,
    pub merged_into_code: Option<String>,
}
