//! 值班 (DESIGN.md `DutyShift`): the 24-hour duty roster of the center and of each township.
//! The safety committee asks for leaders on duty in person (到岗带班) and key posts manned
//! round the clock, so a shift is checked in on the phone with its time and place, a shift
//! not checked in `CHECK_IN_GRACE_MS` after its start is flagged (and pushed to the center),
//! a handover note closes it, and a swap only takes effect when a planner approves it.
use super::clock::{DAY_MS, days_from_civil, local_day, parse_day_start};
use super::org::UnitKind;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A shift with no check-in this long after its start is flagged as missed (未到岗).
pub const CHECK_IN_GRACE_MS: i64 = 15 * 60_000;
/// How early before its start a shift may be checked in.
pub const CHECK_IN_EARLY_MS: i64 = 60 * 60_000;
pub const SHIFT_MIN_MS: i64 = 60 * 60_000;
pub const SHIFT_MAX_MS: i64 = DAY_MS;
/// The handover note is written from this long before the shift's end.
pub const HANDOVER_BEFORE_END_MS: i64 = 3_600_000;
/// A handover note is still taken this long after the shift ended (the next morning's
/// write-up of a night shift).
pub const HANDOVER_AFTER_MS: i64 = 12 * 3_600_000;
pub const NOTE_MAX: usize = 2000;
pub const REASON_MAX: usize = 200;
/// The roster is planned a month at a time; one file or one month view holds at most this.
pub const MONTH_MAX_SHIFTS: usize = 2000;

coded_enum!(DutyError =>
    /// The post a shift fills.
    Post {
        /// 带班领导: the leader on duty, who answers for the shift.
        Leader => "leader",
        /// 值班员: the duty officer who takes the calls and writes the log.
        Officer => "officer",
    }
);

coded_enum!(DutyError =>
    SwapStatus { Pending => "pending", Approved => "approved", Refused => "refused" }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum DutyError {
    #[error("unknown code: {0}")]
    UnknownCode(String),
    /// The end is not after the start, or the shift is shorter than an hour or longer than a day.
    #[error("bad shift times")]
    BadTimes,
    /// The person already holds a shift that overlaps this one.
    #[error("overlapping shift")]
    Overlap,
    /// Only the center and the townships keep a duty roster.
    #[error("this unit keeps no roster")]
    NoRoster,
    /// The person is not active staff of the shift's unit.
    #[error("not staff of the unit")]
    NotInUnit,
    #[error("not your shift")]
    NotYours,
    #[error("too early to check in")]
    TooEarly,
    #[error("the shift has ended")]
    Ended,
    #[error("already checked in")]
    AlreadyCheckedIn,
    #[error("not checked in")]
    NotCheckedIn,
    #[error("handover note already written")]
    AlreadyHandedOver,
    #[error("text missing")]
    TextRequired,
    #[error("longer than {0} characters")]
    TooLong(usize),
    /// A shift that has begun is neither swapped nor removed: it is the record of who was on duty.
    #[error("the shift has begun")]
    Started,
    #[error("the swap was already decided")]
    Decided,
    #[error("a swap with oneself")]
    SamePerson,
    #[error("a swap is already waiting")]
    SwapWaiting,
    #[error("bad place")]
    BadPlace,
    #[error("bad month")]
    BadMonth,
}

/// Where a check-in was made (the phone's GPS).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub lat: f64,
    pub lng: f64,
}

