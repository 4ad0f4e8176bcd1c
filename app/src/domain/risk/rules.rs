//! The rules on the case stream. Each looks at a new case (`Fact`) beside the recent cases
//! the store found for it and says whether they make a `Trigger`; `decide` then says
//! whether a trigger raises a warning, adds its new cases to one still open, or does nothing,
//! so a cluster that grows stays one warning.
use super::mass;
use super::settings::Settings;
use super::{RiskError, Rule};
use crate::domain::case::{CaseId, GeoPoint};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

const HOUR_MS: i64 = 3600 * 1000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// What the rules know of a case.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Fact {
    pub case_id: CaseId,
    pub received_ms: i64,
    pub category: String,
    pub village_id: Option<i64>,
    pub township_id: Option<i64>,
    pub point: Option<GeoPoint>,
    /// The reporter's phone, hashed (`store` keeps only the hash).
    pub phone_hash: Option<String>,
    /// The place as a cell of about 100 m (`place_cell`).
    pub place_cell: Option<String>,
    pub text: String,
}

/// The cell a point falls in: thousandths of a degree, about 110 m north–south and 100 m
/// east–west here. Reports from one cell count as from one place.
pub fn place_cell(p: &GeoPoint) -> String {
    format!("{}:{}", p.lat_e6.div_euclid(1000), p.lng_e6.div_euclid(1000))
}

/// A rule's finding: the cases that together meet it, the new one among them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    pub rule: Rule,
    /// How many of `cases` a fresh warning needs (N or K; 1 for one-case rules).
    pub min_cases: usize,
    pub cases: BTreeSet<CaseId>,
    /// What the warning says it saw, for its title (the category, the place, the word).
    pub evidence: String,
}

/// How many of the newest cases a rule reads back for one new case: enough to meet its
/// threshold twice over. The older cases of a long cluster were linked as they came, so a
/// longer read finds nothing new; and every row read costs a busy intake time.
pub fn look_back(min_cases: u32) -> i64 {
    (i64::from(min_cases) * 2).max(30)
}

/// The first, short look back: just the cases a rule needs to fire (the new one among them).
/// Most intakes that meet a rule grow a warning already open, which these show.
pub fn quick_look_back(min_cases: u32) -> i64 {
    i64::from(min_cases.max(1))
}

/// Whether a short look back saw all the cluster rule needs: fewer cases than it read are
/// every case of the window; as many are enough when the rule fired on them. A case placed
/// by a point reads a box, whose corners lie beyond the radius, so a full short list can fail
/// to fire where a longer one would not. (A repeat list as long as the short read always
/// fires: all its cases share the key in the window.)
pub fn quick_look_settled(read: usize, limit: i64, fired: bool) -> bool {
    fired || (read as i64) < limit
}

/// Where a case placed by a point alone looks for neighbours: the box, in millionths of a
/// degree, holding every point within `radius_m` of `p` (the distance itself is checked by
/// `cluster`). Lets the store read only the neighbourhood rather than the district.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NearBox {
    pub lat_min: i64,
    pub lat_max: i64,
    pub lng_min: i64,
    pub lng_max: i64,
}

pub fn near_box(p: &GeoPoint, radius_m: u32) -> NearBox {
    const METRES_PER_DEGREE: f64 = 111_195.0;
    // One metre of slack each way: the box must never cut off a point the distance keeps.
    let r = f64::from(radius_m) + 1.0;
    let dlat = (r / METRES_PER_DEGREE * 1e6).ceil() as i64;
    let dlng = (r / (METRES_PER_DEGREE * p.lat().to_radians().cos().max(0.01)) * 1e6).ceil() as i64;
    NearBox { lat_min: p.lat_e6 - dlat, lat_max: p.lat_e6 + dlat, lng_min: p.lng_e6 - dlng, lng_max: p.lng_e6 + dlng }
}

