//! The safety hazard register (隐患清单): a hazard found in one of the eight domains is
//! rectified by its responsible unit, checked again on site and ticked off (销号) with photos
//! by the unit that inspected; it may be put under tracking or listed supervision, and the
//! scheduler flags it overdue when its rectification deadline passes. The rules, once.
use super::case::{CaseId, GeoPoint, UnitId, UserId};
use serde::{Deserialize, Serialize};

pub type HazardId = i64;

pub const HAZARD_PAGE: i64 = 50;
pub const MAX_TITLE: usize = 100;
pub const MAX_TEXT: usize = 2000;
pub const MAX_SHORT: usize = 200;
/// A rectification deadline further away than this is a typing mistake.
pub const MAX_DEADLINE_DAYS: i64 = 730;
/// Units on one joint inspection (联合执法).
pub const MAX_INSPECTORS: usize = 12;
const DAY_MS: i64 = 86_400_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum HazardError {
    #[error("unknown code: {0}")]
    UnknownCode(String),
    #[error("text missing: {0}")]
    Required(String),
    #[error("longer than {0} characters")]
    TooLong(usize),
    /// The rectification deadline is not after the hazard was found, or years away.
    #[error("bad deadline")]
    BadDeadline,
    /// No inspecting unit, too many, or one unknown or retired.
    #[error("bad inspecting units")]
    BadInspectors,
    #[error("unknown responsible unit")]
    BadUnit,
    /// The step is not the caller's unit's to take.
    #[error("not your unit's step")]
    NotYourStep,
    /// The step does not follow from the hazard's state.
    #[error("not from this state")]
    WrongState,
    /// Ticking off needs at least one photo of the rectified place.
    #[error("photos required")]
    PhotosRequired,
    #[error("unknown case")]
    UnknownCase,
}

coded_enum!(HazardError =>
    /// The eight domains of the district's safety committee.
    HazardDomain {
        RoadTraffic => "road_traffic",
        MinesChemicals => "mines_chemicals",
        Fire => "fire",
        Industry => "industry",
        Construction => "construction",
        CityOperation => "city_operation",
        TourismAgriculture => "tourism_agriculture",
        ForestFire => "forest_fire",
    }
);

coded_enum!(HazardError =>
    /// How the hazard came to light.
    Source {
        Inspection => "inspection",
        /// 暗访检查: an unannounced check.
        Unannounced => "unannounced",
        Report => "report",
        Case => "case",
    }
);

coded_enum!(HazardError =>
    HazardLevel {
        General => "general",
        Major => "major",
    }
);

coded_enum!(HazardError =>
    HazardStatus {
        Found => "found",
        Rectifying => "rectifying",
        Checked => "checked",
        TickedOff => "ticked_off",
    }
);

coded_enum!(HazardError =>
    /// 跟踪督办 / 挂牌督办, as for a case.
    Watch {
        Tracking => "tracking",
        Listed => "listed",
    }
);

coded_enum!(HazardError =>
    StepKind {
        Found => "found",
        Rectify => "rectify",
        Progress => "progress",
        CheckPassed => "check_passed",
        CheckFailed => "check_failed",
        TickOff => "tick_off",
        Watch => "watch",
        Overdue => "overdue",
    }
);

impl HazardStatus {
    pub fn is_open(self) -> bool {
        self != HazardStatus::TickedOff
    }

    /// Still to be rectified: the deadline applies.
    pub fn owes_rectification(self) -> bool {
        matches!(self, HazardStatus::Found | HazardStatus::Rectifying)
    }
}

/// A hazard as entered, before it is checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HazardDraft {
    pub domain: String,
    pub source: String,
    pub level: String,
    pub title: String,
    pub description: String,
    pub place: String,
    pub area_id: Option<i64>,
    pub point: Option<GeoPoint>,
    pub responsible_unit_id: Option<UnitId>,
    pub enterprise: String,
    pub measures: String,
    pub deadline_ms: Option<i64>,
    /// The units on the inspection (joint enforcement: several).
    pub inspectors: Vec<UnitId>,
    /// The case it was found from, by code.
    pub case_code: String,
}

/// A hazard's checked facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HazardFacts {
    pub domain: HazardDomain,
    pub source: Source,
    pub level: HazardLevel,
    pub title: String,
    pub description: String,
    pub place: String,
    pub area_id: Option<i64>,
    pub point: Option<GeoPoint>,
    pub responsible_unit_id: UnitId,
    pub enterprise: String,
    pub measures: String,
    pub deadline_ms: i64,
    pub inspectors: Vec<UnitId>,
}

