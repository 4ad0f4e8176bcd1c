//! Evaluation (考评): a score per unit per period over the six dimensions of DESIGN.md.
//! Each dimension is a rate between two counts of marks, and each mark is a fact about one
//! unit on one case at one instant, taken from the case's history as it is written (`marks`):
//! a signature on time or late, a result by the deadline or after it, a resident's rating, a
//! case closed without having been reopened, a cooperating part finished, a dispatch, a return
//! or a reopening. A period's score counts the marks dated in it, so a later change to an old
//! case marks a later period; closing a period also freezes its scores and weights.
use super::case::{Case, CaseEvent, CaseId, Change, UnitId};
use super::period::Period;
use serde::{Deserialize, Serialize};

coded_enum!(super::report::ReportError =>
    /// What a mark records.
    Measure {
        /// A unit signed a dispatch; hit when within its time to sign.
        Ack => "ack",
        /// The lead unit gave its result; hit when by the case's deadline.
        OnTime => "on_time",
        /// The resident rated the lead unit's result; hit when satisfied.
        Rated => "rated",
        /// The case was closed under the lead unit; hit when it had never been reopened.
        FirstTime => "first_time",
        /// A cooperating unit finished its part; hit when by the case's deadline.
        Coop => "coop",
        /// A unit was dispatched the case (the base of the rework rate).
        Assigned => "assigned",
        /// A unit sent the case back, or its result was reopened.
        Reworked => "reworked",
    }
);

coded_enum!(super::report::ReportError =>
    /// The six dimensions, in DESIGN.md's order.
    Dimension {
        AckOnTime => "ack_on_time",
        ResolvedOnTime => "resolved_on_time",
        Satisfaction => "satisfaction",
        FirstTime => "first_time",
        Cooperation => "cooperation",
        Rework => "rework",
    }
);

/// One fact about one unit on one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    pub unit: UnitId,
    pub measure: Measure,
    pub at_ms: i64,
    pub hit: bool,
}

/// The marks a change of a case leaves: `events` are the change's, `case` its state after them.
pub fn marks(case: &Case, events: &[CaseEvent]) -> Vec<Mark> {
    let lead = case.lead().map(|a| a.unit);
    let mut out = Vec::new();
    let mut mark = |unit: Option<UnitId>, measure: Measure, at_ms: i64, hit: bool| {
        if let Some(unit) = unit {
            out.push(Mark { unit, measure, at_ms, hit });
        }
    };
    for e in events {
        let at = e.at_ms;
        match &e.change {
            Change::Dispatched { lead, cooperating, .. } => {
                for u in std::iter::once(lead).chain(cooperating) {
                    mark(Some(*u), Measure::Assigned, at, false);
                }
            }
            Change::Signed { unit, late } => mark(Some(*unit), Measure::Ack, at, !late),
            Change::Resolved { unit, on_time, .. } => mark(Some(*unit), Measure::OnTime, at, *on_time),
            Change::PartFinished { unit } => mark(Some(*unit), Measure::Coop, at, at <= case.sla.deadline_ms()),
            Change::FollowUpRecorded { satisfied: Some(s), .. } => mark(lead, Measure::Rated, at, *s),
            Change::Closed { .. } => mark(lead, Measure::FirstTime, at, !was_reopened(case)),
            Change::Returned { unit, .. } => mark(Some(*unit), Measure::Reworked, at, true),
            Change::Reopened { .. } => mark(lead, Measure::Reworked, at, true),
            _ => {}
        }
    }
    out
}

/// A lead unit of an earlier round gave a result, yet the case went round again: it was reopened.
fn was_reopened(case: &Case) -> bool {
    case.assignments.iter().any(|a| a.lead && a.round < case.round && a.done_ms.is_some())
}

/// How a dimension is counted: its denominator's measure, and whether the numerator is that
/// measure's hits or (for rework) another measure's marks.
pub struct Formula {
    pub base: Measure,
    pub count: Option<Measure>,
    /// Lower is better: the score is 100 × (1 − rate).
    pub inverted: bool,
}

impl Dimension {
    pub fn formula(self) -> Formula {
        let hits = |base| Formula { base, count: None, inverted: false };
        match self {
            Dimension::AckOnTime => hits(Measure::Ack),
            Dimension::ResolvedOnTime => hits(Measure::OnTime),
            Dimension::Satisfaction => hits(Measure::Rated),
            Dimension::FirstTime => hits(Measure::FirstTime),
            Dimension::Cooperation => hits(Measure::Coop),
            Dimension::Rework => Formula { base: Measure::Assigned, count: Some(Measure::Reworked), inverted: true },
        }
    }