/// Which recent cases the store must read for `new`: same category within the cluster
/// window, same phone or cell within the repeat window. Times are `[since, new]`.
pub fn cluster_since(s: &Settings, new: &Fact) -> i64 {
    new.received_ms - s.cluster.window_hours as i64 * HOUR_MS
}

pub fn repeat_since(s: &Settings, new: &Fact) -> i64 {
    new.received_ms - s.repeat.window_days as i64 * DAY_MS
}

/// Cluster: ≥ N cases of `new`'s category in its village — or, for a case placed by a point
/// alone, within R metres of it — within T hours. `same_category` are the other cases of the
/// category received in the window (in its village, when it has one).
pub fn cluster(s: &Settings, new: &Fact, same_category: &[Fact]) -> Option<Trigger> {
    if !s.cluster.on {
        return None;
    }
    let since = cluster_since(s, new);
    let recent =
        same_category.iter().filter(|f| f.case_id != new.case_id && f.category == new.category && f.received_ms >= since && f.received_ms <= new.received_ms);
    let n = s.cluster.min_cases as usize;
    let with_new = |found: BTreeSet<CaseId>| {
        let mut all = found;
        all.insert(new.case_id);
        all
    };
    if let Some(v) = new.village_id {
        let same: BTreeSet<_> = recent.filter(|f| f.village_id == Some(v)).map(|f| f.case_id).collect();
        return (same.len() + 1 >= n).then(|| Trigger { rule: Rule::Cluster, min_cases: n, cases: with_new(same), evidence: new.category.clone() });
    }
    let p = new.point?;
    let near: BTreeSet<_> = recent.filter(|f| f.point.is_some_and(|q| q.distance_m(&p) <= s.cluster.radius_m as f64)).map(|f| f.case_id).collect();
    (near.len() + 1 >= n).then(|| Trigger { rule: Rule::Cluster, min_cases: n, cases: with_new(near), evidence: new.category.clone() })
}

/// Repeat: the same phone, or the same place, ≥ K times in D days. `same_phone` and
/// `same_place` are the other cases sharing `new`'s phone hash or cell in the window.
pub fn repeat(s: &Settings, new: &Fact, same_phone: &[Fact], same_place: &[Fact]) -> Vec<Trigger> {
    if !s.repeat.on {
        return vec![];
    }
    let since = repeat_since(s, new);
    let k = s.repeat.min_cases as usize;
    let mut out = vec![];
    let mut look = |key: Option<&String>, others: &[Fact], pick: fn(&Fact) -> Option<&String>, evidence: &str| {
        let Some(key) = key else { return };
        let mut cases: BTreeSet<_> = others
            .iter()
            .filter(|f| f.case_id != new.case_id && pick(f) == Some(key) && f.received_ms >= since && f.received_ms <= new.received_ms)
            .map(|f| f.case_id)
            .collect();
        if cases.len() + 1 >= k {
            cases.insert(new.case_id);
            out.push(Trigger { rule: Rule::Repeat, min_cases: k, cases, evidence: evidence.to_string() });
        }
    };
    look(new.phone_hash.as_ref(), same_phone, |f| f.phone_hash.as_ref(), "phone");
    look(new.place_cell.as_ref(), same_place, |f| f.place_cell.as_ref(), "place");
    out
}

/// Mass incident: the case's own words.
pub fn mass(s: &Settings, new: &Fact) -> Option<Trigger> {
    if !s.mass.on {
        return None;
    }
    let sig = mass::signal(&s.mass, &new.text)?;
    let evidence = match sig.people {
        Some(n) => format!("{} ×{n}", sig.word),
        None => sig.word,
    };
    Some(one_case(Rule::Mass, new.case_id, evidence))
}

/// A rule about one case (an overdue emergency, an unsigned command, a hand-raised warning).
pub fn one_case(rule: Rule, case_id: CaseId, evidence: String) -> Trigger {
    Trigger { rule, min_cases: 1, cases: BTreeSet::from([case_id]), evidence }
}