fn text(raw: &str, field: &str, max: usize, required: bool) -> Result<String, HazardError> {
    let t = raw.trim();
    if required && t.is_empty() {
        return Err(HazardError::Required(field.into()));
    }
    if t.chars().count() > max {
        return Err(HazardError::TooLong(max));
    }
    Ok(t.to_string())
}

/// A step's text: required where the step says so, never too long.
pub fn step_text(raw: &str, required: bool) -> Result<String, HazardError> {
    text(raw, "text", MAX_TEXT, required)
}

impl HazardDraft {
    /// Checks every field; `now` is when it is found. Unit existence is the service's to check.
    pub fn check(&self, now: i64) -> Result<HazardFacts, HazardError> {
        let deadline_ms = self.deadline_ms.ok_or(HazardError::BadDeadline)?;
        if deadline_ms <= now || deadline_ms > now + MAX_DEADLINE_DAYS * DAY_MS {
            return Err(HazardError::BadDeadline);
        }
        let mut inspectors = self.inspectors.clone();
        inspectors.sort_unstable();
        inspectors.dedup();
        if inspectors.is_empty() || inspectors.len() > MAX_INSPECTORS {
            return Err(HazardError::BadInspectors);
        }
        Ok(HazardFacts {
            domain: self.domain.parse()?,
            source: self.source.parse()?,
            level: self.level.parse()?,
            title: text(&self.title, "title", MAX_TITLE, true)?,
            description: text(&self.description, "description", MAX_TEXT, false)?,
            place: text(&self.place, "place", MAX_SHORT, true)?,
            area_id: self.area_id,
            point: self.point,
            responsible_unit_id: self.responsible_unit_id.ok_or(HazardError::BadUnit)?,
            enterprise: text(&self.enterprise, "enterprise", MAX_SHORT, false)?,
            measures: text(&self.measures, "measures", MAX_TEXT, true)?,
            deadline_ms,
            inspectors,
        })
    }
}

/// A hazard on the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hazard {
    pub id: HazardId,
    pub facts: HazardFacts,
    pub township_id: Option<i64>,
    pub case_id: Option<CaseId>,
    pub status: HazardStatus,
    pub watch: Option<Watch>,
    pub found_ms: i64,
    pub found_by: UserId,
    /// When the scheduler found the deadline passed with the rectification unchecked.
    pub overdue_ms: Option<i64>,
    pub ticked_off_ms: Option<i64>,
}

/// One step, as the caller asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    /// The responsible unit starts rectifying, saying how.
    Rectify { text: String },
    /// A note with photos of the work, from the responsible or an inspecting unit.
    Progress { text: String },
    /// The inspecting unit's check on site: passed, or failed with what is still wrong.
    Check { passed: bool, text: String },
    /// 销号, by the inspecting unit, with photos.
    TickOff { text: String },
    /// Put under tracking or listed supervision by the supervision office.
    Watch { watch: Watch, text: String },
}

/// Who is taking a step: their unit's part in the hazard, and whether they may supervise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepBy {
    pub responsible: bool,
    pub inspecting: bool,
    pub supervises: bool,
}

impl Step {
    pub fn kind(&self) -> StepKind {
        match self {
            Step::Rectify { .. } => StepKind::Rectify,
            Step::Progress { .. } => StepKind::Progress,
            Step::Check { passed: true, .. } => StepKind::CheckPassed,
            Step::Check { passed: false, .. } => StepKind::CheckFailed,
            Step::TickOff { .. } => StepKind::TickOff,
            Step::Watch { .. } => StepKind::Watch,
        }
    }

    pub fn text(&self) -> &str {
        match self {
            Step::Rectify { text } | Step::Progress { text } | Step::Check { text, .. } | Step::TickOff { text } | Step::Watch { text, .. } => text,
        }
    }
}