impl Point {
    pub fn new(lat: f64, lng: f64) -> Result<Point, DutyError> {
        if !(lat.is_finite() && lng.is_finite() && (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lng)) {
            return Err(DutyError::BadPlace);
        }
        Ok(Point { lat, lng })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shift {
    pub id: i64,
    pub unit_id: i64,
    pub post: Post,
    pub user_id: i64,
    pub starts_ms: i64,
    pub ends_ms: i64,
    pub checked_in_ms: Option<i64>,
    pub check_in_at: Option<Point>,
    pub handover: Option<String>,
    pub handed_over_ms: Option<i64>,
    /// When the missing check-in was flagged; kept after a late check-in, as the record.
    pub missed_ms: Option<i64>,
}

/// Where a shift stands at an instant, as the calendar and the phone show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShiftState {
    /// Not yet open for check-in.
    Planned,
    /// Open for check-in, not yet flagged.
    Due,
    /// Not checked in `CHECK_IN_GRACE_MS` after the start (未到岗).
    Missed,
    OnDuty,
    /// Ended after a check-in, the handover note not yet written.
    NoteDue,
    HandedOver,
    /// Ended without anyone checking in.
    Absent,
}

impl Shift {
    /// A new shift as a planner sets it.
    pub fn plan(unit_id: i64, unit_kind: UnitKind, post: Post, user_id: i64, starts_ms: i64, ends_ms: i64) -> Result<Shift, DutyError> {
        if !keeps_roster(unit_kind) {
            return Err(DutyError::NoRoster);
        }
        let len = ends_ms - starts_ms;
        if !(SHIFT_MIN_MS..=SHIFT_MAX_MS).contains(&len) {
            return Err(DutyError::BadTimes);
        }
        Ok(Shift {
            id: 0,
            unit_id,
            post,
            user_id,
            starts_ms,
            ends_ms,
            checked_in_ms: None,
            check_in_at: None,
            handover: None,
            handed_over_ms: None,
            missed_ms: None,
        })
    }

    /// The instant a shift with no check-in is flagged.
    pub fn check_in_due_ms(&self) -> i64 {
        self.starts_ms + CHECK_IN_GRACE_MS
    }

    pub fn overlaps(&self, starts_ms: i64, ends_ms: i64) -> bool {
        self.starts_ms < ends_ms && starts_ms < self.ends_ms
    }

    pub fn has_begun(&self, now: i64) -> bool {
        now >= self.starts_ms
    }

    /// A begun shift is the record of who was on duty: only one not yet begun is removed.
    pub fn check_removable(&self, now: i64) -> Result<(), DutyError> {
        if self.has_begun(now) { Err(DutyError::Started) } else { Ok(()) }
    }

    /// Whether `now` is inside the check-in window (from an hour before the start to the end).
    pub fn check_in_open(&self, now: i64) -> bool {
        self.starts_ms - CHECK_IN_EARLY_MS <= now && now < self.ends_ms
    }

    /// Whether `now` is inside the handover window (the last hour to 12 hours after the end).
    pub fn handover_open(&self, now: i64) -> bool {
        self.ends_ms - HANDOVER_BEFORE_END_MS <= now && now <= self.ends_ms + HANDOVER_AFTER_MS
    }

    /// The holder reports for duty; returns whether it came after the grace period.
    pub fn check_in(&mut self, user_id: i64, at: Option<Point>, now: i64) -> Result<bool, DutyError> {
        if user_id != self.user_id {
            return Err(DutyError::NotYours);
        }
        if self.checked_in_ms.is_some() {
            return Err(DutyError::AlreadyCheckedIn);
        }
        if !self.check_in_open(now) {
            return Err(if now < self.starts_ms { DutyError::TooEarly } else { DutyError::Ended });
        }
        self.checked_in_ms = Some(now);
        self.check_in_at = at;
        Ok(now >= self.check_in_due_ms())
    }

    /// The holder's handover note (交接班记录) at or after the end of a checked-in shift.
    pub fn hand_over(&mut self, user_id: i64, note: &str, now: i64) -> Result<(), DutyError> {
        if user_id != self.user_id {
            return Err(DutyError::NotYours);
        }
        if self.checked_in_ms.is_none() {
            return Err(DutyError::NotCheckedIn);
        }
        if self.handover.is_some() {
            return Err(DutyError::AlreadyHandedOver);
        }
        if !self.handover_open(now) {
            return Err(if now < self.ends_ms { DutyError::TooEarly } else { DutyError::Ended });
        }
        self.handover = Some(clean_text(note, NOTE_MAX)?);
        self.handed_over_ms = Some(now);
        Ok(())
    }

