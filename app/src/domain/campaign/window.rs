//! A campaign and its window. The portal opens and closes the call by the clock alone;
//! the window is given as local dates and stored as instants.
use super::{CampaignError, Field};
use crate::domain::clock::{DAY_MS, parse_day_start};
use serde::{Deserialize, Serialize};

/// The years a call can be for: a typing slip outside them is refused.
pub const MIN_YEAR: i32 = 2000;
pub const MAX_YEAR: i32 = 2100;

/// A year as typed in the campaign form.
pub fn parse_year(raw: &str) -> Result<i32, CampaignError> {
    raw.trim().parse().ok().filter(|y| (MIN_YEAR..=MAX_YEAR).contains(y)).ok_or(CampaignError::BadYear)
}

/// The categories as typed: one per line, or separated by 、 , ，.
pub fn split_categories(raw: &str) -> Vec<String> {
    raw.split(['\n', '、', ',', '，']).map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect()
}

/// The thirteen areas of the published 2022 call (center-account.md), the default list.
pub const DEFAULT_CATEGORIES: &[&str] =
    &["共同富裕", "就业创业", "教育", "卫生健康", "社会保障", "生态环境", "交通出行", "文化体育", "养老助残", "公共安全", "城市管理", "城乡建设", "数字化改革"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Campaign {
    pub id: i64,
    pub year: i32,
    pub title: String,
    pub rules: String,
    /// First instant of the opening day, local time.
    pub opens_ms: i64,
    /// First instant after the closing day: the closing day itself is included.
    pub closes_ms: i64,
    pub categories: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CampaignPhase {
    Upcoming,
    Open,
    Closed,
}

impl Campaign {
    /// Checks a campaign as an admin types it: dates `YYYY-MM-DD`, closing day included.
    pub fn checked(id: i64, year: i32, title: &str, rules: &str, opens: &str, closes: &str, categories: Vec<String>) -> Result<Campaign, CampaignError> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(CampaignError::BadYear);
        }
        let title = title.trim();
        if title.is_empty() {
            return Err(CampaignError::Required(Field::Title));
        }
        let opens_ms = parse_day_start(opens).ok_or(CampaignError::BadWindow)?;
        let closes_ms = parse_day_start(closes).ok_or(CampaignError::BadWindow)? + DAY_MS;
        if closes_ms <= opens_ms {
            return Err(CampaignError::BadWindow);
        }
        let categories: Vec<String> = categories.into_iter().map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect();
        if categories.is_empty() {
            return Err(CampaignError::NoCategories);
        }
        Ok(Campaign { id, year, title: title.into(), rules: rules.trim().into(), opens_ms, closes_ms, categories })
    }

    pub fn phase(&self, now_ms: i64) -> CampaignPhase {
        if now_ms < self.opens_ms {
            CampaignPhase::Upcoming
        } else if now_ms < self.closes_ms {
            CampaignPhase::Open
        } else {
            CampaignPhase::Closed
        }
    }

    /// May a suggestion be accepted now?
    pub fn accepts(&self, now_ms: i64) -> Result<(), CampaignError> {
        match self.phase(now_ms) {
            CampaignPhase::Upcoming => Err(CampaignError::NotOpenYet),
            CampaignPhase::Open => Ok(()),
            CampaignPhase::Closed => Err(CampaignError::Closed),
        }
    }

    pub fn check_category(&self, category: &str) -> Result<(), CampaignError> {
        if self.categories.iter().any(|c| c == category) { Ok(()) } else { Err(CampaignError::UnknownCategory(category.into())) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call_2022() -> Campaign {
        let cats = DEFAULT_CATEGORIES.iter().map(|c| c.to_string()).collect();
        Campaign::checked(1, 2022, "2022年度区政府民生实事项目征集", "一事一提", "2021-11-08", "2021-11-28", cats).unwrap()
    }

    #[test]
    fn a_bad_year_is_named_as_such_not_as_a_missing_title() {
        assert_eq!(parse_year(" 2023 "), Ok(2023));
        for bad in ["", "二〇二三", "23.5", "1999", "2101"] {
            assert_eq!(parse_year(bad), Err(CampaignError::BadYear), "{bad:?}");
        }
        let cats = vec!["教育".to_string()];
        assert_eq!(Campaign::checked(0, 1999, "征集", "", "2021-11-08", "2021-11-28", cats), Err(CampaignError::BadYear));
    }

    #[test]
    fn categories_are_split_on_lines_and_chinese_or_latin_commas() {
        assert_eq!(split_categories("教育、医疗\n 交通 ,养老，\n"), ["教育", "医疗", "交通", "养老"]);
    }

    #[test]
    fn the_published_call_runs_from_the_8th_to_the_end_of_the_28th_in_china_time() {
        let c = call_2022();
        // 2021-11-07 23:59:59 in Quzhou is 15:59:59 UTC.
        let opens = 1_636_300_800_000; // 2021-11-08 00:00 +08:00
        assert_eq!(c.opens_ms, opens);
        assert_eq!(c.phase(opens - 1), CampaignPhase::Upcoming);
        assert_eq!(c.phase(opens), CampaignPhase::Open);
        assert_eq!(c.phase(c.closes_ms - 1), CampaignPhase::Open, "the 28th is included");
        assert_eq!(c.phase(c.closes_ms), CampaignPhase::Closed);
        assert_eq!(c.accepts(c.closes_ms), Err(CampaignError::Closed));
        assert_eq!(c.categories.len(), 13);
    }

    #[test]
    fn a_window_must_be_real_and_in_order() {
        let cats = vec!["教育".to_string()];
        assert_eq!(Campaign::checked(1, 2022, "t", "", "2021-11-28", "2021-11-08", cats.clone()), Err(CampaignError::BadWindow));
        assert_eq!(Campaign::checked(1, 2022, "t", "", "2021-02-30", "2021-11-08", cats.clone()), Err(CampaignError::BadWindow));
        assert!(Campaign::checked(1, 2022, "t", "", "2021-11-08", "2021-11-08", cats.clone()).is_ok(), "a one-day call");
        assert_eq!(Campaign::checked(1, 2022, "t", "", "2021-11-08", "2021-11-09", vec![" ".into()]), Err(CampaignError::NoCategories));
        assert_eq!(Campaign::checked(1, 2022, " ", "", "2021-11-08", "2021-11-09", cats), Err(CampaignError::Required(Field::Title)));
    }

    #[test]
    fn only_the_calls_own_categories_are_accepted() {
        let c = call_2022();
        assert!(c.check_category("养老助残").is_ok());
        assert_eq!(c.check_category("外交"), Err(CampaignError::UnknownCategory("外交".into())));
    }
}