/// A warning of the trigger's rule that holds one of its cases, with those of its cases it
/// holds (whatever else it holds does not change the decision).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlapping {
    pub warning_id: i64,
    pub open: bool,
    pub cases: BTreeSet<CaseId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// A new warning with these cases as evidence.
    Raise(BTreeSet<CaseId>),
    /// Add these cases to an open warning (nothing when it holds them all already).
    Link {
        warning_id: i64,
        cases: BTreeSet<CaseId>,
    },
    Nothing,
}

/// What a trigger does, given the warnings of its rule that already hold one of its cases:
/// an open one takes the cases it lacks; otherwise the cases no closed or dismissed warning
/// has answered raise a new one if they still meet the rule by themselves.
pub fn decide(t: &Trigger, overlapping: &[Overlapping]) -> Decision {
    if let Some(open) = overlapping.iter().filter(|w| w.open).min_by_key(|w| w.warning_id) {
        return Decision::Link { warning_id: open.warning_id, cases: t.cases.difference(&open.cases).copied().collect() };
    }
    let answered: BTreeSet<CaseId> = overlapping.iter().flat_map(|w| w.cases.iter().copied()).collect();
    let fresh: BTreeSet<CaseId> = t.cases.difference(&answered).copied().collect();
    if fresh.len() >= t.min_cases.max(1) { Decision::Raise(fresh) } else { Decision::Nothing }
}

/// The warnings a new case's triggers meet (read once for all of them), kept up to date as
/// each trigger is decided: several triggers decided together act as if decided one after
/// another, each seeing what the ones before it raised or grew.
#[derive(Debug, Clone, Default)]
pub struct Known(Vec<(Rule, Overlapping)>);

impl Known {
    pub fn new(found: Vec<(Rule, Overlapping)>) -> Known {
        Known(found)
    }

    /// `decide` for `t` against the warnings of its rule that hold one of its cases.
    pub fn decide(&self, t: &Trigger) -> Decision {
        let mine: Vec<Overlapping> = self.0.iter().filter(|(r, w)| *r == t.rule && !w.cases.is_disjoint(&t.cases)).map(|(_, w)| w.clone()).collect();
        decide(t, &mine)
    }

    /// Whether `triggers`, decided in order, only grow warnings already open (or raise one
    /// that needs no look back: a one-case rule). Such an intake is settled by the newest few
    /// cases a rule needs; any other needs the full look back, so that a new warning holds
    /// every case of its window.
    pub fn grows_only(&self, triggers: &[Trigger]) -> bool {
        let mut sim = self.clone();
        for t in triggers {
            match sim.decide(t) {
                Decision::Link { warning_id, cases } => sim.holds(t.rule, warning_id, &cases),
                Decision::Raise(_) if t.min_cases <= 1 => {}
                _ => return false,
            }
        }
        true
    }

    /// Warning `warning_id` of `rule` (new or open) now holds `cases` too.
    pub fn holds(&mut self, rule: Rule, warning_id: i64, cases: &BTreeSet<CaseId>) {
        match self.0.iter_mut().find(|(r, w)| *r == rule && w.warning_id == warning_id) {
            Some((_, w)) => w.cases.extend(cases.iter().copied()),
            None => self.0.push((rule, Overlapping { warning_id, open: true, cases: cases.clone() })),
        }
    }
}

/// Replay of stored history: the facts of a period fed in the order received, each run
/// through the rules against the cases before it, as intake would have. Closing is not
/// replayed: a warning stays open, so a growing cluster counts once. Only the windows the
/// rules look back over are kept, so a year of a busy district fits in memory.
#[derive(Debug)]
pub struct Replay {
    settings: Settings,
    by_category: HashMap<String, VecDeque<Fact>>,
    by_phone: HashMap<String, VecDeque<Fact>>,
    by_cell: HashMap<String, VecDeque<Fact>>,
    /// Per rule, the warning each case is evidence of.
    holder: HashMap<(Rule, CaseId), usize>,
    warnings: Vec<BTreeSet<CaseId>>,
    raised: BTreeMap<Rule, i64>,
    pub cases: i64,
}

