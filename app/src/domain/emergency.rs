//! 紧急信息报送 (DESIGN.md `EmergencyReport`): the reports a township or department owes the
//! center on an emergency. The safety committee's rule is "no missed, hidden, late or false
//! reports" (杜绝漏报、瞒报、迟报、谎报), so every rule that tells one of those apart lives here:
//! - a quick report (快报) is due `quick` minutes after receipt, the written one (书面报告)
//!   `written` minutes after it; filed after its deadline it is late (迟报), counted once on
//!   its first version;
//! - a stage still unfiled at its deadline is flagged missed (漏报) by the scheduler, once;
//! - an emergency whose unit filed nothing by the quick deadline, and no report of the same
//!   event on another case either (`same_event`), is hidden (瞒报);
//! - a version whose figures contradict the earlier ones (deaths lowered, a figure corrected
//!   down then up again, the time of the event moved) carries `FactFlag`s for the duty leader
//!   (谎报 suspected).
use super::case::{CaseId, Channel, GeoPoint};
use super::clock::DAY_MS;
use super::org::UnitKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const QUICK_DEFAULT_MIN: u32 = 30;
pub const WRITTEN_DEFAULT_MIN: u32 = 60;
/// No deadline is longer than a day: an emergency's first reports are a matter of hours.
pub const DEADLINE_MAX_MIN: u32 = 24 * 60;
/// Two emergencies of one unit and category this close in time, and (when both have a point)
/// in place, are taken for one event: a report on either covers both.
pub const SAME_EVENT_WINDOW_MS: i64 = 3 * 3_600_000;
pub const SAME_EVENT_RADIUS_M: f64 = 2_000.0;
/// A later version may restate the time of the event by this much without being flagged.
pub const OCCURRED_SLACK_MS: i64 = 30 * 60_000;
pub const SUMMARY_MAX: usize = 2000;
pub const PLACE_MAX: usize = 200;
pub const MEASURES_MAX: usize = 2000;
pub const CHECK_NOTE_MAX: usize = 500;
/// More people than this in one report is a typing error, not an event of this district.
pub const FIGURE_MAX: u32 = 100_000;

coded_enum!(EmergencyError =>
    /// The emergency's level (突发事件分级), most serious first.
    Level {
        /// 特别重大 (I)
        Particular => "i",
        /// 重大 (II)
        Major => "ii",
        /// 较大 (III)
        Large => "iii",
        /// 一般 (IV)
        General => "iv",
    }
);

coded_enum!(EmergencyError =>
    /// The kind of a report, in the order they are owed.
    Stage {
        /// 快报: what, where, when, casualties, measures, by phone within minutes.
        Quick => "quick",
        /// 书面报告
        Written => "written",
        /// 续报: as things change, until the final report.
        FollowUp => "follow_up",
        /// 终报: the last; nothing is filed after it.
        Final => "final",
    }
);