    /// Flags a missing check-in at `now` if it is due and not yet flagged: true when it did.
    pub fn flag_missed(&mut self, now: i64) -> bool {
        if self.checked_in_ms.is_some() || self.missed_ms.is_some() || now < self.check_in_due_ms() {
            return false;
        }
        self.missed_ms = Some(now);
        true
    }

    pub fn state(&self, now: i64) -> ShiftState {
        match (self.checked_in_ms, &self.handover) {
            (Some(_), Some(_)) => ShiftState::HandedOver,
            (Some(_), None) if now >= self.ends_ms => ShiftState::NoteDue,
            (Some(_), None) => ShiftState::OnDuty,
            (None, _) if now >= self.ends_ms => ShiftState::Absent,
            (None, _) if now >= self.check_in_due_ms() => ShiftState::Missed,
            (None, _) if now >= self.starts_ms - CHECK_IN_EARLY_MS => ShiftState::Due,
            (None, _) => ShiftState::Planned,
        }
    }

    /// On duty at `now` by the roster (whether or not checked in yet).
    pub fn covers(&self, now: i64) -> bool {
        self.starts_ms <= now && now < self.ends_ms
    }
}

/// Only the center and the township governments keep a 24-hour roster.
pub fn keeps_roster(kind: UnitKind) -> bool {
    matches!(kind, UnitKind::Center | UnitKind::TownshipGovernment)
}

/// A request to hand one's shift to a colleague of the same unit (调班).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Swap {
    pub id: i64,
    pub shift_id: i64,
    pub from_user: i64,
    pub to_user: i64,
    pub reason: String,
    pub status: SwapStatus,
    pub requested_ms: i64,
    pub decided_ms: Option<i64>,
}

impl Swap {
    /// The holder asks to give `shift` to `to_user`, before it begins.
    pub fn request(shift: &Shift, by_user: i64, to_user: i64, reason: &str, now: i64) -> Result<Swap, DutyError> {
        if by_user != shift.user_id {
            return Err(DutyError::NotYours);
        }
        if to_user == by_user {
            return Err(DutyError::SamePerson);
        }
        if shift.has_begun(now) {
            return Err(DutyError::Started);
        }
        Ok(Swap {
            id: 0,
            shift_id: shift.id,
            from_user: by_user,
            to_user,
            reason: clean_text(reason, REASON_MAX)?,
            status: SwapStatus::Pending,
            requested_ms: now,
            decided_ms: None,
        })
    }

    /// A planner's decision. Approving hands the shift over, if it has not begun and has not
    /// changed hands meanwhile; the service checks the new holder's other shifts.
    pub fn decide(&mut self, shift: &mut Shift, approve: bool, now: i64) -> Result<(), DutyError> {
        if self.status != SwapStatus::Pending {
            return Err(DutyError::Decided);
        }
        if approve {
            if shift.has_begun(now) {
                return Err(DutyError::Started);
            }
            if shift.user_id != self.from_user {
                return Err(DutyError::Decided);
            }
            shift.user_id = self.to_user;
        }
        self.status = if approve { SwapStatus::Approved } else { SwapStatus::Refused };
        self.decided_ms = Some(now);
        Ok(())
    }
}

fn clean_text(raw: &str, max: usize) -> Result<String, DutyError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(DutyError::TextRequired);
    }
    if t.chars().count() > max {
        return Err(DutyError::TooLong(max));
    }
    Ok(t.to_string())
}

/// A shift as the calendar, the phone and the screen list it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RosterEntry {
    pub shift: Shift,
    pub unit: String,
    pub person: String,
    pub phone: Option<String>,
    /// A swap waiting for approval, and the colleague it would go to.
    pub swap: Option<(i64, String)>,
}

/// A shift on duty now as the wall shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyLine {
    pub unit: String,
    /// The center's own shift (shown by name; the townships are summed up).
    pub center: bool,
    pub post: Post,
    pub person: String,
    pub checked_in: bool,
    /// Flagged for a missing check-in (and not checked in since).
    pub missed: bool,
}

