//! Bulletins (通报): the supervision office's weekly or monthly account of the units, made
//! from the records. Units are ranked by the cases they let run past their deadline and the
//! cases they sent back, and every listed case (挂牌督办) of the period is shown with where
//! it stands. A bulletin is a draft until a supervisor publishes it with a comment; from
//! then on its figures are what every unit was told and never change.
use super::case::{CaseId, CaseStatus, UnitId};
use super::period::{Period, PeriodKind};
use super::report::ReportError;
use serde::{Deserialize, Serialize};

/// A comment longer than this is a report of its own.
pub const COMMENT_MAX: usize = 2000;

/// The kinds of period a bulletin covers.
pub const KINDS: [PeriodKind; 2] = [PeriodKind::Week, PeriodKind::Month];

/// One unit's line, as the records give it for the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitLine {
    pub unit_id: UnitId,
    pub unit: String,
    /// Cases it leads whose deadline fell in the period and found them unresolved.
    pub overdue: i64,
    /// Cases it sent back to the center in the period (退回).
    pub returned: i64,
    /// Its cases on the supervision list at some time in the period.
    pub listed: i64,
}

impl UnitLine {
    fn is_blank(&self) -> bool {
        self.overdue == 0 && self.returned == 0 && self.listed == 0
    }
}

/// Where a listed case stood when the bulletin was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListedState {
    /// 已销号: the supervisor checked the result and took it off the list.
    TickedOff,
    /// The unit gave its result; the supervisor has yet to check it.
    AwaitingCheck,
    /// Past the deadline the listing set, still without a result.
    Late,
    /// Being handled within the listing's deadline.
    Open,
}

impl ListedState {
    pub const ALL: [ListedState; 4] = [ListedState::Late, ListedState::Open, ListedState::AwaitingCheck, ListedState::TickedOff];

    pub fn code(self) -> &'static str {
        match self {
            ListedState::TickedOff => "ticked_off",
            ListedState::AwaitingCheck => "awaiting_check",
            ListedState::Late => "late",
            ListedState::Open => "open",
        }
    }

    /// `at` is the moment the bulletin describes: the period's end, or now while it runs.
    pub fn of(ticked_off_ms: Option<i64>, status: CaseStatus, deadline_ms: i64, at: i64) -> ListedState {
        let has_result = matches!(status, CaseStatus::Resolved | CaseStatus::Verified | CaseStatus::FollowUp | CaseStatus::Closed);
        match ticked_off_ms {
            Some(t) if t < at => ListedState::TickedOff,
            _ if has_result => ListedState::AwaitingCheck,
            _ if deadline_ms < at => ListedState::Late,
            _ => ListedState::Open,
        }
    }
}

/// A case that was on the supervision list in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedLine {
    pub case_id: CaseId,
    pub code: String,
    pub title: String,
    pub unit: Option<String>,
    pub leader: Option<String>,
    pub listed_ms: i64,
    pub deadline_ms: i64,
    pub ticked_off_ms: Option<i64>,
    pub status: CaseStatus,
    pub state: ListedState,
}

/// What a bulletin says, computed from the records at `computed_ms`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub computed_ms: i64,
    /// Cases received in the period, for scale.
    pub received: i64,
    pub overdue: i64,
    pub returned: i64,
    pub listed: i64,
    pub ticked_off: i64,
    /// Ranked, worst first; units with nothing to report are left out.
    pub units: Vec<UnitLine>,
    /// Late ones first, then by the listing's deadline.
    pub listed_cases: Vec<ListedLine>,
    /// Each reporting unit's record over the emergencies opened in the period (紧急信息报送),
    /// worst first. Bulletins made before emergency reports existed have none.
    #[serde(default)]
    pub emergencies: Vec<crate::domain::emergency::UnitTally>,
}

impl Figures {
    /// The totals come from the lines, so a table and its sums agree.
    pub fn assemble(computed_ms: i64, received: i64, units: Vec<UnitLine>, mut listed_cases: Vec<ListedLine>) -> Figures {
        let units = rank(units);
        listed_cases.sort_by_key(|l| (ListedState::ALL.iter().position(|s| *s == l.state), l.deadline_ms, l.case_id));
        Figures {
            computed_ms,
            received,
            overdue: units.iter().map(|u| u.overdue).sum(),
            returned: units.iter().map(|u| u.returned).sum(),
            listed: listed_cases.len() as i64,
            ticked_off: listed_cases.iter().filter(|l| l.state == ListedState::TickedOff).count() as i64,
            units,
            listed_cases,
            emergencies: Vec::new(),
        }
    }
}

/// Worst first: most overdue, then most returned, then most listed; a tie by name, so the
/// order never depends on how the database happened to return the rows.
pub fn rank(mut lines: Vec<UnitLine>) -> Vec<UnitLine> {
    lines.retain(|l| !l.is_blank());
    lines.sort_by(|a, b| (b.overdue, b.returned, b.listed).cmp(&(a.overdue, a.returned, a.listed)).then_with(|| a.unit.cmp(&b.unit)));
    lines
}

/// A bulletin as the pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bulletin {
    pub id: i64,
    pub period: Period,
    pub figures: Figures,
    pub comment: String,
    pub created_ms: i64,
    pub published_ms: Option<i64>,
    pub published_by: Option<String>,
}

/// A line of the bulletins' list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulletinSummary {
    pub id: i64,
    pub period: Period,
    pub published_ms: Option<i64>,
    pub overdue: i64,
    pub returned: i64,
    pub listed: i64,
}