coded_enum!(EmergencyError =>
    /// Why a version may be false (谎报 suspected), for the duty leader to check.
    FactFlag {
        /// Fewer dead than an earlier version said.
        DeathsLowered => "deaths_lowered",
        /// A figure corrected downward and then upward again.
        DownThenUp => "down_then_up",
        /// The time of the event moved by more than `OCCURRED_SLACK_MS`.
        TimeMoved => "time_moved",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum EmergencyError {
    #[error("unknown code: {0}")]
    UnknownCode(String),
    /// The case is not an emergency (no reports are owed on it).
    #[error("not an emergency")]
    NotEmergency,
    /// Only the responsible unit's staff write its reports.
    #[error("not the responsible unit")]
    NotYourUnit,
    /// A stage filed out of order: the written report before the quick one, a follow-up or
    /// the final before the written report.
    #[error("stage out of order")]
    StageOrder,
    /// The final report was filed: the reporting is closed.
    #[error("reporting closed")]
    Closed,
    #[error("text missing")]
    TextRequired,
    #[error("longer than {0} characters")]
    TooLong(usize),
    #[error("bad figure")]
    BadFigure,
    /// The time of the event is missing or later than the report.
    #[error("bad time of the event")]
    BadTime,
    /// A deadline outside 1 minute to a day, or the written one before the quick one.
    #[error("bad deadlines")]
    BadDeadlines,
    /// The case lies in no township and no unit was named to report on it.
    #[error("no responsible unit")]
    NoUnit,
    #[error("already checked")]
    AlreadyChecked,
}

/// Who reports an emergency: the township governments and the departments.
pub fn reports_emergencies(kind: UnitKind) -> bool {
    matches!(kind, UnitKind::TownshipGovernment | UnitKind::ResidentDepartment | UnitKind::RotatingDepartment)
}

/// Minutes from receipt to each deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadlines {
    pub quick_min: u32,
    pub written_min: u32,
}

impl Default for Deadlines {
    fn default() -> Self {
        Deadlines { quick_min: QUICK_DEFAULT_MIN, written_min: WRITTEN_DEFAULT_MIN }
    }
}

impl Deadlines {
    pub fn check(self) -> Result<Deadlines, EmergencyError> {
        if self.quick_min == 0 || self.written_min < self.quick_min || self.written_min > DEADLINE_MAX_MIN {
            return Err(EmergencyError::BadDeadlines);
        }
        Ok(self)
    }
}

/// Deadlines for a category (`""`: any) at a level (`None`: any).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineRule {
    pub category: String,
    pub level: Option<Level>,
    pub deadlines: Deadlines,
}

/// The most specific rule for a category at a level: the category and level, the category at
/// any level, any category at the level, any at all; the defaults when none is set.
pub fn deadlines_for(rules: &[DeadlineRule], category: &str, level: Level) -> Deadlines {
    let find = |c: &str, l: Option<Level>| rules.iter().find(|r| r.category == c && r.level == l).map(|r| r.deadlines);
    find(category, Some(level)).or_else(|| find(category, None)).or_else(|| find("", Some(level))).or_else(|| find("", None)).unwrap_or_default()
}

/// One owed report's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    pub due_ms: i64,
    /// The first version's filing; later versions never move it.
    pub filed_ms: Option<i64>,
    /// When the scheduler found it unfiled at its deadline (漏报), once.
    pub missed_ms: Option<i64>,
}

impl Due {
    fn new(due_ms: i64) -> Due {
        Due { due_ms, filed_ms: None, missed_ms: None }
    }

    /// Filed after its deadline (迟报): a report due at 30:00 is late at 30:00.001.
    pub fn late(&self) -> bool {
        self.filed_ms.is_some_and(|f| f > self.due_ms)
    }

    /// Still waiting for the scheduler: neither filed nor flagged.
    fn watched(&self) -> bool {
        self.filed_ms.is_none() && self.missed_ms.is_none()
    }

    pub fn state(&self, now: i64) -> DueState {
        match self.filed_ms {
            Some(_) if self.late() => DueState::Late,
            Some(_) => DueState::OnTime,
            None if now > self.due_ms || self.missed_ms.is_some() => DueState::Missed,
            None => DueState::Waiting,
        }
    }
}

/// How an owed report stands, as shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DueState {
    Waiting,
    OnTime,
    Late,
    Missed,
}

/// An emergency the center awaits reports on: a case of kind 重大应急管理 or one an
/// operator marked, with its responsible unit and the clocks of its owed reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Emergency {
    pub case_id: CaseId,
    pub unit_id: i64,
    pub level: Level,
    pub category: String,
    pub channel: Channel,
    pub township_id: Option<i64>,
    pub point: Option<GeoPoint>,
    /// Receipt of the case, or the operator's marking of one received as something else.
    pub opened_ms: i64,
    pub quick: Due,
    pub written: Due,
    pub final_ms: Option<i64>,
    /// When it was found hidden (瞒报), once.
    pub hidden_ms: Option<i64>,
}

/// A filing's outcome: the first version of its stage or a correction, late or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filed {
    pub version: u32,
    pub late: bool,
}