impl Hazard {
    /// Applies `step` at `now`, with `photos` attached: the state after, or why not. A failed
    /// check needs what is still wrong; ticking off needs a photo; supervision only rises.
    pub fn take(&mut self, step: &Step, by: StepBy, photos: usize, now: i64) -> Result<(), HazardError> {
        use HazardStatus as S;
        let allowed = match step {
            Step::Rectify { .. } => by.responsible,
            Step::Progress { .. } => by.responsible || by.inspecting,
            Step::Check { .. } | Step::TickOff { .. } => by.inspecting,
            Step::Watch { .. } => by.supervises,
        };
        if !allowed {
            return Err(HazardError::NotYourStep);
        }
        let required = matches!(step, Step::Rectify { .. } | Step::Check { passed: false, .. }) || matches!(step, Step::Progress { .. } if photos == 0);
        step_text(step.text(), required)?;
        match step {
            Step::Rectify { .. } if self.status == S::Found => self.status = S::Rectifying,
            Step::Progress { .. } if self.status.is_open() => {}
            Step::Check { passed, .. } if self.status == S::Rectifying => {
                if *passed {
                    self.status = S::Checked;
                }
            }
            Step::TickOff { .. } if self.status == S::Checked => {
                if photos == 0 {
                    return Err(HazardError::PhotosRequired);
                }
                self.status = S::TickedOff;
                self.ticked_off_ms = Some(now);
            }
            Step::Watch { watch, .. } if self.status.is_open() && self.watch.is_none_or(|w| w < *watch) => self.watch = Some(*watch),
            _ => return Err(HazardError::WrongState),
        }
        Ok(())
    }

    /// Past its deadline with the rectification not yet checked.
    pub fn is_overdue(&self, now: i64) -> bool {
        self.status.owes_rectification() && now > self.facts.deadline_ms
    }

    /// When the scheduler must look at it: just after the deadline, once.
    pub fn next_due(&self) -> Option<i64> {
        (self.status.owes_rectification() && self.overdue_ms.is_none()).then_some(self.facts.deadline_ms + 1)
    }

    /// The scheduler's look at `now`: true when it has just become overdue (flagged once).
    pub fn flag_overdue(&mut self, now: i64) -> bool {
        if self.overdue_ms.is_none() && self.is_overdue(now) {
            self.overdue_ms = Some(now);
            return true;
        }
        false
    }

    /// The steps `by` may take now (the page's buttons; the service checks again).
    pub fn steps_for(&self, by: StepBy) -> Vec<StepKind> {
        use HazardStatus as S;
        let mut out = Vec::new();
        if by.responsible && self.status == S::Found {
            out.push(StepKind::Rectify);
        }
        if (by.responsible || by.inspecting) && self.status.is_open() {
            out.push(StepKind::Progress);
        }
        if by.inspecting && self.status == S::Rectifying {
            out.extend([StepKind::CheckPassed, StepKind::CheckFailed]);
        }
        if by.inspecting && self.status == S::Checked {
            out.push(StepKind::TickOff);
        }
        if by.supervises && self.status.is_open() && self.watch != Some(Watch::Listed) {
            out.push(StepKind::Watch);
        }
        out
    }
}

/// The register's filter; its query string is what the page's URL and the export carry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HazardFilter {
    pub domain: Option<HazardDomain>,
    pub township_id: Option<i64>,
    pub status: Option<HazardStatus>,
    /// Only what is still open (not ticked off); the list's default.
    pub open: bool,
    pub overdue: bool,
    pub watch: Option<Watch>,
    /// Hazards this unit is responsible for or inspected.
    pub unit_id: Option<UnitId>,
    /// Hazards recorded from this case.
    pub case_id: Option<CaseId>,
    pub page: i64,
}

impl HazardFilter {
    /// From `domain=fire&township=3&status=found&overdue=1&watch=listed&page=1`; `open=0`
    /// shows the ticked-off too. An unknown or malformed value is refused, never dropped.
    pub fn from_query(pairs: &[(String, String)]) -> Result<HazardFilter, HazardError> {
        let mut f = HazardFilter { open: true, ..Default::default() };
        let bad = |v: &str| HazardError::UnknownCode(v.to_string());
        for (k, v) in pairs {
            let v = v.trim();
            if v.is_empty() || v == "all" {
                continue;
            }
            match k.as_str() {
                "domain" => f.domain = Some(v.parse()?),
                "township" => f.township_id = Some(v.parse().map_err(|_| bad(v))?),
                "status" => f.status = Some(v.parse()?),
                "open" => f.open = v != "0",
                "overdue" => f.overdue = v == "1",
                "watch" => f.watch = Some(v.parse()?),
                "unit" => f.unit_id = Some(v.parse().map_err(|_| bad(v))?),
                "case" => f.case_id = Some(v.parse().map_err(|_| bad(v))?),
                "page" => f.page = v.parse().ok().filter(|p| *p >= 0).ok_or_else(|| bad(v))?,
                _ => {}
            }
        }
        Ok(f)
    }