/// A unit that keeps a roster, with the staff who may hold its shifts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterUnit {
    pub id: i64,
    pub name: String,
    pub staff: Vec<(i64, String)>,
}

/// A swap request as the planner decides it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SwapEntry {
    pub swap: Swap,
    pub shift: Shift,
    pub unit: String,
    pub from: String,
    pub to: String,
}

/// A month of the roster as the calendar shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthRoster {
    pub month: Month,
    pub now_ms: i64,
    pub entries: Vec<RosterEntry>,
    pub units: Vec<RosterUnit>,
    pub swaps: Vec<SwapEntry>,
    pub may_plan: bool,
}

/// What the phone's duty page shows its holder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyDuty {
    pub now_ms: i64,
    /// From yesterday on: a night shift's handover is still open the next morning.
    pub shifts: Vec<RosterEntry>,
    /// Colleagues of the same unit a shift may be handed to.
    pub colleagues: Vec<(i64, String)>,
}

/// The result of a roster import: how many shifts went in, and the refused rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterImport {
    pub added: usize,
    pub refused: Vec<LineError>,
}

/// A month of the calendar, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Month {
    pub year: i64,
    pub month: i64,
}

impl Month {
    pub fn parse(raw: &str) -> Result<Month, DutyError> {
        let (y, m) = raw.trim().split_once('-').ok_or(DutyError::BadMonth)?;
        let (year, month) = (y.parse::<i64>().map_err(|_| DutyError::BadMonth)?, m.parse::<i64>().map_err(|_| DutyError::BadMonth)?);
        if !(2000..=2100).contains(&year) || !(1..=12).contains(&month) || y.len() != 4 || m.len() != 2 {
            return Err(DutyError::BadMonth);
        }
        Ok(Month { year, month })
    }

    pub fn of(ms: i64) -> Month {
        let (year, month, _) = super::clock::local_date(ms);
        Month { year, month }
    }

    pub fn code(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    pub fn next(self) -> Month {
        if self.month == 12 { Month { year: self.year + 1, month: 1 } } else { Month { year: self.year, month: self.month + 1 } }
    }

    pub fn previous(self) -> Month {
        if self.month == 1 { Month { year: self.year - 1, month: 12 } } else { Month { year: self.year, month: self.month - 1 } }
    }

    /// The local days (since 1970-01-01) of the month: first and one past the last.
    pub fn days(self) -> (i64, i64) {
        let n = self.next();
        (days_from_civil(self.year, self.month, 1), days_from_civil(n.year, n.month, 1))
    }

    /// The instants the month begins and ends in the center's time.
    pub fn span_ms(self) -> (i64, i64) {
        let (a, b) = self.days();
        let off = super::clock::CENTER_OFFSET_MS;
        (a * DAY_MS - off, b * DAY_MS - off)
    }

    /// The calendar's weeks, Monday first: each cell the local day, or None outside the month.
    pub fn weeks(self) -> Vec<[Option<i64>; 7]> {
        let (first, end) = self.days();
        // 1970-01-01 was a Thursday: Monday = 0.
        let lead = (first + 3).rem_euclid(7);
        let mut weeks = Vec::new();
        let mut day = first - lead;
        while day < end {
            let mut w = [None; 7];
            for (i, cell) in w.iter_mut().enumerate() {
                let d = day + i as i64;
                if d >= first && d < end {
                    *cell = Some(d);
                }
            }
            weeks.push(w);
            day += 7;
        }
        weeks
    }
}

/// The shifts of each local day a shift touches, for the calendar (a night shift shows on both).
pub fn by_day(shifts: &[Shift]) -> HashMap<i64, Vec<usize>> {
    let mut days: HashMap<i64, Vec<usize>> = HashMap::new();
    for (i, s) in shifts.iter().enumerate() {
        let (a, b) = (local_day(s.starts_ms), local_day(s.ends_ms - 1));
        for d in a..=b {
            days.entry(d).or_default().push(i);
        }
    }
    days
}

/// A roster row of an imported file, checked: which unit, post, person and times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterLine {
    /// The row as the spreadsheet numbers it.
    pub row: usize,
    pub unit_id: i64,
    pub post: Post,
    pub user_id: i64,
    pub starts_ms: i64,
    pub ends_ms: i64,
}