impl Emergency {
    #[allow(clippy::too_many_arguments)]
    pub fn open(
        case_id: CaseId,
        unit_id: i64,
        level: Level,
        category: String,
        channel: Channel,
        township_id: Option<i64>,
        point: Option<GeoPoint>,
        opened_ms: i64,
        d: Deadlines,
    ) -> Emergency {
        Emergency {
            case_id,
            unit_id,
            level,
            category,
            channel,
            township_id,
            point,
            opened_ms,
            quick: Due::new(opened_ms + i64::from(d.quick_min) * 60_000),
            written: Due::new(opened_ms + i64::from(d.written_min) * 60_000),
            final_ms: None,
            hidden_ms: None,
        }
    }

    /// A new level or responsible unit: the deadlines not yet met or missed follow the level.
    pub fn regrade(&mut self, level: Level, unit_id: i64, d: Deadlines) {
        self.level = level;
        self.unit_id = unit_id;
        for (due, min) in [(&mut self.quick, d.quick_min), (&mut self.written, d.written_min)] {
            if due.watched() {
                due.due_ms = self.opened_ms + i64::from(min) * 60_000;
            }
        }
    }

    /// When the scheduler must next look: the first instant a watched stage is overdue (its
    /// deadline + 1 ms, since a report filed at the deadline is on time).
    pub fn next_due(&self) -> Option<i64> {
        [self.quick, self.written].iter().filter(|d| d.watched()).map(|d| d.due_ms + 1).min()
    }

    /// Flags the stages unfiled at `now` past their deadline as missed; the ones flagged now.
    pub fn flag_missed(&mut self, now: i64) -> Vec<Stage> {
        let mut out = Vec::new();
        for (stage, due) in [(Stage::Quick, &mut self.quick), (Stage::Written, &mut self.written)] {
            if due.watched() && now > due.due_ms {
                due.missed_ms = Some(now);
                out.push(stage);
            }
        }
        out
    }

    /// Whether the emergency is hidden at `now`: the quick deadline passed with nothing filed
    /// by its unit, and `reported_elsewhere` (a report of the same event on another case) is
    /// false. Found once.
    pub fn hidden_at(&self, now: i64, reported_elsewhere: bool) -> bool {
        self.hidden_ms.is_none() && self.quick.filed_ms.is_none() && now > self.quick.due_ms && !reported_elsewhere
    }

    /// Files a report of `stage` at `now`; `filed` is how many of that stage were filed before.
    pub fn file(&mut self, stage: Stage, filed: u32, now: i64) -> Result<Filed, EmergencyError> {
        if self.final_ms.is_some() {
            return Err(EmergencyError::Closed);
        }
        let due = match stage {
            Stage::Quick => Some(&mut self.quick),
            Stage::Written if self.quick.filed_ms.is_none() => return Err(EmergencyError::StageOrder),
            Stage::Written => Some(&mut self.written),
            Stage::FollowUp | Stage::Final if self.written.filed_ms.is_none() => return Err(EmergencyError::StageOrder),
            Stage::FollowUp => None,
            Stage::Final => {
                self.final_ms = Some(now);
                None
            }
        };
        let late = match due {
            Some(d) if d.filed_ms.is_none() => {
                d.filed_ms = Some(now);
                d.late()
            }
            _ => false,
        };
        Ok(Filed { version: filed + 1, late })
    }

    /// The stages the unit may file now, in order.
    pub fn open_stages(&self) -> Vec<Stage> {
        if self.final_ms.is_some() {
            return Vec::new();
        }
        if self.quick.filed_ms.is_none() {
            return vec![Stage::Quick];
        }
        if self.written.filed_ms.is_none() {
            return vec![Stage::Written, Stage::Quick];
        }
        vec![Stage::FollowUp, Stage::Final, Stage::Written, Stage::Quick]
    }
}

/// Two emergencies are one event: one unit, one category, within `SAME_EVENT_WINDOW_MS`,
/// and within `SAME_EVENT_RADIUS_M` when both have a point.
pub fn same_event(a: &Emergency, b: &Emergency) -> bool {
    a.unit_id == b.unit_id
        && a.category == b.category
        && (a.opened_ms - b.opened_ms).abs() <= SAME_EVENT_WINDOW_MS
        && match (a.point, b.point) {
            (Some(p), Some(q)) => metres(p, q) <= SAME_EVENT_RADIUS_M,
            _ => true,
        }
}