    pub fn to_query(&self) -> String {
        let mut q = Vec::new();
        if let Some(d) = self.domain {
            q.push(format!("domain={d}"));
        }
        if let Some(t) = self.township_id {
            q.push(format!("township={t}"));
        }
        if let Some(s) = self.status {
            q.push(format!("status={s}"));
        }
        if !self.open {
            q.push("open=0".into());
        }
        if self.overdue {
            q.push("overdue=1".into());
        }
        if let Some(w) = self.watch {
            q.push(format!("watch={w}"));
        }
        if let Some(u) = self.unit_id {
            q.push(format!("unit={u}"));
        }
        if let Some(c) = self.case_id {
            q.push(format!("case={c}"));
        }
        if self.page > 0 {
            q.push(format!("page={}", self.page));
        }
        q.join("&")
    }
}

/// One line of a tally: a domain's or a township's hazards.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HazardTally {
    pub key: String,
    pub name: String,
    pub total: u32,
    pub open: u32,
    pub major_open: u32,
    pub overdue: u32,
    pub listed: u32,
    pub ticked_off: u32,
}

/// A count of hazards sharing a key, status, level, watch and overdue flag, as the store groups them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountRow {
    pub key: String,
    pub status: HazardStatus,
    pub level: HazardLevel,
    pub watch: Option<Watch>,
    pub overdue: bool,
    pub count: u32,
}

/// Folds grouped counts into one line per key, in `order` (keys missing from `order` after it).
pub fn tally(rows: &[CountRow], order: &[(String, String)]) -> Vec<HazardTally> {
    let mut out: Vec<HazardTally> = order.iter().map(|(k, n)| HazardTally { key: k.clone(), name: n.clone(), ..Default::default() }).collect();
    for r in rows {
        let i = match out.iter().position(|t| t.key == r.key) {
            Some(i) => i,
            None => {
                out.push(HazardTally { key: r.key.clone(), name: r.key.clone(), ..Default::default() });
                out.len() - 1
            }
        };
        let t = &mut out[i];
        t.total += r.count;
        if r.status.is_open() {
            t.open += r.count;
            if r.level == HazardLevel::Major {
                t.major_open += r.count;
            }
            if r.watch == Some(Watch::Listed) {
                t.listed += r.count;
            }
        } else {
            t.ticked_off += r.count;
        }
        if r.overdue && r.status.owes_rectification() {
            t.overdue += r.count;
        }
    }
    out
}

/// A hazard as listed, with the names the page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HazardRow {
    pub hazard: Hazard,
    pub unit: String,
    pub township: String,
}

/// One step of a hazard's history, with its photos (attachment ids).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HazardEvent {
    pub seq: i64,
    pub kind: StepKind,
    pub at_ms: i64,
    pub by: String,
    pub unit: String,
    pub text: String,
    pub photos: Vec<i64>,
}

/// The register's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Register {
    pub now_ms: i64,
    pub filter: HazardFilter,
    pub rows: Vec<HazardRow>,
    pub total: i64,
    pub by_domain: Vec<HazardTally>,
    pub by_township: Vec<HazardTally>,
    pub townships: Vec<(i64, String)>,
}

/// One hazard's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HazardDetail {
    pub now_ms: i64,
    pub row: HazardRow,
    pub inspectors: Vec<String>,
    pub case_code: Option<String>,
    pub events: Vec<HazardEvent>,
    pub steps: Vec<StepKind>,
}

/// What the form to record a hazard offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HazardOptions {
    pub places: Vec<super::org::Place>,
    pub units: Vec<super::org::UnitChoice>,
    pub my_unit: Option<UnitId>,
    pub my_area_id: Option<i64>,
    /// The case the hazard is recorded from, when the form was opened from one.
    pub from_case: Option<FromCase>,
}

/// What a hazard recorded from a case starts with: the case's code, title, place and point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FromCase {
    pub code: String,
    pub title: String,
    pub area_id: Option<i64>,
    pub place: String,
    pub point: Option<GeoPoint>,
}

/// The hazards recorded from one case that the reader may see, and whether they may record one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseHazards {
    pub now_ms: i64,
    pub rows: Vec<HazardRow>,
    pub may_record: bool,
}