    /// Default weights, out of 100 (an administrator may change them).
    pub fn default_weight(self) -> u32 {
        match self {
            Dimension::AckOnTime => 15,
            Dimension::ResolvedOnTime => 25,
            Dimension::Satisfaction => 25,
            Dimension::FirstTime => 15,
            Dimension::Cooperation => 10,
            Dimension::Rework => 10,
        }
    }
}

/// The weights of the six dimensions, in `Dimension::ALL`'s order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Weights(pub [u32; 6]);

impl Default for Weights {
    fn default() -> Self {
        let mut w = [0; 6];
        for (i, d) in Dimension::ALL.iter().enumerate() {
            w[i] = d.default_weight();
        }
        Weights(w)
    }
}

impl Weights {
    /// Each weight 0–100, and at least one above 0.
    pub fn checked(w: [u32; 6]) -> Result<Weights, super::report::ReportError> {
        if w.iter().any(|x| *x > 100) || w.iter().all(|x| *x == 0) {
            return Err(super::report::ReportError::BadWeights);
        }
        Ok(Weights(w))
    }

    pub fn of(&self, d: Dimension) -> u32 {
        Dimension::ALL.iter().position(|x| *x == d).map_or(0, |i| self.0[i])
    }
}

/// A unit's counts of each measure in a period: (marks, hits).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts(pub Vec<(Measure, i64, i64)>);

impl Counts {
    pub fn get(&self, m: Measure) -> (i64, i64) {
        self.0.iter().find(|(x, _, _)| *x == m).map_or((0, 0), |(_, n, h)| (*n, *h))
    }
}

/// One dimension's score: `numerator / denominator`, as 0–100 (None without a denominator).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DimensionScore {
    pub dimension: Dimension,
    pub numerator: i64,
    pub denominator: i64,
    pub score: Option<f64>,
}

impl DimensionScore {
    pub fn of(d: Dimension, counts: &Counts) -> DimensionScore {
        let f = d.formula();
        let (denominator, hits) = counts.get(f.base);
        let numerator = match f.count {
            Some(m) => counts.get(m).0,
            None => hits,
        };
        let score = (denominator > 0).then(|| {
            let rate = (numerator as f64 / denominator as f64).clamp(0.0, 1.0);
            100.0 * if f.inverted { 1.0 - rate } else { rate }
        });
        DimensionScore { dimension: d, numerator, denominator, score }
    }
}

/// A unit's scores in a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitScore {
    pub unit_id: UnitId,
    pub unit: String,
    pub dimensions: Vec<DimensionScore>,
    /// The weighted mean of the dimensions that have cases; None when none has.
    pub total: Option<f64>,
}

impl UnitScore {
    pub fn of(unit_id: UnitId, unit: String, counts: &Counts, w: &Weights) -> UnitScore {
        let dimensions: Vec<DimensionScore> = Dimension::ALL.iter().map(|d| DimensionScore::of(*d, counts)).collect();
        let (sum, weight) = dimensions
            .iter()
            .filter_map(|s| s.score.map(|v| (v * w.of(s.dimension) as f64, w.of(s.dimension) as f64)))
            .fold((0.0, 0.0), |(a, b), (v, x)| (a + v, b + x));
        UnitScore { unit_id, unit, dimensions, total: (weight > 0.0).then(|| sum / weight) }
    }

    pub fn dimension(&self, d: Dimension) -> Option<&DimensionScore> {
        self.dimensions.iter().find(|s| s.dimension == d)
    }
}

/// Best first; units without any score last, by name. Two units with the same total share
/// a rank (1, 2, 2, 4).
pub fn rank(mut units: Vec<UnitScore>) -> Vec<(usize, UnitScore)> {
    units.sort_by(|a, b| match (a.total, b.total) {
        (Some(x), Some(y)) => y.total_cmp(&x).then_with(|| a.unit.cmp(&b.unit)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.unit.cmp(&b.unit),
    });
    let mut out: Vec<(usize, UnitScore)> = Vec::with_capacity(units.len());
    for (i, u) in units.into_iter().enumerate() {
        let rank = match out.last() {
            Some((r, prev)) if prev.total.is_some() && rounded(prev.total) == rounded(u.total) => *r,
            _ => i + 1,
        };
        out.push((rank, u));
    }
    out
}

/// Scores as shown, to two decimals: what "the same score" means for a shared rank.
fn rounded(v: Option<f64>) -> Option<i64> {
    v.map(|x| (x * 100.0).round() as i64)
}

/// A period's evaluation as the pages show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub period: Period,
    pub weights: Weights,
    pub ranking: Vec<(usize, UnitScore)>,
    /// How many units the period ranks (a unit's reader sees only its own line).
    pub ranked: usize,
    pub computed_ms: i64,
    /// Set when the period was closed: the scores are those stored then.
    pub frozen_ms: Option<i64>,
    pub frozen_by: Option<String>,
}

