//! The command screen's figures (一屏掌控): what the wall and the desk home show, and the
//! rules that turn records into them — above all the 5-minute promise, measured per
//! palm command. Every count carries the case-list filter that finds the same cases, so a
//! figure is a link whose list has exactly that many rows.
use super::case::{CaseFilter, CaseId, CaseKind, Channel, UnitId};
use serde::{Deserialize, Serialize};

/// The center's promise: every unit of a palm command signs within five minutes.
pub const PROMISE_MS: i64 = 5 * 60 * 1000;
/// Days of history in the trend charts.
pub const TREND_DAYS: i64 = 30;

/// A count of cases and the filter that lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    pub value: i64,
    pub filter: CaseFilter,
}

impl Figure {
    /// The desk's case list showing these cases.
    pub fn href(&self) -> String {
        format!("/center/cases{}", self.filter.to_query())
    }
}

/// The screen's shares; kept in `rate` so other figures (risk, mediation) use it without
/// depending on the screen.
pub use super::rate::Rate;

/// One palm command's timing, as the promise is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandTiming {
    pub received_ms: i64,
    pub launched_ms: i64,
    /// When the last unit signed (全部到位); `None` while one has not.
    pub signed_ms: Option<i64>,
}

impl CommandTiming {
    pub fn launch_to_signed_ms(&self) -> Option<i64> {
        self.signed_ms.map(|s| s - self.launched_ms)
    }

    pub fn receipt_to_signed_ms(&self) -> Option<i64> {
        self.signed_ms.map(|s| s - self.received_ms)
    }

    /// Kept: every unit signed within five minutes of the launch.
    pub fn kept(&self) -> bool {
        self.launch_to_signed_ms().is_some_and(|d| d <= PROMISE_MS)
    }

    /// Whether the promise can still be kept at `now` (launched under five minutes ago
    /// and not yet fully signed): such a command is neither kept nor broken yet.
    pub fn pending(&self, now_ms: i64) -> bool {
        self.signed_ms.is_none() && now_ms - self.launched_ms <= PROMISE_MS
    }
}

/// The promise over a period's commands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Promise {
    /// Commands launched in the period.
    pub launched: i64,
    /// Kept, out of those decided (kept or broken; pending ones wait).
    pub kept: Rate,
    /// Median time from launch to the last signature, over fully signed commands.
    pub median_launch_ms: Option<i64>,
    /// Median time from the case's receipt to the last signature.
    pub median_receipt_ms: Option<i64>,
}

impl Promise {
    pub fn measure(commands: &[CommandTiming], now_ms: i64) -> Promise {
        let decided = commands.iter().filter(|c| !c.pending(now_ms)).count() as i64;
        let kept = commands.iter().filter(|c| c.kept()).count() as i64;
        Promise {
            launched: commands.len() as i64,
            kept: Rate { part: kept, whole: decided },
            median_launch_ms: median(commands.iter().filter_map(CommandTiming::launch_to_signed_ms).collect()),
            median_receipt_ms: median(commands.iter().filter_map(CommandTiming::receipt_to_signed_ms).collect()),
        }
    }
}

/// The middle value (the lower of the two middle ones for an even count, so it is always
/// a time that happened).
pub fn median(mut v: Vec<i64>) -> Option<i64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    Some(v[(v.len() - 1) / 2])
}

/// The headline counters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counters {
    pub received_today: Figure,
    pub received_month: Figure,
    pub received_year: Figure,
    pub open: Figure,
    pub overdue: Figure,
    pub in_command: Figure,
    pub closed_month: Figure,
    /// Of the cases closed this month, those resolved within their time.
    pub on_time: Rate,
    /// Of this month's ratings, the satisfied ones.
    pub satisfied: Rate,
}

/// One bar of a chart: a label, its count, and the list behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bar {
    pub key: String,
    pub label: String,
    pub figure: Figure,
}