/// Why an imported row was refused; the row as the spreadsheet numbers it (header = 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineError {
    pub row: usize,
    pub problem: LineProblem,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineProblem {
    MissingColumn(String),
    BadDate(String),
    BadTime(String),
    UnknownUnit(String),
    UnknownPost(String),
    UnknownPerson(String),
    Shift(DutyError),
}

/// The import file's columns, as the export writes them.
pub const COLUMNS: [&str; 6] = ["日期", "开始", "结束", "单位", "岗位", "用户名"];

pub fn post_label(p: Post) -> &'static str {
    match p {
        Post::Leader => "带班领导",
        Post::Officer => "值班员",
    }
}

fn parse_post(raw: &str) -> Option<Post> {
    let t = raw.trim();
    Post::ALL.iter().copied().find(|p| post_label(*p) == t || p.code() == t)
}

/// `HH:MM` to minutes after midnight.
fn parse_hm(raw: &str) -> Option<i64> {
    let (h, m) = raw.trim().split_once(':')?;
    let (h, m) = (h.trim().parse::<i64>().ok()?, m.trim().get(..2)?.parse::<i64>().ok()?);
    ((0..24).contains(&h) && (0..60).contains(&m)).then_some(h * 60 + m)
}

/// Checks an imported roster (header row first, columns in any order): good lines and the
/// refused rows. An end at or before the start is the next day (a night shift 20:00–08:00).
/// `unit` gives a unit's id and kind by name; `person` a username's id and unit.
pub fn check_import(
    table: &[Vec<String>],
    unit: impl Fn(&str) -> Option<(i64, UnitKind)>,
    person: impl Fn(&str) -> Option<(i64, Option<i64>)>,
) -> (Vec<RosterLine>, Vec<LineError>) {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    let Some(header) = table.first() else {
        bad.push(LineError { row: 1, problem: LineProblem::MissingColumn(COLUMNS[0].into()) });
        return (good, bad);
    };
    let mut at = [0usize; 6];
    for (i, name) in COLUMNS.iter().enumerate() {
        match header.iter().position(|h| h.trim() == *name) {
            Some(p) => at[i] = p,
            None => {
                bad.push(LineError { row: 1, problem: LineProblem::MissingColumn((*name).into()) });
                return (good, bad);
            }
        }
    }
    for (n, row) in table.iter().enumerate().skip(1) {
        let cell = |i: usize| row.get(at[i]).map(|s| s.trim()).unwrap_or("");
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let row_no = n + 1;
        let line = (|| {
            let day = parse_day_start(cell(0)).ok_or_else(|| LineProblem::BadDate(cell(0).into()))?;
            let from = parse_hm(cell(1)).ok_or_else(|| LineProblem::BadTime(cell(1).into()))?;
            let to = parse_hm(cell(2)).ok_or_else(|| LineProblem::BadTime(cell(2).into()))?;
            let (unit_id, kind) = unit(cell(3)).ok_or_else(|| LineProblem::UnknownUnit(cell(3).into()))?;
            let post = parse_post(cell(4)).ok_or_else(|| LineProblem::UnknownPost(cell(4).into()))?;
            let (user_id, user_unit) = person(cell(5)).ok_or_else(|| LineProblem::UnknownPerson(cell(5).into()))?;
            if user_unit != Some(unit_id) {
                return Err(LineProblem::Shift(DutyError::NotInUnit));
            }
            let starts = day + from * 60_000;
            let ends = day + to * 60_000 + if to <= from { DAY_MS } else { 0 };
            let s = Shift::plan(unit_id, kind, post, user_id, starts, ends).map_err(LineProblem::Shift)?;
            Ok(RosterLine { row: row_no, unit_id, post, user_id, starts_ms: s.starts_ms, ends_ms: s.ends_ms })
        })();
        match line {
            Ok(l) if good.iter().any(|g: &RosterLine| g.user_id == l.user_id && g.starts_ms < l.ends_ms && l.starts_ms < g.ends_ms) => {
                bad.push(LineError { row: row_no, problem: LineProblem::Shift(DutyError::Overlap) })
            }
            Ok(l) => good.push(l),
            Err(problem) => bad.push(LineError { row: row_no, problem }),
        }
    }
    (good, bad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::parse_local_minute;

    fn at(s: &str) -> i64 {
        parse_local_minute(s).unwrap()
    }

    fn shift() -> Shift {
        let mut s = Shift::plan(3, UnitKind::TownshipGovernment, Post::Officer, 7, at("2026-12-05T08:00"), at("2026-12-06T08:00")).unwrap();
        s.id = 1;
        s
    }

    #[test]
    fn a_shift_is_an_hour_to_a_day_and_only_the_center_and_townships_keep_one() {
        let (a, b) = (at("2026-12-05T08:00"), at("2026-12-06T08:00"));
        assert!(Shift::plan(1, UnitKind::Center, Post::Leader, 1, a, b).is_ok());
        assert_eq!(Shift::plan(1, UnitKind::Center, Post::Leader, 1, a, b + 1).unwrap_err(), DutyError::BadTimes);
        assert_eq!(Shift::plan(1, UnitKind::Center, Post::Leader, 1, a, a + SHIFT_MIN_MS - 1).unwrap_err(), DutyError::BadTimes);
        assert_eq!(Shift::plan(1, UnitKind::Center, Post::Leader, 1, b, a).unwrap_err(), DutyError::BadTimes);
        assert_eq!(Shift::plan(1, UnitKind::VillageCommittee, Post::Officer, 1, a, b).unwrap_err(), DutyError::NoRoster);
        assert_eq!(Shift::plan(1, UnitKind::ResidentDepartment, Post::Officer, 1, a, b).unwrap_err(), DutyError::NoRoster);
    }

    #[test]
    fn a_shift_without_check_in_is_flagged_at_fifteen_minutes_exactly_and_once() {
        let mut s = shift();
        let due = at("2026-12-05T08:15");
        assert_eq!(s.check_in_due_ms(), due);
        assert_eq!(s.state(due - 1), ShiftState::Due);
        assert!(!s.flag_missed(due - 1));
        assert_eq!(s.state(due), ShiftState::Missed);
        assert!(s.flag_missed(due));
        assert!(!s.flag_missed(due + 60_000), "flagged once");
        assert_eq!(s.missed_ms, Some(due));
        // A late check-in still counts, and the flag stays on record.
        assert_eq!(s.check_in(7, None, due + 5 * 60_000), Ok(true));
        assert_eq!(s.state(due + 6 * 60_000), ShiftState::OnDuty);
        assert_eq!(s.missed_ms, Some(due));
        let mut checked = shift();
        checked.check_in(7, Some(Point::new(30.1, 120.2).unwrap()), due - 1).unwrap();
        assert!(!checked.flag_missed(due + 1), "a checked-in shift is never flagged");
    }

    #[test]
    fn check_in_is_the_holders_from_an_hour_before_until_the_end() {
        let mut s = shift();
        assert_eq!(s.state(at("2026-12-05T06:59")), ShiftState::Planned);
        assert_eq!(s.check_in(8, None, at("2026-12-05T07:30")), Err(DutyError::NotYours));
        assert_eq!(s.check_in(7, None, at("2026-12-05T06:59")), Err(DutyError::TooEarly));
        assert_eq!(s.check_in(7, None, at("2026-12-06T08:00")), Err(DutyError::Ended));
        assert_eq!(s.check_in(7, None, at("2026-12-05T07:00")), Ok(false));
        assert_eq!(s.check_in(7, None, at("2026-12-05T07:01")), Err(DutyError::AlreadyCheckedIn));
        assert_eq!(Point::new(91.0, 0.0), Err(DutyError::BadPlace));
        assert_eq!(Point::new(f64::NAN, 0.0), Err(DutyError::BadPlace));
        let mut never = shift();
        assert_eq!(never.state(at("2026-12-06T08:00")), ShiftState::Absent);
        assert!(never.flag_missed(at("2026-12-06T09:00")));
    }

    #[test]
    fn the_handover_note_closes_a_checked_in_shift_from_its_last_hour() {
        let mut s = shift();
        assert_eq!(s.hand_over(7, "平稳", at("2026-12-06T07:30")), Err(DutyError::NotCheckedIn));
        s.check_in(7, None, at("2026-12-05T07:55")).unwrap();
        assert_eq!(s.hand_over(7, "平稳", at("2026-12-06T06:59")), Err(DutyError::TooEarly));
        assert_eq!(s.hand_over(8, "平稳", at("2026-12-06T07:30")), Err(DutyError::NotYours));
        assert_eq!(s.hand_over(7, "  ", at("2026-12-06T07:30")), Err(DutyError::TextRequired));
        assert_eq!(s.hand_over(7, &"长".repeat(NOTE_MAX + 1), at("2026-12-06T07:30")), Err(DutyError::TooLong(NOTE_MAX)));
        assert_eq!(s.state(at("2026-12-06T08:00")), ShiftState::NoteDue);
        assert_eq!(s.hand_over(7, "夜间接报3起，均已派单。", at("2026-12-06T08:10")), Ok(()));
        assert_eq!(s.state(at("2026-12-06T08:11")), ShiftState::HandedOver);
        assert_eq!(s.hand_over(7, "again", at("2026-12-06T08:12")), Err(DutyError::AlreadyHandedOver));
        let mut late = shift();
        late.check_in(7, None, at("2026-12-05T08:00")).unwrap();
        assert_eq!(late.hand_over(7, "补记", at("2026-12-06T20:01")), Err(DutyError::Ended));
    }

    #[test]
    fn a_swap_is_the_holders_request_and_takes_effect_on_approval_before_the_start() {
        let mut s = shift();
        let before = at("2026-12-04T10:00");
        assert_eq!(Swap::request(&s, 8, 9, "家中有事", before), Err(DutyError::NotYours));
        assert_eq!(Swap::request(&s, 7, 7, "家中有事", before), Err(DutyError::SamePerson));
        assert_eq!(Swap::request(&s, 7, 9, " ", before), Err(DutyError::TextRequired));
        assert_eq!(Swap::request(&s, 7, 9, "家中有事", s.starts_ms), Err(DutyError::Started));
        let mut w = Swap::request(&s, 7, 9, "家中有事", before).unwrap();
        let mut late = w.clone();
        assert_eq!(late.decide(&mut s.clone(), true, s.starts_ms), Err(DutyError::Started));
        w.decide(&mut s, true, before + 1).unwrap();
        assert_eq!((s.user_id, w.status), (9, SwapStatus::Approved));
        assert_eq!(w.decide(&mut s, false, before + 2), Err(DutyError::Decided));
        let mut other = shift();
        let mut no = Swap::request(&other, 7, 9, "家中有事", before).unwrap();
        no.decide(&mut other, false, before + 1).unwrap();
        assert_eq!((other.user_id, no.status), (7, SwapStatus::Refused));
        // A request overtaken by another approved swap is not applied.
        let mut moved = shift();
        let mut stale = Swap::request(&moved, 7, 9, "x", before).unwrap();
        moved.user_id = 10;
        assert_eq!(stale.decide(&mut moved, true, before + 1), Err(DutyError::Decided));
    }

    #[test]
    fn the_calendar_has_monday_first_weeks_and_a_night_shift_shows_on_both_days() {
        let m = Month::parse("2026-12").unwrap();
        let weeks = m.weeks();
        // 2026-12-01 is a Tuesday.
        assert_eq!(weeks[0][0], None);
        assert_eq!(weeks[0][1], Some(days_from_civil(2026, 12, 1)));
        assert_eq!(weeks.len(), 5);
        assert_eq!(weeks.iter().flatten().flatten().count(), 31);
        assert_eq!(m.next().code(), "2027-01");
        assert_eq!(Month::parse("2027-01").unwrap().previous().code(), "2026-12");
        for bad in ["2026-13", "2026-1", "26-01", "x", "2026-00"] {
            assert_eq!(Month::parse(bad), Err(DutyError::BadMonth), "{bad}");
        }
        assert_eq!(m.span_ms(), (at("2026-12-01T00:00"), at("2027-01-01T00:00")));
        let s = shift();
        let days = by_day(std::slice::from_ref(&s));
        assert_eq!(days.len(), 2);
        let day_only = Shift { ends_ms: at("2026-12-05T20:00"), ..shift() };
        assert_eq!(by_day(&[day_only]).len(), 1);
    }

    #[test]
    fn an_imported_roster_takes_good_rows_and_names_each_bad_one() {
        let t = |rows: &[&[&str]]| rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect::<Vec<Vec<String>>>();
        let table = t(&[
            &["用户名", "日期", "开始", "结束", "单位", "岗位"],
            &["town01", "2026-12-05", "08:00", "08:00", "莲花镇人民政府", "带班领导"],
            &["town01", "2026-12-05", "20:00", "23:00", "莲花镇人民政府", "值班员"],
            &["op.li", "2026-12-05", "08:00", "20:00", "区社会治理中心", "值班员"],
            &["op.li", "2026-12-32", "08:00", "20:00", "区社会治理中心", "值班员"],
            &["op.li", "2026-12-06", "8点", "20:00", "区社会治理中心", "值班员"],
            &["op.li", "2026-12-06", "08:00", "20:00", "某局", "值班员"],
            &["op.li", "2026-12-06", "08:00", "20:00", "区社会治理中心", "保安"],
            &["nobody", "2026-12-06", "08:00", "20:00", "区社会治理中心", "值班员"],
            &["town01", "2026-12-07", "08:00", "20:00", "区社会治理中心", "值班员"],
            &["", "", "", "", "", ""],
            &["op.li", "2026-12-06", "20:00", "08:00", "区社会治理中心", "officer"],
        ]);
        let unit = |n: &str| match n {
            "莲花镇人民政府" => Some((3, UnitKind::TownshipGovernment)),
            "区社会治理中心" => Some((1, UnitKind::Center)),
            _ => None,
        };
        let person = |u: &str| match u {
            "town01" => Some((70, Some(3))),
            "op.li" => Some((2, Some(1))),
            _ => None,
        };
        let (good, bad) = check_import(&table, unit, person);
        assert_eq!(good.len(), 3);
        assert_eq!(good[0].ends_ms - good[0].starts_ms, DAY_MS, "an end at the start time is the next day");
        assert_eq!(good[2].ends_ms, at("2026-12-07T08:00"));
        let rows: Vec<(usize, LineProblem)> = bad.into_iter().map(|e| (e.row, e.problem)).collect();
        assert_eq!(
            rows,
            vec![
                (3, LineProblem::Shift(DutyError::Overlap)),
                (5, LineProblem::BadDate("2026-12-32".into())),
                (6, LineProblem::BadTime("8点".into())),
                (7, LineProblem::UnknownUnit("某局".into())),
                (8, LineProblem::UnknownPost("保安".into())),
                (9, LineProblem::UnknownPerson("nobody".into())),
                (10, LineProblem::Shift(DutyError::NotInUnit)),
            ]
        );
        let (_, missing) = check_import(&t(&[&["日期", "开始"]]), unit, person);
        assert_eq!(missing[0].problem, LineProblem::MissingColumn("结束".into()));
    }
}