impl Replay {
    pub fn new(settings: Settings) -> Replay {
        Replay {
            settings,
            by_category: HashMap::new(),
            by_phone: HashMap::new(),
            by_cell: HashMap::new(),
            holder: HashMap::new(),
            warnings: vec![],
            raised: BTreeMap::new(),
            cases: 0,
        }
    }

    /// The next case, received no earlier than the one before.
    pub fn push(&mut self, mut new: Fact) {
        self.cases += 1;
        let s = &self.settings;
        let (cluster_since, repeat_since) = (cluster_since(s, &new), repeat_since(s, &new));
        let recent = |map: &mut HashMap<String, VecDeque<Fact>>, key: Option<&String>, since: i64| -> Vec<Fact> {
            let Some(list) = key.and_then(|k| map.get_mut(k)) else { return vec![] };
            while list.front().is_some_and(|f| f.received_ms < since) {
                list.pop_front();
            }
            list.iter().cloned().collect()
        };
        let same_category = recent(&mut self.by_category, Some(&new.category), cluster_since);
        let same_phone = recent(&mut self.by_phone, new.phone_hash.as_ref(), repeat_since);
        let same_cell = recent(&mut self.by_cell, new.place_cell.as_ref(), repeat_since);
        let mut triggers: Vec<Trigger> = vec![];
        triggers.extend(cluster(s, &new, &same_category));
        triggers.extend(repeat(s, &new, &same_phone, &same_cell));
        triggers.extend(mass(s, &new));
        for t in triggers {
            let mut held: Vec<usize> = t.cases.iter().filter_map(|c| self.holder.get(&(t.rule, *c)).copied()).collect();
            held.sort_unstable();
            held.dedup();
            let overlapping: Vec<Overlapping> =
                held.iter().map(|&i| Overlapping { warning_id: i as i64, open: true, cases: self.warnings[i].clone() }).collect();
            let (at, cases) = match decide(&t, &overlapping) {
                Decision::Raise(cases) => {
                    self.warnings.push(BTreeSet::new());
                    *self.raised.entry(t.rule).or_default() += 1;
                    (self.warnings.len() - 1, cases)
                }
                Decision::Link { warning_id, cases } => (warning_id as usize, cases),
                Decision::Nothing => continue,
            };
            for c in &cases {
                self.holder.insert((t.rule, *c), at);
            }
            self.warnings[at].extend(cases);
        }
        new.text = String::new();
        for (map, key) in
            [(&mut self.by_category, Some(new.category.clone())), (&mut self.by_phone, new.phone_hash.clone()), (&mut self.by_cell, new.place_cell.clone())]
        {
            if let Some(k) = key {
                map.entry(k).or_default().push_back(new.clone());
            }
        }
    }

    /// How many warnings each stream rule would have raised.
    pub fn counts(&self) -> Vec<(Rule, i64)> {
        [Rule::Cluster, Rule::Repeat, Rule::Mass].iter().map(|r| (*r, self.raised.get(r).copied().unwrap_or(0))).collect()
    }
}

/// The longest span one replay covers.
pub const REPLAY_MAX_DAYS: i64 = 366;

/// A replay's period `[from, to)` in ms, checked.
pub fn replay_period(from_ms: i64, to_ms: i64) -> Result<(i64, i64), RiskError> {
    if to_ms <= from_ms || to_ms - from_ms > REPLAY_MAX_DAYS * DAY_MS {
        return Err(RiskError::BadPeriod);
    }
    Ok((from_ms, to_ms))
}

#[cfg(test)]
mod tests {

    #[test]
    fn look_back_reads_at_least_thirty_and_twice_the_threshold() {
        assert_eq!(look_back(3), 30);
        assert_eq!(look_back(15), 30);
        assert_eq!(look_back(40), 80);
    }