/// A unit's part in a live command, as the feed shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandUnit {
    pub unit: UnitId,
    pub name: String,
    pub lead: bool,
    pub signed_ms: Option<i64>,
    /// When its 5 minutes to sign run out.
    pub sign_due_ms: i64,
}

/// A live palm command on the feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveCommand {
    pub case_id: CaseId,
    pub code: String,
    pub title: String,
    pub place: Option<String>,
    pub timing: CommandTiming,
    pub units: Vec<CommandUnit>,
}

/// A township on the map: its point and its open and overdue cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TownshipLoad {
    pub area_id: i64,
    pub name: String,
    pub lat_e6: Option<i64>,
    pub lng_e6: Option<i64>,
    pub open: Figure,
    pub overdue: Figure,
    pub in_command: i64,
}

/// An open case with a location, as a dot on the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDot {
    pub case_id: CaseId,
    pub lat_e6: i64,
    pub lng_e6: i64,
    pub overdue: bool,
    pub in_command: bool,
}

/// Everything the wall shows, at `now_ms`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Screen {
    pub now_ms: i64,
    pub counters: Counters,
    pub promise_today: Promise,
    pub promise_month: Promise,
    pub commands: Vec<LiveCommand>,
    /// Cases received per local day, oldest first, `TREND_DAYS` of them ending today.
    pub per_day: Vec<Bar>,
    pub by_kind: Vec<Bar>,
    pub by_channel: Vec<Bar>,
    pub by_township: Vec<Bar>,
    pub top_categories: Vec<Bar>,
    pub overdue_by_unit: Vec<Bar>,
    pub townships: Vec<TownshipLoad>,
    pub dots: Vec<CaseDot>,
    /// The year's risk warnings and the disputes' first-time resolution rate.
    pub risk: crate::domain::risk::figures::RiskFigures,
    /// Who is on duty now by the roster, the center first.
    pub on_duty: Vec<crate::domain::duty::DutyLine>,
    /// The open safety hazards with a point, the major and the overdue first.
    #[serde(default)]
    pub hazards: Vec<crate::domain::hazard::HazardPoint>,
}

/// The desk's home (`/center`): today's work with the screen's counters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskHome {
    pub now_ms: i64,
    pub counters: Counters,
    /// New cases not yet looked at (受理待研判).
    pub to_triage: Figure,
    /// Triaged, waiting to be dispatched (待分拨).
    pub to_dispatch: Figure,
    /// Resolved by their units, waiting for the center's check (待核查).
    pub to_verify: Figure,
    /// Checked, waiting for the resident's answer (待回访).
    pub follow_ups: Figure,
    /// Live commands with a unit that has not signed yet.
    pub unsigned_commands: Vec<LiveCommand>,
}

/// A leader's phone (`/field/overview`): the headline figures and the live commands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Headline {
    pub now_ms: i64,
    pub counters: Counters,
    pub promise_today: Promise,
    pub promise_month: Promise,
    pub commands: Vec<LiveCommand>,
}

/// The filter of cases received in the trend window (the last `TREND_DAYS` local days,
/// today included), which every trend chart narrows.
pub fn trend_window(today_start_ms: i64) -> CaseFilter {
    let day = super::clock::DAY_MS;
    CaseFilter { from_ms: Some(today_start_ms - (TREND_DAYS - 1) * day), to_ms: Some(today_start_ms + day), ..Default::default() }
}

/// The bars of a count per key, biggest first, ties by key so the order is stable.
pub fn ranked(mut bars: Vec<Bar>, keep: usize) -> Vec<Bar> {
    bars.sort_by(|a, b| b.figure.value.cmp(&a.figure.value).then_with(|| a.key.cmp(&b.key)));
    bars.truncate(keep);
    bars
}

