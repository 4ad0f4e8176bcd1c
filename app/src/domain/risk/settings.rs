//! What an admin tunes: each rule on or off and its thresholds. Kept as one JSON document;
//! `check` refuses values no center would mean (a cluster of one case, a window of a year).
use super::{RiskError, Setting};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterRule {
    pub on: bool,
    /// N: cases of one category that make a cluster.
    pub min_cases: u32,
    /// R: metres within which cases count as one place when they lack a common village.
    pub radius_m: u32,
    /// T: the window, in hours.
    pub window_hours: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepeatRule {
    pub on: bool,
    /// K: reports from one phone, or from one place, that make a repeat.
    pub min_cases: u32,
    /// D: the window, in days.
    pub window_days: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MassRule {
    pub on: bool,
    /// Words that signal a gathering on their own (聚集, 集体上访 …).
    pub words: Vec<String>,
    /// Words that signal one together with a head count of at least `min_people` (讨薪 …).
    pub count_words: Vec<String>,
    pub min_people: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub cluster: ClusterRule,
    pub repeat: RepeatRule,
    pub mass: MassRule,
    /// Raise a warning when an emergency's time runs out.
    pub emergency_overdue: bool,
    /// Raise a warning when a palm command's units are still unsigned at escalation.
    pub unsigned: bool,
}

impl Default for Settings {
    fn default() -> Self {
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect();
        Settings {
            cluster: ClusterRule { on: true, min_cases: 3, radius_m: 300, window_hours: 7 * 24 },
            repeat: RepeatRule { on: true, min_cases: 3, window_days: 30 },
            mass: MassRule {
                on: true,
                words: words(&["群体性", "聚集", "集体上访", "集体来访", "围堵", "拉横幅", "静坐"]),
                count_words: words(&["讨薪", "欠薪", "工资", "维权", "上访", "来访", "业主", "堵路"]),
                min_people: 10,
            },
            emergency_overdue: true,
            unsigned: true,
        }
    }
}

/// Most words in either list, and the longest word.
pub const WORDS_MAX: usize = 100;
pub const WORD_MAX_CHARS: usize = 20;

impl Settings {
    /// The settings as typed, checked: the first field out of range is named.
    pub fn check(mut self) -> Result<Settings, RiskError> {
        let within = |v: u32, lo: u32, hi: u32, s: Setting| if (lo..=hi).contains(&v) { Ok(()) } else { Err(RiskError::BadSetting(s)) };
        within(self.cluster.min_cases, 2, 1000, Setting::ClusterCases)?;
        within(self.cluster.radius_m, 10, 10_000, Setting::ClusterRadius)?;
        within(self.cluster.window_hours, 1, 24 * 90, Setting::ClusterHours)?;
        within(self.repeat.min_cases, 2, 1000, Setting::RepeatCases)?;
        within(self.repeat.window_days, 1, 365, Setting::RepeatDays)?;
        within(self.mass.min_people, 2, 100_000, Setting::MassPeople)?;
        for list in [&mut self.mass.words, &mut self.mass.count_words] {
            let mut clean: Vec<String> = list.iter().map(|w| w.trim().to_string()).filter(|w| !w.is_empty()).collect();
            clean.sort();
            clean.dedup();
            if clean.len() > WORDS_MAX || clean.iter().any(|w| w.chars().count() > WORD_MAX_CHARS) {
                return Err(RiskError::BadSetting(Setting::MassWords));
            }
            *list = clean;
        }
        if self.mass.on && self.mass.words.is_empty() && self.mass.count_words.is_empty() {
            return Err(RiskError::BadSetting(Setting::MassWords));
        }
        Ok(self)
    }
}

/// Words typed one per line or separated by commas (either width) or spaces.
pub fn split_words(raw: &str) -> Vec<String> {
    raw.split(|c: char| c == ',' || c == '，' || c == '、' || c.is_whitespace()).map(str::trim).filter(|w| !w.is_empty()).map(String::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_pass_their_own_check() {
        assert_eq!(Settings::default().check().map(|_| ()), Ok(()));
    }

    #[test]
    fn a_cluster_of_one_or_a_window_of_a_year_is_refused() {
        let mut s = Settings::default();
        s.cluster.min_cases = 1;
        assert_eq!(s.check(), Err(RiskError::BadSetting(Setting::ClusterCases)));
        let mut s = Settings::default();
        s.cluster.window_hours = 24 * 365;
        assert_eq!(s.check(), Err(RiskError::BadSetting(Setting::ClusterHours)));
    }

    #[test]
    fn words_are_trimmed_and_deduplicated_and_an_empty_list_is_refused_while_on() {
        let mut s = Settings::default();
        s.mass.words = vec![" 聚集 ".into(), "聚集".into(), "".into()];
        assert_eq!(s.check().unwrap().mass.words, vec!["聚集".to_string()]);
        let mut s = Settings::default();
        s.mass.words.clear();
        s.mass.count_words.clear();
        assert_eq!(s.check(), Err(RiskError::BadSetting(Setting::MassWords)));
    }

    #[test]
    fn words_split_on_either_comma_and_on_lines() {
        assert_eq!(split_words("聚集，堵路, 静坐\n围堵、拉横幅"), vec!["聚集", "堵路", "静坐", "围堵", "拉横幅"]);
    }
}