    #[test]
    fn the_near_box_holds_every_point_within_the_radius_and_little_more() {
        let p = GeoPoint { lat_e6: 28_931_000, lng_e6: 118_900_000 };
        let b = near_box(&p, 300);
        for k in 0..360 {
            let a = f64::from(k).to_radians();
            // A point 300 m away in direction `a`, found by walking out until the distance says so.
            let (mut lo, mut hi) = (0.0_f64, 0.01_f64);
            for _ in 0..60 {
                let mid = (lo + hi) / 2.0;
                let q = GeoPoint { lat_e6: p.lat_e6 + (mid * a.sin() * 1e6) as i64, lng_e6: p.lng_e6 + (mid * a.cos() * 1e6) as i64 };
                if q.distance_m(&p) < 300.0 { lo = mid } else { hi = mid }
            }
            let q = GeoPoint { lat_e6: p.lat_e6 + (lo * a.sin() * 1e6) as i64, lng_e6: p.lng_e6 + (lo * a.cos() * 1e6) as i64 };
            assert!(q.distance_m(&p) <= 300.0);
            assert!((b.lat_min..=b.lat_max).contains(&q.lat_e6) && (b.lng_min..=b.lng_max).contains(&q.lng_e6), "{k}°");
        }
        // The corners of the box are well outside it: the box is not the district.
        let corner = GeoPoint { lat_e6: b.lat_max, lng_e6: b.lng_max };
        assert!(corner.distance_m(&p) < 500.0);
    }
    use super::*;

    fn trigger(rule: Rule, cases: &[CaseId]) -> Trigger {
        Trigger { rule, min_cases: 2, cases: cases.iter().copied().collect(), evidence: String::new() }
    }

    #[test]
    fn an_intake_is_settled_by_the_short_look_back_only_when_it_grows_open_warnings() {
        let known = Known::new(vec![
            (Rule::Cluster, Overlapping { warning_id: 1, open: true, cases: BTreeSet::from([5, 6]) }),
            (Rule::Repeat, Overlapping { warning_id: 2, open: false, cases: BTreeSet::from([5]) }),
        ]);
        let mass = Trigger { rule: Rule::Mass, min_cases: 1, cases: BTreeSet::from([9]), evidence: "聚集".into() };
        assert!(known.grows_only(&[trigger(Rule::Cluster, &[5, 6, 9])]), "a cluster grows its open warning");
        assert!(known.grows_only(&[trigger(Rule::Cluster, &[6, 9]), mass.clone()]), "a one-case rule needs no look back");
        assert!(known.grows_only(&[]), "nothing fired");
        assert!(!known.grows_only(&[trigger(Rule::Repeat, &[5, 9])]), "its warning is closed: a new one needs the whole window");
        assert!(!known.grows_only(&[trigger(Rule::Repeat, &[7, 9])]), "a first warning needs the whole window");
        // A list shorter than the read holds the whole window; a full one only when it fired.
        assert!(quick_look_settled(2, 3, false) && quick_look_settled(3, 3, true) && !quick_look_settled(3, 3, false));
        assert_eq!(quick_look_back(3), 3);
    }

    #[test]
    fn triggers_decided_together_see_what_the_ones_before_them_did() {
        // The phone and the place of one new case (9) each meet the repeat rule.
        let mut known = Known::new(vec![(Rule::Cluster, Overlapping { warning_id: 1, open: true, cases: BTreeSet::from([5]) })]);
        let phone = trigger(Rule::Repeat, &[3, 9]);
        assert_eq!(known.decide(&phone), Decision::Raise(BTreeSet::from([3, 9])));
        known.holds(Rule::Repeat, 7, &BTreeSet::from([3, 9]));
        // The place's trigger shares case 9: it grows the warning just raised, not a second one.
        assert_eq!(known.decide(&trigger(Rule::Repeat, &[4, 9])), Decision::Link { warning_id: 7, cases: BTreeSet::from([4]) });
        // Another rule's warning holding the same case is not this rule's.
        assert_eq!(known.decide(&trigger(Rule::Cluster, &[6, 8])), Decision::Raise(BTreeSet::from([6, 8])));
        // A warning holding none of a trigger's cases is not met by it.
        assert_eq!(known.decide(&trigger(Rule::Repeat, &[1, 2])), Decision::Raise(BTreeSet::from([1, 2])));
    }