fn metres(a: GeoPoint, b: GeoPoint) -> f64 {
    let (la, lb) = (a.lat_e6 as f64 / 1e6, b.lat_e6 as f64 / 1e6);
    let dy = (la - lb) * 111_320.0;
    let dx = (a.lng_e6 - b.lng_e6) as f64 / 1e6 * 111_320.0 * ((la + lb) / 2.0).to_radians().cos();
    (dx * dx + dy * dy).sqrt()
}

/// What a report states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// What happened (事件概况).
    pub summary: String,
    pub place: String,
    pub occurred_ms: i64,
    pub deaths: u32,
    pub injured: u32,
    pub missing: u32,
    /// What has been done (已采取措施).
    pub measures: String,
}

impl Facts {
    /// Trimmed and bounded; the event cannot have happened after the report.
    pub fn check(mut self, now: i64) -> Result<Facts, EmergencyError> {
        for (text, max, required) in [(&mut self.summary, SUMMARY_MAX, true), (&mut self.place, PLACE_MAX, true), (&mut self.measures, MEASURES_MAX, false)] {
            *text = text.trim().to_string();
            if required && text.is_empty() {
                return Err(EmergencyError::TextRequired);
            }
            if text.chars().count() > max {
                return Err(EmergencyError::TooLong(max));
            }
        }
        if [self.deaths, self.injured, self.missing].iter().any(|n| *n > FIGURE_MAX) {
            return Err(EmergencyError::BadFigure);
        }
        if self.occurred_ms <= 0 || self.occurred_ms > now || self.occurred_ms < now - 30 * DAY_MS {
            return Err(EmergencyError::BadTime);
        }
        Ok(self)
    }

    fn figures(&self) -> [u32; 3] {
        [self.deaths, self.injured, self.missing]
    }
}

/// How a new version contradicts the versions before it (in filing order, any stage).
pub fn fact_flags(earlier: &[Facts], new: &Facts) -> Vec<FactFlag> {
    let mut flags = Vec::new();
    let Some(first) = earlier.first() else { return flags };
    if earlier.iter().any(|f| new.deaths < f.deaths) {
        flags.push(FactFlag::DeathsLowered);
    }
    let went_down_then_up = (0..3).any(|i| {
        let mut series: Vec<u32> = earlier.iter().map(|f| f.figures()[i]).collect();
        series.push(new.figures()[i]);
        let n = series.len();
        // The new value rises, after an earlier drop.
        series[n - 1] > series[n - 2] && series.windows(2).take(n - 2).any(|w| w[1] < w[0])
    });
    if went_down_then_up {
        flags.push(FactFlag::DownThenUp);
    }
    if (new.occurred_ms - first.occurred_ms).abs() > OCCURRED_SLACK_MS {
        flags.push(FactFlag::TimeMoved);
    }
    flags
}

/// One filed version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub id: i64,
    pub case_id: CaseId,
    pub stage: Stage,
    /// 1 for the first of its stage; corrections and further follow-ups count up.
    pub version: u32,
    pub unit_id: i64,
    pub author_id: i64,
    pub filed_ms: i64,
    pub late: bool,
    pub facts: Facts,
    pub flags: Vec<FactFlag>,
    pub checked_by: Option<i64>,
    pub checked_ms: Option<i64>,
    pub check_note: Option<String>,
}

impl Report {
    /// The duty leader's check (审核): once, with an optional note.
    pub fn check(&mut self, by: i64, note: &str, now: i64) -> Result<(), EmergencyError> {
        if self.checked_ms.is_some() {
            return Err(EmergencyError::AlreadyChecked);
        }
        let note = note.trim();
        if note.chars().count() > CHECK_NOTE_MAX {
            return Err(EmergencyError::TooLong(CHECK_NOTE_MAX));
        }
        self.checked_by = Some(by);
        self.checked_ms = Some(now);
        self.check_note = (!note.is_empty()).then(|| note.to_string());
        Ok(())
    }
}