/// A figure for every value of a coded field in its declared order, zero where `counts`
/// (code, count) has none, each narrowing the window's filter to its value: the charts of
/// kinds and channels keep their shape from day to day.
fn every<T: Copy>(all: &[T], code: fn(T) -> &'static str, narrow: fn(T, &mut CaseFilter), counts: &[(String, i64)], window: &CaseFilter) -> Vec<(T, Figure)> {
    all.iter()
        .map(|&v| {
            let mut filter = window.clone();
            narrow(v, &mut filter);
            (v, Figure { value: counts.iter().find(|c| c.0 == code(v)).map_or(0, |c| c.1), filter })
        })
        .collect()
}

pub fn every_kind(counts: &[(String, i64)], window: &CaseFilter) -> Vec<(CaseKind, Figure)> {
    every(CaseKind::ALL, CaseKind::code, |k, f| f.kind = Some(k), counts, window)
}

pub fn every_channel(counts: &[(String, i64)], window: &CaseFilter) -> Vec<(Channel, Figure)> {
    every(Channel::ALL, Channel::code, |c, f| f.channel = Some(c), counts, window)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;

    fn timing(received: i64, launched: i64, signed: Option<i64>) -> CommandTiming {
        CommandTiming { received_ms: received, launched_ms: launched, signed_ms: signed }
    }

    #[test]
    fn the_promise_is_kept_at_five_minutes_and_broken_after() {
        assert!(timing(0, 0, Some(PROMISE_MS)).kept());
        assert!(!timing(0, 0, Some(PROMISE_MS + 1)).kept());
        assert!(!timing(0, 0, None).kept());
    }

    #[test]
    fn a_command_still_inside_its_five_minutes_is_neither_kept_nor_broken() {
        let now = 100 * MIN;
        let cmds = [
            timing(0, 10 * MIN, Some(12 * MIN)),        // kept in 2 minutes
            timing(0, 20 * MIN, Some(29 * MIN)),        // broken: 9 minutes
            timing(0, 30 * MIN, None),                  // broken: never signed, long past
            timing(90 * MIN, now - 2 * MIN, None),      // pending
            timing(80 * MIN, now - 4 * MIN, Some(now)), // kept in 4 minutes
        ];
        let p = Promise::measure(&cmds, now);
        assert_eq!(p.launched, 5);
        assert_eq!(p.kept, Rate { part: 2, whole: 4 });
        // Launch to last signature: 2, 4, 9 minutes.
        assert_eq!(p.median_launch_ms, Some(4 * MIN));
        // Receipt to last signature: 12, 29 and 20 minutes.
        assert_eq!(p.median_receipt_ms, Some(20 * MIN));
        assert_eq!(Promise::measure(&[], now), Promise::default());
    }

    #[test]
    fn the_median_is_a_time_that_happened() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![7]), Some(7));
        assert_eq!(median(vec![9, 1, 5, 3]), Some(3));
    }

    #[test]
    fn charts_keep_every_kind_and_rank_the_rest() {
        let window = trend_window(0);
        let kinds = every_kind(&[(CaseKind::ALL[2].code().to_string(), 4)], &window);
        assert_eq!(kinds.len(), CaseKind::ALL.len());
        assert_eq!(kinds[2].1.value, 4);
        assert_eq!(kinds[0].1.value, 0);
        assert_eq!(kinds[2].1.filter.kind, Some(CaseKind::ALL[2]));
        assert_eq!(kinds[2].1.filter.from_ms, Some(-(TREND_DAYS - 1) * super::super::clock::DAY_MS));
        assert_eq!(kinds[2].1.filter.to_ms, Some(super::super::clock::DAY_MS), "the window ends with today");
        let bar = |k: &str, v| Bar { key: k.into(), label: k.into(), figure: Figure { value: v, filter: window.clone() } };
        let r = ranked(vec![bar("b", 1), bar("a", 1), bar("c", 5)], 2);
        assert_eq!(r.iter().map(|b| b.key.as_str()).collect::<Vec<_>>(), ["c", "a"]);
    }
}