/// The evaluation page: the period's ranking, the periods to choose from, and what the
/// reader may do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluationPage {
    pub evaluation: Evaluation,
    pub offered: Vec<Period>,
    /// Supervisors and leaders close a period that is over.
    pub may_freeze: bool,
    /// Administrators set the weights.
    pub may_weigh: bool,
    /// Each unit's emergency reporting over the period (迟报、漏报、瞒报、谎报), beside the
    /// scores: the six dimensions are the cases', this record is the safety committee's.
    pub emergencies: Vec<super::emergency::UnitTally>,
}

/// One case behind a score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkRow {
    pub case_id: CaseId,
    pub code: String,
    pub title: String,
    pub at_ms: i64,
    pub hit: bool,
}

/// The cases behind one unit's score in one dimension: the denominator's marks and the
/// numerator's (for rework: the returns and reopenings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrillDown {
    pub period: Period,
    pub unit: String,
    pub dimension: Dimension,
    pub base: Vec<MarkRow>,
    /// All of them, even beyond the rows listed: the score's denominator.
    pub base_total: i64,
    pub counted: Vec<MarkRow>,
    pub counted_total: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::{Actor, CaseCommand, CaseKind, Category, Channel, Intake, SlaClass, Urgency};
    use crate::domain::org::Role;

    const H: i64 = 3_600_000;

    fn counts(v: &[(Measure, i64, i64)]) -> Counts {
        Counts(v.to_vec())
    }

    #[test]
    fn each_dimension_is_its_rate_and_rework_counts_against() {
        let c = counts(&[(Measure::Ack, 10, 9), (Measure::OnTime, 4, 3), (Measure::Rated, 5, 5), (Measure::Assigned, 20, 0), (Measure::Reworked, 5, 5)]);
        let s = |d| DimensionScore::of(d, &c);
        assert_eq!((s(Dimension::AckOnTime).numerator, s(Dimension::AckOnTime).denominator, s(Dimension::AckOnTime).score), (9, 10, Some(90.0)));
        assert_eq!(s(Dimension::ResolvedOnTime).score, Some(75.0));
        assert_eq!(s(Dimension::Satisfaction).score, Some(100.0));
        assert_eq!((s(Dimension::Rework).numerator, s(Dimension::Rework).denominator, s(Dimension::Rework).score), (5, 20, Some(75.0)));
        assert_eq!(s(Dimension::FirstTime).score, None, "no closed case: no score, not zero");
        // More returns than dispatches (a case returned twice) cannot go below zero.
        assert_eq!(DimensionScore::of(Dimension::Rework, &counts(&[(Measure::Assigned, 1, 0), (Measure::Reworked, 3, 3)])).score, Some(0.0));
    }

    #[test]
    fn the_total_is_the_weighted_mean_of_the_dimensions_with_cases() {
        let c = counts(&[(Measure::Ack, 10, 10), (Measure::OnTime, 10, 5)]);
        let w = Weights::checked([10, 30, 25, 15, 10, 10]).unwrap();
        let u = UnitScore::of(1, "甲".into(), &c, &w);
        // (100 × 10 + 50 × 30) / 40; the four dimensions without cases weigh nothing.
        assert_eq!(u.total, Some(62.5));
        assert_eq!(UnitScore::of(2, "乙".into(), &Counts::default(), &w).total, None);
        assert!(Weights::checked([0; 6]).is_err());
        assert!(Weights::checked([101, 0, 0, 0, 0, 0]).is_err());
        assert_eq!(Weights::default().0.iter().sum::<u32>(), 100);
    }

    #[test]
    fn ties_share_a_rank_and_units_without_cases_come_last() {
        let w = Weights::default();
        let unit = |id, name: &str, hits| UnitScore::of(id, name.into(), &counts(&[(Measure::Ack, 4, hits)]), &w);
        let ranked = rank(vec![unit(1, "丙", 2), unit(2, "甲", 4), UnitScore::of(3, "乙".into(), &Counts::default(), &w), unit(4, "丁", 4), unit(5, "戊", 1)]);
        let view: Vec<(usize, &str)> = ranked.iter().map(|(r, u)| (*r, u.unit.as_str())).collect();
        assert_eq!(view, [(1, "丁"), (1, "甲"), (3, "丙"), (4, "戊"), (5, "乙")]);
    }

    fn case_with(steps: Vec<(i64, Actor, CaseCommand)>) -> (Case, Vec<CaseEvent>) {
        let cat = Category::preset("road", "道路", CaseKind::GovernanceIncident, SlaClass::Utilities).unwrap();
        let intake = Intake::new(&cat, Channel::Hotline12345, Urgency::Normal).unwrap();
        let op = Actor::staff(1, Role::Operator, None);
        let (mut case, first) = Case::receive(7, intake, &op, 0).unwrap();
        let mut all = vec![first];
        all.extend(case.execute(&op, 1, &CaseCommand::Triage).unwrap());
        for (at, by, cmd) in steps {
            all.extend(case.execute(&by, at, &cmd).unwrap_or_else(|e| panic!("{cmd:?}: {e}")));
        }
        (case, all)
    }

    #[test]
    fn a_cases_history_leaves_one_mark_per_fact() {
        let op = Actor::staff(1, Role::Operator, None);
        let town = Actor::staff(2, Role::UnitStaff, Some(10));
        let water = Actor::staff(3, Role::UnitStaff, Some(11));
        let steps = vec![
            (H, op.clone(), CaseCommand::Dispatch { lead: 10, cooperating: vec![11] }),
            (H + 60_000, town.clone(), CaseCommand::Sign { unit: 10 }),
            // The water company signs an hour late.
            (2 * H, water.clone(), CaseCommand::Sign { unit: 11 }),
            (3 * H, water.clone(), CaseCommand::FinishPart { unit: 11 }),
            (4 * H, town.clone(), CaseCommand::Resolve { unit: 10, result: "已修复".into() }),
        ];
        let (case, events) = case_with(steps);
        let m = marks(&case, &events);
        let find = |unit, measure| m.iter().filter(|x| x.unit == unit && x.measure == measure).map(|x| x.hit).collect::<Vec<_>>();
        assert_eq!(find(10, Measure::Assigned), [false]);
        assert_eq!(find(11, Measure::Assigned), [false]);
        assert_eq!(find(10, Measure::Ack), [true]);
        assert_eq!(find(11, Measure::Ack), [false], "signed after the five minutes");
        assert_eq!(find(11, Measure::Coop), [true]);
        assert_eq!(find(10, Measure::OnTime), [true]);
        assert_eq!(m.len(), 6, "nothing else: {m:?}");
    }

    #[test]
    fn a_reopened_case_counts_against_first_time_resolution_and_as_rework() {
        let op = Actor::staff(1, Role::Operator, None);
        let town = Actor::staff(2, Role::UnitStaff, Some(10));
        let round = |t: i64| {
            vec![
                (t, op.clone(), CaseCommand::Dispatch { lead: 10, cooperating: vec![] }),
                (t + 60_000, town.clone(), CaseCommand::Sign { unit: 10 }),
                (t + H, town.clone(), CaseCommand::Resolve { unit: 10, result: "已处理".into() }),
                (t + 2 * H, op.clone(), CaseCommand::Verify),
            ]
        };
        let mut steps = round(H);
        steps.push((5 * H, op.clone(), CaseCommand::RecordFollowUp { satisfied: Some(false), comment: None }));
        // Unsatisfied: the case is reopened at once, against the unit that resolved it.
        steps.extend(round(7 * H));
        steps.push((11 * H, op.clone(), CaseCommand::RecordFollowUp { satisfied: Some(true), comment: None }));
        let (case, events) = case_with(steps);
        let m = marks(&case, &events);
        let find = |measure| m.iter().filter(|x| x.measure == measure).map(|x| (x.unit, x.hit)).collect::<Vec<_>>();
        assert_eq!(find(Measure::Reworked), [(10, true)], "the unsatisfied result was reopened once");
        assert_eq!(find(Measure::Assigned), [(10, false), (10, false)]);
        assert_eq!(find(Measure::Rated), [(10, false), (10, true)]);
        assert_eq!(find(Measure::FirstTime), [(10, false)], "closed only after a reopening");
        // The same story satisfied the first time is a first-time resolution.
        let mut once = round(H);
        once.push((5 * H, op.clone(), CaseCommand::RecordFollowUp { satisfied: Some(true), comment: None }));
        let (case, events) = case_with(once);
        assert!(marks(&case, &events).contains(&Mark { unit: 10, measure: Measure::FirstTime, at_ms: 5 * H, hit: true }));
    }
}