/// A hazard's point on the command screen's map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HazardPoint {
    pub id: HazardId,
    pub title: String,
    pub domain: HazardDomain,
    pub major: bool,
    pub overdue: bool,
    pub point: GeoPoint,
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;

    fn draft() -> HazardDraft {
        HazardDraft {
            domain: "fire".into(),
            source: "unannounced".into(),
            level: "major".into(),
            title: " 消防通道堵塞 ".into(),
            place: "莲花镇农贸市场".into(),
            responsible_unit_id: Some(7),
            measures: "清理通道".into(),
            deadline_ms: Some(NOW + 3 * DAY_MS),
            inspectors: vec![3, 2, 3],
            ..Default::default()
        }
    }

    fn hazard() -> Hazard {
        Hazard {
            id: 1,
            facts: draft().check(NOW).unwrap(),
            township_id: None,
            case_id: None,
            status: HazardStatus::Found,
            watch: None,
            found_ms: NOW,
            found_by: 1,
            overdue_ms: None,
            ticked_off_ms: None,
        }
    }

    const RESP: StepBy = StepBy { responsible: true, inspecting: false, supervises: false };
    const INSP: StepBy = StepBy { responsible: false, inspecting: true, supervises: false };
    const SUP: StepBy = StepBy { responsible: false, inspecting: false, supervises: true };

    #[test]
    fn a_draft_is_checked_field_by_field() {
        let f = draft().check(NOW).unwrap();
        assert_eq!(f.title, "消防通道堵塞");
        assert_eq!(f.inspectors, vec![2, 3], "joint enforcement: each unit once");
        assert_eq!(HazardDraft { deadline_ms: Some(NOW), ..draft() }.check(NOW), Err(HazardError::BadDeadline));
        assert_eq!(HazardDraft { deadline_ms: Some(NOW + 731 * DAY_MS), ..draft() }.check(NOW), Err(HazardError::BadDeadline));
        assert_eq!(HazardDraft { inspectors: vec![], ..draft() }.check(NOW), Err(HazardError::BadInspectors));
        assert_eq!(HazardDraft { domain: "weather".into(), ..draft() }.check(NOW), Err(HazardError::UnknownCode("weather".into())));
        assert_eq!(HazardDraft { measures: "  ".into(), ..draft() }.check(NOW), Err(HazardError::Required("measures".into())));
        assert_eq!(HazardDraft { title: "隐".repeat(101), ..draft() }.check(NOW), Err(HazardError::TooLong(MAX_TITLE)));
        assert_eq!(HazardDraft { responsible_unit_id: None, ..draft() }.check(NOW), Err(HazardError::BadUnit));
    }

    #[test]
    fn a_hazard_goes_found_rectifying_checked_ticked_off_by_the_right_units() {
        let mut h = hazard();
        let rectify = Step::Rectify { text: "已封堵".into() };
        assert_eq!(h.take(&rectify, INSP, 0, NOW), Err(HazardError::NotYourStep));
        assert_eq!(h.take(&Step::Rectify { text: " ".into() }, RESP, 0, NOW), Err(HazardError::Required("text".into())));
        h.take(&rectify, RESP, 0, NOW).unwrap();
        assert_eq!(h.status, HazardStatus::Rectifying);
        assert_eq!(h.take(&rectify, RESP, 0, NOW), Err(HazardError::WrongState));
        assert_eq!(h.take(&Step::TickOff { text: String::new() }, INSP, 1, NOW), Err(HazardError::WrongState), "not before the check");
        assert_eq!(h.take(&Step::Check { passed: true, text: String::new() }, RESP, 0, NOW), Err(HazardError::NotYourStep), "no unit checks itself");
        assert_eq!(h.take(&Step::Check { passed: false, text: String::new() }, INSP, 0, NOW), Err(HazardError::Required("text".into())));
        h.take(&Step::Check { passed: false, text: "仍有杂物".into() }, INSP, 0, NOW).unwrap();
        assert_eq!(h.status, HazardStatus::Rectifying, "a failed check sends it back to work");
        h.take(&Step::Check { passed: true, text: String::new() }, INSP, 0, NOW).unwrap();
        assert_eq!(h.status, HazardStatus::Checked);
        assert_eq!(h.take(&Step::TickOff { text: String::new() }, INSP, 0, NOW), Err(HazardError::PhotosRequired));
        assert_eq!(h.status, HazardStatus::Checked, "a refused step changes nothing");
        h.take(&Step::TickOff { text: String::new() }, INSP, 2, NOW + 5).unwrap();
        assert_eq!((h.status, h.ticked_off_ms), (HazardStatus::TickedOff, Some(NOW + 5)));
        assert_eq!(h.take(&Step::Progress { text: "x".into() }, RESP, 0, NOW), Err(HazardError::WrongState));
        assert!(h.steps_for(StepBy { responsible: true, inspecting: true, supervises: true }).is_empty());
    }

    #[test]
    fn a_progress_note_needs_words_or_photos() {
        let mut h = hazard();
        assert_eq!(h.take(&Step::Progress { text: String::new() }, RESP, 0, NOW), Err(HazardError::Required("text".into())));
        h.take(&Step::Progress { text: String::new() }, RESP, 1, NOW).unwrap();
        h.take(&Step::Progress { text: "材料已到".into() }, INSP, 0, NOW).unwrap();
        assert_eq!(h.status, HazardStatus::Found);
    }

    #[test]
    fn supervision_only_rises() {
        let mut h = hazard();
        assert_eq!(h.take(&Step::Watch { watch: Watch::Tracking, text: String::new() }, RESP, 0, NOW), Err(HazardError::NotYourStep));
        h.take(&Step::Watch { watch: Watch::Tracking, text: String::new() }, SUP, 0, NOW).unwrap();
        assert_eq!(h.take(&Step::Watch { watch: Watch::Tracking, text: String::new() }, SUP, 0, NOW), Err(HazardError::WrongState));
        h.take(&Step::Watch { watch: Watch::Listed, text: "挂牌".into() }, SUP, 0, NOW).unwrap();
        assert_eq!(h.watch, Some(Watch::Listed));
        assert!(!h.steps_for(SUP).contains(&StepKind::Watch));
        assert_eq!(h.take(&Step::Watch { watch: Watch::Tracking, text: String::new() }, SUP, 0, NOW), Err(HazardError::WrongState));
    }

    #[test]
    fn overdue_after_the_deadline_until_checked_flagged_once() {
        let mut h = hazard();
        let d = h.facts.deadline_ms;
        assert_eq!(h.next_due(), Some(d + 1));
        assert!(!h.flag_overdue(d), "at the deadline it is still in time");
        assert!(h.flag_overdue(d + 1));
        assert!(!h.flag_overdue(d + 2), "flagged once");
        assert_eq!(h.next_due(), None);
        let mut h = hazard();
        h.status = HazardStatus::Checked;
        assert!(!h.is_overdue(d + 1), "checked in time: the deadline is met");
        assert_eq!(h.next_due(), None);
    }

    #[test]
    fn the_filter_round_trips_and_refuses_what_it_does_not_know() {
        let q = |s: &str| s.split('&').map(|p| p.split_once('=').map(|(a, b)| (a.to_string(), b.to_string())).unwrap()).collect::<Vec<_>>();
        let f = HazardFilter::from_query(&q("domain=fire&township=3&overdue=1&watch=listed&case=41&page=2")).unwrap();
        assert!(f.open && f.overdue);
        assert_eq!(f.case_id, Some(41));
        assert_eq!(HazardFilter::from_query(&q(&f.to_query())).unwrap(), f);
        assert!(!HazardFilter::from_query(&q("open=0")).unwrap().open);
        assert!(HazardFilter::from_query(&q("domain=weather")).is_err());
        assert!(HazardFilter::from_query(&q("page=-1")).is_err());
        assert!(HazardFilter::from_query(&q("township=x")).is_err());
        assert!(HazardFilter::from_query(&q("case=x")).is_err());
    }

    #[test]
    fn the_tally_counts_each_hazard_once_per_key() {
        let row = |key: &str, status, level, watch, overdue, count| CountRow { key: key.into(), status, level, watch, overdue, count };
        let rows = [
            row("fire", HazardStatus::Found, HazardLevel::Major, Some(Watch::Listed), true, 2),
            row("fire", HazardStatus::Checked, HazardLevel::General, None, true, 1),
            row("fire", HazardStatus::TickedOff, HazardLevel::Major, None, false, 4),
            row("other", HazardStatus::Found, HazardLevel::General, None, false, 1),
        ];
        let t = tally(&rows, &[("road_traffic".into(), "道路交通".into()), ("fire".into(), "消防".into())]);
        assert_eq!(t[0], HazardTally { key: "road_traffic".into(), name: "道路交通".into(), ..Default::default() });
        assert_eq!((t[1].total, t[1].open, t[1].major_open, t[1].overdue, t[1].listed, t[1].ticked_off), (7, 3, 2, 2, 2, 4));
        assert_eq!(t[2].key, "other");
    }
}