/// What the bulletins' page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulletinsPage {
    pub rows: Vec<BulletinSummary>,
    /// The periods a new bulletin may be drafted for (none for a reader who may not draft).
    pub offered: Vec<Period>,
    pub may_draft: bool,
}

/// A bulletin with what its reader may do with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulletinView {
    pub bulletin: Bulletin,
    pub may_edit: bool,
}

/// The comment as it will be stored: trimmed, and not too long.
pub fn checked_comment(raw: &str) -> Result<String, ReportError> {
    let c = raw.trim();
    if c.chars().count() > COMMENT_MAX {
        return Err(ReportError::CommentTooLong(COMMENT_MAX));
    }
    Ok(c.to_string())
}

/// The period a bulletin may be made for: a week or a month that has begun.
pub fn checked_period(code: &str, now: i64) -> Result<Period, ReportError> {
    let p = Period::parse(code)?;
    if !KINDS.contains(&p.kind) {
        return Err(ReportError::BadPeriod(code.chars().take(40).collect()));
    }
    if p.start_ms > now {
        return Err(ReportError::NotStarted);
    }
    Ok(p)
}

/// A draft may be edited and its figures made again; a published bulletin may not.
pub fn check_draft(published_ms: Option<i64>) -> Result<(), ReportError> {
    match published_ms {
        Some(_) => Err(ReportError::Published),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::parse_local_minute;

    fn line(unit: &str, overdue: i64, returned: i64, listed: i64) -> UnitLine {
        UnitLine { unit_id: unit.len() as i64, unit: unit.into(), overdue, returned, listed }
    }

    fn listed(id: i64, state: ListedState, deadline_ms: i64) -> ListedLine {
        ListedLine {
            case_id: id,
            code: format!("C{id}"),
            title: "t".into(),
            unit: None,
            leader: None,
            listed_ms: 0,
            deadline_ms,
            ticked_off_ms: None,
            status: CaseStatus::InProgress,
            state,
        }
    }

    #[test]
    fn units_rank_by_overdue_then_returned_then_listed_and_blank_ones_drop() {
        let ranked = rank(vec![line("乙", 2, 0, 0), line("甲", 2, 1, 0), line("丙", 0, 0, 0), line("丁", 0, 3, 1), line("戊", 2, 1, 0)]);
        let names: Vec<&str> = ranked.iter().map(|l| l.unit.as_str()).collect();
        assert_eq!(names, ["戊", "甲", "乙", "丁"], "a tie goes by name; a unit with nothing to report is not named");
    }

    #[test]
    fn totals_are_the_sums_of_the_lines() {
        let f = Figures::assemble(
            9,
            120,
            vec![line("甲", 3, 1, 1), line("乙", 1, 2, 0), line("丙", 0, 0, 0)],
            vec![listed(1, ListedState::Open, 50), listed(2, ListedState::TickedOff, 10), listed(3, ListedState::Late, 90), listed(4, ListedState::Late, 20)],
        );
        assert_eq!((f.received, f.overdue, f.returned, f.listed, f.ticked_off), (120, 4, 3, 4, 1));
        assert_eq!(f.units.len(), 2);
        let order: Vec<i64> = f.listed_cases.iter().map(|l| l.case_id).collect();
        assert_eq!(order, [4, 3, 1, 2], "late first, each group by its deadline");
    }

    #[test]
    fn a_listed_case_stands_where_its_dates_put_it() {
        let at = parse_local_minute("2026-12-07T00:00").unwrap();
        let before = at - 3_600_000;
        use CaseStatus::*;
        assert_eq!(ListedState::of(Some(before), Closed, at + 1, at), ListedState::TickedOff);
        assert_eq!(ListedState::of(Some(at), Resolved, at + 1, at), ListedState::AwaitingCheck, "ticked off after the bulletin's moment");
        assert_eq!(ListedState::of(None, Resolved, before, at), ListedState::AwaitingCheck, "a result waits for the check, deadline or not");
        assert_eq!(ListedState::of(None, InProgress, before, at), ListedState::Late);
        assert_eq!(ListedState::of(None, Dispatched, at, at), ListedState::Open, "due exactly now is not late yet");
    }

    #[test]
    fn only_begun_weeks_and_months_get_a_bulletin() {
        let now = parse_local_minute("2026-12-05T10:00").unwrap();
        assert_eq!(checked_period("week-2026-11-30", now).map(|p| p.code()), Ok("week-2026-11-30".into()));
        assert_eq!(checked_period("month-2026-11", now).map(|p| p.code()), Ok("month-2026-11".into()));
        assert_eq!(checked_period("week-2026-12-07", now), Err(ReportError::NotStarted));
        assert!(matches!(checked_period("year-2026", now), Err(ReportError::BadPeriod(_))));
        assert!(matches!(checked_period("week-2026-12-01", now), Err(ReportError::BadPeriod(_))), "a Tuesday names no week");
    }

    #[test]
    fn a_comment_is_trimmed_and_bounded_and_a_published_bulletin_is_final() {
        assert_eq!(checked_comment("  本周超期件集中在城管领域。 \n"), Ok("本周超期件集中在城管领域。".into()));
        assert_eq!(checked_comment(&"字".repeat(COMMENT_MAX)).map(|c| c.chars().count()), Ok(COMMENT_MAX));
        assert_eq!(checked_comment(&"字".repeat(COMMENT_MAX + 1)), Err(ReportError::CommentTooLong(COMMENT_MAX)));
        assert_eq!(check_draft(None), Ok(()));
        assert_eq!(check_draft(Some(1)), Err(ReportError::Published));
    }
}
