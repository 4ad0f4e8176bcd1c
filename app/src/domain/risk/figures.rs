//! The counts a center reports (“496 risk warnings”): the warnings raised in a period by
//! level, rule, township and where they stand, and beside them the disputes' first-time
//! resolution rate. What the wall and `/center/risk` show.
use super::{Level, Rule, Status};
use crate::domain::rate::Rate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One count: its key (a code, or a township's id), its label, how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub key: String,
    pub label: String,
    pub n: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskFigures {
    /// The period counted: `[from_ms, to_ms)`.
    pub from_ms: i64,
    pub to_ms: i64,
    pub raised: i64,
    /// Raised, assessed or handled: still asking for attention.
    pub open: i64,
    /// Of those raised in the period, not yet assessed.
    pub unassessed: i64,
    pub dismissed: i64,
    /// Assessed warnings by level, most serious first (every level, zeros included).
    pub by_level: Vec<Tally>,
    /// By rule, every rule (zeros included).
    pub by_rule: Vec<Tally>,
    /// By township, most first; warnings without one are left out.
    pub by_township: Vec<Tally>,
    /// The first-time resolution rate of the disputes mediated and closed in the period.
    pub first_time: Rate,
}

/// One group of warnings as the store counts them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub rule: String,
    pub level: String,
    pub status: String,
    pub township_id: Option<i64>,
    pub township: Option<String>,
    pub n: i64,
}

impl RiskFigures {
    pub fn count(from_ms: i64, to_ms: i64, groups: &[Group], first_time: Rate) -> RiskFigures {
        let mut f = RiskFigures { from_ms, to_ms, first_time, ..Default::default() };
        let mut levels: BTreeMap<Level, i64> = BTreeMap::new();
        let mut rules: BTreeMap<Rule, i64> = BTreeMap::new();
        let mut towns: BTreeMap<i64, (String, i64)> = BTreeMap::new();
        for g in groups {
            f.raised += g.n;
            let status = g.status.parse::<Status>().ok();
            if status.is_some_and(Status::is_open) {
                f.open += g.n;
            }
            match status {
                Some(Status::Raised) => f.unassessed += g.n,
                Some(Status::Dismissed) => f.dismissed += g.n,
                _ => {}
            }
            if let Ok(l) = g.level.parse::<Level>() {
                *levels.entry(l).or_default() += g.n;
            }
            if let Ok(r) = g.rule.parse::<Rule>() {
                *rules.entry(r).or_default() += g.n;
            }
            if let (Some(id), Some(name)) = (g.township_id, &g.township) {
                towns.entry(id).or_insert_with(|| (name.clone(), 0)).1 += g.n;
            }
        }
        f.by_level = Level::ALL.iter().map(|l| Tally { key: l.code().into(), label: String::new(), n: levels.get(l).copied().unwrap_or(0) }).collect();
        f.by_rule = Rule::ALL.iter().map(|r| Tally { key: r.code().into(), label: String::new(), n: rules.get(r).copied().unwrap_or(0) }).collect();
        let mut t: Vec<Tally> = towns.into_iter().map(|(id, (label, n))| Tally { key: id.to_string(), label, n }).collect();
        t.sort_by(|a, b| b.n.cmp(&a.n).then(a.label.cmp(&b.label)));
        f.by_township = t;
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(rule: &str, level: &str, status: &str, town: Option<(i64, &str)>, n: i64) -> Group {
        Group { rule: rule.into(), level: level.into(), status: status.into(), township_id: town.map(|t| t.0), township: town.map(|t| t.1.into()), n }
    }

    #[test]
    fn every_warning_counts_once_in_each_breakdown() {
        let groups = [
            g("cluster", "", "raised", Some((1, "杜泽镇")), 2),
            g("cluster", "orange", "handled", Some((1, "杜泽镇")), 1),
            g("mass", "red", "closed", Some((2, "云溪乡")), 1),
            g("repeat", "", "dismissed", None, 1),
        ];
        let f = RiskFigures::count(0, 1, &groups, Rate::default());
        assert_eq!((f.raised, f.open, f.unassessed, f.dismissed), (5, 3, 2, 1));
        assert_eq!(f.by_level.iter().map(|t| t.n).collect::<Vec<_>>(), vec![1, 1, 0, 0]);
        assert_eq!(f.by_rule.iter().find(|t| t.key == "cluster").map(|t| t.n), Some(3));
        assert_eq!(f.by_rule.iter().map(|t| t.n).sum::<i64>(), 5);
        assert_eq!(f.by_township.iter().map(|t| (t.label.as_str(), t.n)).collect::<Vec<_>>(), vec![("杜泽镇", 3), ("云溪乡", 1)]);
    }
}