/// A unit's record over emergencies (fed to the evaluation and the bulletin).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitTally {
    pub unit_id: i64,
    pub unit: String,
    pub emergencies: u32,
    pub reports: u32,
    pub late: u32,
    pub missed: u32,
    pub hidden: u32,
    /// Versions flagged as possibly false.
    pub flagged: u32,
}

/// Each unit's counts over `emergencies` and their `reports`: a late stage counts once (its
/// first version), a missed stage once (its flag), a flagged version once.
pub fn tally(emergencies: &[Emergency], reports: &[Report], unit_name: impl Fn(i64) -> String) -> Vec<UnitTally> {
    let mut by_unit: BTreeMap<i64, UnitTally> = BTreeMap::new();
    for e in emergencies {
        let t = by_unit.entry(e.unit_id).or_insert_with(|| UnitTally { unit_id: e.unit_id, unit: unit_name(e.unit_id), ..UnitTally::default() });
        t.emergencies += 1;
        t.late += u32::from(e.quick.late()) + u32::from(e.written.late());
        t.missed += u32::from(e.quick.missed_ms.is_some()) + u32::from(e.written.missed_ms.is_some());
        t.hidden += u32::from(e.hidden_ms.is_some());
    }
    for r in reports {
        let t = by_unit.entry(r.unit_id).or_insert_with(|| UnitTally { unit_id: r.unit_id, unit: unit_name(r.unit_id), ..UnitTally::default() });
        t.reports += 1;
        t.flagged += u32::from(!r.flags.is_empty());
    }
    let faults = |t: &UnitTally| t.missed + t.hidden + t.late + t.flagged;
    let mut out: Vec<UnitTally> = by_unit.into_values().collect();
    out.sort_by(|a, b| faults(b).cmp(&faults(a)).then(a.unit.cmp(&b.unit)));
    out
}

/// An emergency as listed: its case's code and title, its unit's name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmergencyRow {
    pub emergency: Emergency,
    pub code: String,
    pub title: String,
    pub unit: String,
    /// Versions waiting for the duty leader's check.
    pub unchecked: u32,
    /// Versions flagged as possibly false.
    pub flagged: u32,
}

/// The center's page: the emergencies, newest first, each unit's record and the deadlines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Board {
    pub now_ms: i64,
    pub rows: Vec<EmergencyRow>,
    pub tallies: Vec<UnitTally>,
    pub rules: Vec<DeadlineRule>,
    /// The emergency categories (code, name), for the deadline form.
    pub categories: Vec<(String, String)>,
    pub may_set_deadlines: bool,
}

/// A version with the names of who wrote and who checked it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportView {
    pub report: Report,
    pub author: String,
    pub checker: Option<String>,
}

/// One emergency's reports, every version, oldest first, and what the caller may do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Detail {
    pub now_ms: i64,
    pub row: EmergencyRow,
    pub reports: Vec<ReportView>,
    pub may_write: bool,
    pub may_check: bool,
    pub may_regrade: bool,
    /// Units that may be made responsible (id, name), for a regrade.
    pub units: Vec<(i64, String)>,
}