    fn fact(id: CaseId, hours_ago: i64, village: Option<i64>) -> Fact {
        Fact {
            case_id: id,
            received_ms: 1_000 * DAY_MS - hours_ago * HOUR_MS,
            category: "noise".into(),
            village_id: village,
            township_id: Some(1),
            point: None,
            phone_hash: None,
            place_cell: None,
            text: String::new(),
        }
    }

    fn settings() -> Settings {
        Settings::default() // N = 3 within 168 h, K = 3 within 30 days
    }

    /// The stream `facts` runs through `decide` with one store of warnings, as intake does.
    fn run(s: &Settings, facts: &[Fact]) -> Vec<BTreeSet<CaseId>> {
        let mut warnings: Vec<BTreeSet<CaseId>> = vec![];
        for (i, f) in facts.iter().enumerate() {
            if let Some(t) = cluster(s, f, &facts[..i]) {
                let overlapping: Vec<_> = warnings
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| !c.is_disjoint(&t.cases))
                    .map(|(id, c)| Overlapping { warning_id: id as i64, open: true, cases: c.clone() })
                    .collect();
                match decide(&t, &overlapping) {
                    Decision::Raise(c) => warnings.push(c),
                    Decision::Link { warning_id, cases } => warnings[warning_id as usize].extend(cases),
                    Decision::Nothing => {}
                }
            }
        }
        warnings
    }

    #[test]
    fn a_cluster_needs_n_cases_and_the_n_plus_first_joins_the_same_warning() {
        let s = settings();
        let two = [fact(1, 150, Some(7)), fact(2, 70, Some(7))];
        assert!(run(&s, &two).is_empty(), "N−1 cases: no warning");
        let three = [fact(1, 150, Some(7)), fact(2, 70, Some(7)), fact(3, 5, Some(7))];
        assert_eq!(run(&s, &three), vec![BTreeSet::from([1, 2, 3])], "N: one warning");
        let four = [fact(1, 150, Some(7)), fact(2, 70, Some(7)), fact(3, 5, Some(7)), fact(4, 1, Some(7))];
        assert_eq!(run(&s, &four), vec![BTreeSet::from([1, 2, 3, 4])], "N+1: still one, the new case linked");
    }

    #[test]
    fn a_cluster_is_one_village_one_category_and_the_window() {
        let s = settings();
        let other_village = [fact(1, 10, Some(7)), fact(2, 9, Some(8)), fact(3, 8, Some(7))];
        assert!(run(&s, &other_village).is_empty());
        let mut other_category = [fact(1, 10, Some(7)), fact(2, 9, Some(7)), fact(3, 8, Some(7))];
        other_category[1].category = "road".into();
        assert!(run(&s, &other_category).is_empty());
        // 169 h before the third: outside the 168 h window.
        let too_old = [fact(1, 170, Some(7)), fact(2, 9, Some(7)), fact(3, 1, Some(7))];
        assert!(run(&s, &too_old).is_empty());
        let at_the_edge = [fact(1, 169, Some(7)), fact(2, 9, Some(7)), fact(3, 1, Some(7))];
        assert_eq!(run(&s, &at_the_edge).len(), 1, "exactly T hours apart is within");
    }

    #[test]
    fn cases_without_a_village_cluster_by_distance() {
        let s = settings(); // R = 300 m
        let at = |id, lat_e6| Fact { point: Some(GeoPoint { lat_e6, lng_e6: 118_870_000 }), ..fact(id, 5, None) };
        // 0.0027° of latitude ≈ 300 m.
        let near = [at(1, 28_940_000), at(2, 28_941_000), at(3, 28_942_600)];
        assert_eq!(run(&s, &near).len(), 1);
        let far = [at(1, 28_940_000), at(2, 28_941_000), at(3, 28_944_000)];
        assert!(run(&s, &far).is_empty(), "the third is 444 m from the first");
    }

    #[test]
    fn a_switched_off_rule_finds_nothing() {
        let mut s = settings();
        s.cluster.on = false;
        let three = [fact(1, 3, Some(7)), fact(2, 2, Some(7)), fact(3, 1, Some(7))];
        assert!(run(&s, &three).is_empty());
    }

    #[test]
    fn repeats_by_phone_and_by_place_at_k() {
        let s = settings();
        let by = |id, days: i64, phone: &str, cell: &str| Fact {
            phone_hash: Some(phone.into()),
            place_cell: Some(cell.into()),
            received_ms: 1_000 * DAY_MS - days * DAY_MS,
            ..fact(id, 0, None)
        };
        let earlier = [by(1, 20, "p", "a"), by(2, 10, "p", "b")];
        let t = repeat(&s, &by(3, 0, "p", "c"), &earlier, &earlier);
        assert_eq!(t.len(), 1);
        assert_eq!((t[0].rule, t[0].cases.clone(), t[0].evidence.as_str()), (Rule::Repeat, BTreeSet::from([1, 2, 3]), "phone"));
        assert!(repeat(&s, &by(3, 0, "q", "c"), &earlier, &earlier).is_empty(), "K−1 from this phone");
        let same_place = [by(1, 20, "x", "a"), by(2, 10, "y", "a")];
        assert_eq!(repeat(&s, &by(3, 0, "z", "a"), &same_place, &same_place)[0].evidence, "place");
        let old = [by(1, 31, "p", "a"), by(2, 10, "p", "b")];
        assert!(repeat(&s, &by(3, 0, "p", "c"), &old, &old).is_empty(), "the first is outside 30 days");
    }

    #[test]
    fn a_closed_warning_does_not_swallow_a_fresh_cluster_but_its_cases_do_not_count_again() {
        let t = Trigger { rule: Rule::Cluster, min_cases: 3, cases: BTreeSet::from([1, 2, 3, 4]), evidence: String::new() };
        let closed = Overlapping { warning_id: 9, open: false, cases: BTreeSet::from([1, 2, 3]) };
        assert_eq!(decide(&t, std::slice::from_ref(&closed)), Decision::Nothing, "one fresh case is not a cluster");
        let t = Trigger { cases: BTreeSet::from([1, 4, 5, 6]), ..t };
        assert_eq!(decide(&t, &[closed]), Decision::Raise(BTreeSet::from([4, 5, 6])));
    }

    #[test]
    fn a_one_case_rule_raises_once_per_case() {
        let t = one_case(Rule::EmergencyOverdue, 5, String::new());
        assert_eq!(decide(&t, &[]), Decision::Raise(BTreeSet::from([5])));
        let open = Overlapping { warning_id: 1, open: true, cases: BTreeSet::from([5]) };
        assert_eq!(decide(&t, &[open]), Decision::Link { warning_id: 1, cases: BTreeSet::new() });
    }

    #[test]
    fn replay_counts_each_cluster_once() {
        let s = settings();
        let mut facts: Vec<Fact> = (1..=5).map(|i| fact(i, 50 - i, Some(7))).collect();
        facts.push(fact(6, 1, Some(8)));
        let mut r = Replay::new(s);
        facts.into_iter().for_each(|f| r.push(f));
        assert_eq!(r.counts(), vec![(Rule::Cluster, 1), (Rule::Repeat, 0), (Rule::Mass, 0)]);
        assert_eq!(r.cases, 6);
    }
}