/// The emergency on a case, for the case page: its row when the caller may see it, and
/// whether the caller may mark the case (or change its level).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseEmergency {
    pub now_ms: i64,
    pub row: Option<EmergencyRow>,
    pub may_declare: bool,
    /// Units that may be made responsible (id, name), to mark the case.
    pub units: Vec<(i64, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;
    const T0: i64 = 1_796_000_000_000;

    fn emergency(opened: i64) -> Emergency {
        Emergency::open(7, 3, Level::General, "flood".into(), Channel::Hotline12345, Some(11), None, opened, Deadlines::default())
    }

    fn facts(deaths: u32, injured: u32, missing: u32, occurred: i64) -> Facts {
        Facts { summary: "河水漫堤".into(), place: "耿山村".into(), occurred_ms: occurred, deaths, injured, missing, measures: String::new() }
    }

    #[test]
    fn a_report_due_at_30_minutes_is_late_one_millisecond_after_and_counted_once() {
        let mut on_time = emergency(T0);
        assert_eq!(on_time.file(Stage::Quick, 0, T0 + 30 * MIN).unwrap(), Filed { version: 1, late: false });
        let mut late = emergency(T0);
        assert_eq!(late.file(Stage::Quick, 0, T0 + 30 * MIN + 1).unwrap(), Filed { version: 1, late: true });
        // A correction neither moves the filing nor counts again.
        assert_eq!(late.file(Stage::Quick, 1, T0 + 40 * MIN).unwrap(), Filed { version: 2, late: false });
        assert_eq!(late.quick.filed_ms, Some(T0 + 30 * MIN + 1));
        let t = tally(&[on_time, late], &[], |_| "莲花镇".into());
        assert_eq!((t[0].emergencies, t[0].late), (2, 1));
    }

    #[test]
    fn a_stage_unfiled_at_its_deadline_is_missed_once() {
        let mut e = emergency(T0);
        assert_eq!(e.next_due(), Some(T0 + 30 * MIN + 1));
        assert!(e.flag_missed(T0 + 30 * MIN).is_empty(), "not before the deadline has passed");
        assert_eq!(e.flag_missed(T0 + 30 * MIN + 1), vec![Stage::Quick]);
        assert!(e.flag_missed(T0 + 31 * MIN).is_empty(), "once");
        assert_eq!(e.next_due(), Some(T0 + 60 * MIN + 1));
        assert_eq!(e.quick.state(T0 + 31 * MIN), DueState::Missed);
        // Filed after being flagged: late as well, and the flag stays on record.
        e.file(Stage::Quick, 0, T0 + 35 * MIN).unwrap();
        assert_eq!(e.quick.state(T0 + 35 * MIN), DueState::Late);
        assert_eq!(e.flag_missed(T0 + 61 * MIN), vec![Stage::Written]);
        assert_eq!(e.next_due(), None);
        let t = tally(&[e], &[], |_| String::new());
        assert_eq!((t[0].missed, t[0].late), (2, 1));
    }

    #[test]
    fn stages_come_in_order_and_nothing_follows_the_final() {
        let mut e = emergency(T0);
        assert_eq!(e.file(Stage::Written, 0, T0 + MIN), Err(EmergencyError::StageOrder));
        assert_eq!(e.open_stages(), vec![Stage::Quick]);
        e.file(Stage::Quick, 0, T0 + MIN).unwrap();
        assert_eq!(e.file(Stage::FollowUp, 0, T0 + MIN), Err(EmergencyError::StageOrder));
        e.file(Stage::Written, 0, T0 + 2 * MIN).unwrap();
        assert_eq!(e.file(Stage::FollowUp, 0, T0 + 3 * MIN).unwrap().version, 1);
        assert_eq!(e.file(Stage::FollowUp, 1, T0 + 4 * MIN).unwrap().version, 2);
        e.file(Stage::Final, 0, T0 + 5 * MIN).unwrap();
        assert_eq!(e.file(Stage::FollowUp, 2, T0 + 6 * MIN), Err(EmergencyError::Closed));
        assert!(e.open_stages().is_empty());
    }

    #[test]
    fn hidden_only_when_nothing_was_filed_here_or_for_the_same_event() {
        let mut e = emergency(T0);
        assert!(!e.hidden_at(T0 + 30 * MIN, false), "not before the quick deadline");
        assert!(e.hidden_at(T0 + 30 * MIN + 1, false));
        assert!(!e.hidden_at(T0 + 30 * MIN + 1, true), "reported on another case of the same event");
        e.file(Stage::Quick, 0, T0 + 31 * MIN).unwrap();
        assert!(!e.hidden_at(T0 + 40 * MIN, false), "late, not hidden");
    }

    #[test]
    fn one_event_is_one_unit_one_category_near_in_time_and_place() {
        let at = |lat: i64, lng: i64| Some(GeoPoint { lat_e6: lat, lng_e6: lng });
        let mut a = emergency(T0);
        a.point = at(28_934_000, 118_961_000);
        let mut b = emergency(T0 + 2 * 3_600_000);
        b.point = at(28_940_000, 118_961_000); // about 670 m north
        assert!(same_event(&a, &b));
        b.point = at(28_960_000, 118_961_000); // about 2.9 km
        assert!(!same_event(&a, &b));
        b.point = None;
        assert!(same_event(&a, &b));
        b.opened_ms = T0 + 4 * 3_600_000;
        assert!(!same_event(&a, &b));
        let mut c = emergency(T0);
        c.unit_id = 4;
        assert!(!same_event(&a, &c));
        c.unit_id = 3;
        c.category = "fire".into();
        assert!(!same_event(&a, &c));
    }

    #[test]
    fn contradicting_figures_and_times_are_flagged() {
        let first = facts(1, 4, 2, T0);
        assert!(fact_flags(&[], &first).is_empty());
        // More casualties as news comes in is normal; the missing found is too.
        assert!(fact_flags(std::slice::from_ref(&first), &facts(2, 6, 0, T0)).is_empty());
        assert_eq!(fact_flags(std::slice::from_ref(&first), &facts(0, 4, 2, T0)), vec![FactFlag::DeathsLowered]);
        // Injured 4 → 2 → 5: down, then up.
        let down = facts(1, 2, 2, T0);
        assert_eq!(fact_flags(&[first.clone(), down.clone()], &facts(1, 5, 2, T0)), vec![FactFlag::DownThenUp]);
        assert!(fact_flags(&[first.clone(), down], &facts(1, 2, 2, T0)).is_empty());
        assert_eq!(fact_flags(std::slice::from_ref(&first), &facts(1, 4, 2, T0 + 31 * MIN)), vec![FactFlag::TimeMoved]);
        assert!(fact_flags(&[first], &facts(1, 4, 2, T0 + 30 * MIN)).is_empty());
    }

    #[test]
    fn the_most_specific_deadline_rule_wins() {
        let rule = |c: &str, l: Option<Level>, q: u32| DeadlineRule { category: c.into(), level: l, deadlines: Deadlines { quick_min: q, written_min: 60 } };
        let rules = vec![rule("", None, 25), rule("", Some(Level::Major), 20), rule("flood", None, 15), rule("flood", Some(Level::Major), 10)];
        assert_eq!(deadlines_for(&rules, "flood", Level::Major).quick_min, 10);
        assert_eq!(deadlines_for(&rules, "flood", Level::General).quick_min, 15);
        assert_eq!(deadlines_for(&rules, "fire", Level::Major).quick_min, 20);
        assert_eq!(deadlines_for(&rules, "fire", Level::General).quick_min, 25);
        assert_eq!(deadlines_for(&[], "fire", Level::General), Deadlines::default());
        assert!(Deadlines { quick_min: 0, written_min: 60 }.check().is_err());
        assert!(Deadlines { quick_min: 40, written_min: 30 }.check().is_err());
        assert!(Deadlines { quick_min: 1, written_min: 1 }.check().is_ok());
        assert!(Deadlines { quick_min: 30, written_min: DEADLINE_MAX_MIN + 1 }.check().is_err());
    }

    #[test]
    fn a_regrade_moves_only_the_deadlines_still_watched() {
        let mut e = emergency(T0);
        e.file(Stage::Quick, 0, T0 + 10 * MIN).unwrap();
        e.regrade(Level::Major, 9, Deadlines { quick_min: 10, written_min: 20 });
        assert_eq!((e.quick.due_ms, e.written.due_ms, e.unit_id), (T0 + 30 * MIN, T0 + 20 * MIN, 9));
    }

    #[test]
    fn facts_are_checked() {
        let now = T0;
        assert_eq!(facts(0, 0, 0, now + 1).check(now), Err(EmergencyError::BadTime));
        assert_eq!(Facts { summary: " ".into(), ..facts(0, 0, 0, now) }.check(now), Err(EmergencyError::TextRequired));
        assert_eq!(facts(FIGURE_MAX + 1, 0, 0, now).check(now), Err(EmergencyError::BadFigure));
        assert_eq!(Facts { place: " 耿山村 ".into(), ..facts(0, 0, 0, now) }.check(now).unwrap().place, "耿山村");
    }
}
