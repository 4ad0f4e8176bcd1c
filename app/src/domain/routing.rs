//! Routing that learns from the center's own closed cases (issue 17): a multinomial naive
//! Bayes over character n-grams — Chinese needs no word segmentation that way — with the
//! place and the category as features of their own. Three models: the category from the text
//! and place; the lead unit and the cooperating units from the text, place and category.
//! Suggestions are ranked with a confidence; the operator still confirms.
use super::case::UnitId;
use super::org::{Unit, UnitKind};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::Hash;

/// Character n-grams from one to this many characters.
const MAX_GRAM: usize = 3;
/// How many text n-grams the place or the category counts as: a text has a hundred or more,
/// and the place decides the township as much as the words do.
const STRUCTURED_WEIGHT: u32 = 8;
/// Laplace smoothing of the feature counts.
const ALPHA: f64 = 0.5;
/// Features per unit of temper of the confidences (see `rank`).
const TEMPER_PER: f64 = 16.0;
/// Suggestions offered for each question.
pub const TOP: usize = 3;

/// A feature: a hashed n-gram, place or category token.
pub type Feature = u64;

/// FNV-1a: a stable hash, so a model means the same on every machine and run.
fn fnv(kind: u8, bytes: &[u8]) -> Feature {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ kind as u64;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// What a case says and where: the features every model reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseText {
    pub title: String,
    pub description: String,
    /// The township and the village (or grid) areas of the place, when known.
    pub places: Vec<i64>,
}

impl CaseText {
    /// The n-grams of the texts and the place tokens, with their counts.
    pub fn features(&self) -> Vec<(Feature, u32)> {
        let mut counts: HashMap<Feature, u32> = HashMap::new();
        for text in [&self.title, &self.description] {
            for run in text.split(|c: char| !c.is_alphanumeric()).filter(|r| !r.is_empty()) {
                let chars: Vec<char> = run.chars().flat_map(char::to_lowercase).collect();
                for n in 1..=MAX_GRAM {
                    for gram in chars.windows(n) {
                        let s: String = gram.iter().collect();
                        *counts.entry(fnv(n as u8, s.as_bytes())).or_default() += 1;
                    }
                }
            }
        }
        for p in &self.places {
            *counts.entry(fnv(b'p', &p.to_le_bytes())).or_default() += STRUCTURED_WEIGHT;
        }
        counts.into_iter().collect()
    }
}

/// The category as a feature of the unit models.
fn category_feature(category: &str) -> (Feature, u32) {
    (fnv(b'c', category.as_bytes()), STRUCTURED_WEIGHT)
}

/// One answer with its confidence, in 0..=1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranked<L> {
    pub label: L,
    pub confidence: f64,
}

/// A multinomial naive Bayes over hashed features.
#[derive(Debug, Clone, Default)]
pub struct NaiveBayes<L: Eq + Hash + Clone> {
    labels: HashMap<L, LabelCounts>,
    documents: u64,
    vocabulary: usize,
}

#[derive(Debug, Clone, Default)]
struct LabelCounts {
    documents: u64,
    features: HashMap<Feature, u32>,
    total: u64,
}

impl<L: Eq + Hash + Clone + Ord> NaiveBayes<L> {
    pub fn learn(&mut self, features: &[(Feature, u32)], label: &L) {
        let counts = self.labels.entry(label.clone()).or_default();
        counts.documents += 1;
        for (f, n) in features {
            *counts.features.entry(*f).or_default() += n;
            counts.total += *n as u64;
        }
        self.documents += 1;
    }

    /// Counts the distinct features once learning is over (the smoothing needs it).
    pub fn finish(&mut self) {
        let mut seen = std::collections::HashSet::new();
        for c in self.labels.values() {
            seen.extend(c.features.keys().copied());
        }
        self.vocabulary = seen.len();
    }

    pub fn is_empty(&self) -> bool {
        self.documents == 0
    }

    /// The `top` likeliest labels, best first; confidences are the posterior over every label.
    pub fn rank(&self, features: &[(Feature, u32)], top: usize) -> Vec<Ranked<L>> {
        if self.documents == 0 {
            return Vec::new();
        }
        let v = self.vocabulary.max(1) as f64;
        let mut scores: Vec<(L, f64)> = self
            .labels
            .iter()
            .map(|(label, c)| {
                let denominator = (c.total as f64 + ALPHA * v).ln();
                let prior = (c.documents as f64 / self.documents as f64).ln();
                let likelihood: f64 = features.iter().map(|(f, n)| *n as f64 * ((*c.features.get(f).unwrap_or(&0) as f64 + ALPHA).ln() - denominator)).sum();
                (label.clone(), prior + likelihood)
            })
            .collect();
        // Ties broken by label, so a ranking never depends on a map's order.
        scores.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        // Naive Bayes counts every n-gram as independent evidence, so its raw posterior says
        // 100 % to one label and 0 % to the rest; tempered by the text's length it stays in the
        // same order and reads as a confidence an operator can weigh.
        let temper = (features.iter().map(|f| f.1 as f64).sum::<f64>() / TEMPER_PER).max(1.0);
        let best = scores.first().map(|s| s.1).unwrap_or(0.0);
        let sum: f64 = scores.iter().map(|s| ((s.1 - best) / temper).exp()).sum();
        scores.into_iter().take(top).map(|(label, s)| Ranked { label, confidence: ((s - best) / temper).exp() / sum }).collect()
    }
}

/// The rule baseline (and the fallback while history is thin): the place's township
/// government leads, with its village committee and grid team; the category's department
/// cooperates, or leads when the place has no township government. `places`: the areas of the
/// place, from the township down.
pub fn rule_units(units: &[Unit], places: &[i64], department: Option<UnitId>) -> (Option<UnitId>, Vec<UnitId>) {
    let of_kind = |kind: UnitKind| units.iter().find(|u| u.active && u.kind == kind && u.area_id.is_some_and(|a| places.contains(&a))).map(|u| u.id);
    let department = department.filter(|d| units.iter().any(|u| u.active && u.id == *d));
    let lead = of_kind(UnitKind::TownshipGovernment).or(department);
    let cooperating =
        [of_kind(UnitKind::VillageCommittee), of_kind(UnitKind::GridTeam), department].into_iter().flatten().filter(|u| Some(*u) != lead).collect();
    (lead, cooperating)
}

/// One suggestion, named for the form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Named {
    /// A category code or a unit id, as the form's options name it.
    pub key: String,
    pub name: String,
    /// 0..=100.
    pub percent: u8,
}

/// What the learned models suggest for a case being registered or dispatched.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Suggested {
    pub categories: Vec<Named>,
    pub leads: Vec<Named>,
    pub cooperating: Vec<Named>,
    /// Closed cases the models learned from (0: no model yet, or too little history).
    pub learned_from: usize,
}

/// What the administrator sees of the models.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ModelStatus {
    pub trained_at_ms: i64,
    /// Closed cases learned from.
    pub cases: usize,
    /// How long the run took (reading included).
    pub took_ms: u64,
    /// On the time split, beside the rule baseline.
    pub accuracy: Accuracy,
}

/// A closed case as the models learn from it: what it said, where, and how it was routed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routed {
    pub received_ms: i64,
    pub text: CaseText,
    pub category: String,
    pub lead: UnitId,
    pub cooperating: Vec<UnitId>,
}

/// The three models.
#[derive(Debug, Clone, Default)]
pub struct Model {
    category: NaiveBayes<String>,
    lead: NaiveBayes<UnitId>,
    cooperating: NaiveBayes<UnitId>,
    /// Closed cases it learned from.
    pub cases: usize,
}

/// What the models suggest for one case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub categories: Vec<Ranked<String>>,
    pub leads: Vec<Ranked<UnitId>>,
    pub cooperating: Vec<Ranked<UnitId>>,
}

impl Model {
    pub fn train(history: &[Routed]) -> Model {
        let mut m = Model { cases: history.len(), ..Model::default() };
        for r in history {
            let mut features = r.text.features();
            m.category.learn(&features, &r.category);
            features.push(category_feature(&r.category));
            m.lead.learn(&features, &r.lead);
            // Each cooperating unit is one example of "cooperates on cases like this".
            for u in &r.cooperating {
                m.cooperating.learn(&features, u);
            }
        }
        m.category.finish();
        m.lead.finish();
        m.cooperating.finish();
        m
    }

    /// The categories for a case being registered, and the units for its category: the one
    /// chosen, or else the likeliest.
    pub fn suggest(&self, text: &CaseText, category: Option<&str>) -> Suggestion {
        let mut features = text.features();
        let categories = self.category.rank(&features, TOP);
        let Some(category) = category.map(str::to_string).or_else(|| categories.first().map(|c| c.label.clone())) else {
            return Suggestion::default();
        };
        features.push(category_feature(&category));
        let leads = self.lead.rank(&features, TOP);
        // A unit does not cooperate with itself: the likeliest lead is left out.
        let lead = leads.first().map(|l| l.label);
        let cooperating = self.cooperating.rank(&features, TOP + 1).into_iter().filter(|u| Some(u.label) != lead).take(TOP).collect();
        Suggestion { categories, leads, cooperating }
    }
}

/// Share of test cases whose answer was first, or among the first three.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Hits {
    pub top1: f64,
    pub top3: f64,
}

/// The models measured honestly: trained on the older 80 % of the history, tested on the
/// newest 20 %, beside the rule baseline on the same test cases.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Accuracy {
    pub trained_on: usize,
    pub tested_on: usize,
    pub category: Hits,
    pub lead: Hits,
    pub rule_lead: Hits,
}

/// Splits `history` by time (newest `test_share` tested) and measures the models trained on
/// the rest against `rule`, the baseline's lead units for a test case, best first.
pub fn measure(history: &[Routed], test_share: f64, rule: impl Fn(&Routed) -> Vec<UnitId>) -> Accuracy {
    let mut sorted: Vec<&Routed> = history.iter().collect();
    sorted.sort_by_key(|r| r.received_ms);
    let split = ((sorted.len() as f64) * (1.0 - test_share)).round() as usize;
    let (train, test) = sorted.split_at(split.min(sorted.len()));
    let owned: Vec<Routed> = train.iter().map(|r| (*r).clone()).collect();
    let model = Model::train(&owned);
    let mut acc = Accuracy { trained_on: train.len(), tested_on: test.len(), ..Accuracy::default() };
    if test.is_empty() {
        return acc;
    }
    let share = |hits: usize| hits as f64 / test.len() as f64;
    let (mut c1, mut c3, mut l1, mut l3, mut r1, mut r3) = (0, 0, 0, 0, 0, 0);
    for r in test {
        let s = model.suggest(&r.text, None);
        let at = |list: &[String]| list.iter().position(|c| *c == r.category);
        match at(&s.categories.iter().map(|c| c.label.clone()).collect::<Vec<_>>()) {
            Some(0) => (c1, c3) = (c1 + 1, c3 + 1),
            Some(_) => c3 += 1,
            None => {}
        }
        // The units are judged for the case's true category, as an operator would have set it.
        let s = model.suggest(&r.text, Some(&r.category));
        match s.leads.iter().position(|l| l.label == r.lead) {
            Some(0) => (l1, l3) = (l1 + 1, l3 + 1),
            Some(_) => l3 += 1,
            None => {}
        }
        match rule(r).iter().take(TOP).position(|u| *u == r.lead) {
            Some(0) => (r1, r3) = (r1 + 1, r3 + 1),
            Some(_) => r3 += 1,
            None => {}
        }
    }
    acc.category = Hits { top1: share(c1), top3: share(c3) };
    acc.lead = Hits { top1: share(l1), top3: share(l3) };
    acc.rule_lead = Hits { top1: share(r1), top3: share(r3) };
    acc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(at: i64, title: &str, place: i64, category: &str, lead: UnitId, coop: &[UnitId]) -> Routed {
        Routed {
            received_ms: at,
            text: CaseText { title: title.into(), description: String::new(), places: vec![place] },
            category: category.into(),
            lead,
            cooperating: coop.to_vec(),
        }
    }

    /// Noise goes to the township, roads to the transport bureau (9), whatever the place.
    fn history() -> Vec<Routed> {
        let mut h = Vec::new();
        for i in 0..20 {
            let (place, town) = if i % 2 == 0 { (100, 1) } else { (200, 2) };
            h.push(case(i * 10, ["夜间施工噪音扰民", "广场舞音响太吵", "商铺外放音乐噪音"][i as usize % 3], place, "noise", town, &[place + 1]));
            h.push(case(i * 10 + 5, ["路面坑洼积水", "道路破损坑洞", "马路塌陷有坑"][i as usize % 3], place, "roads", 9, &[town]));
        }
        h
    }

    #[test]
    fn it_learns_categories_from_words_it_has_seen_in_other_orders() {
        let m = Model::train(&history());
        let s = m.suggest(&CaseText { title: "楼下噪音太吵".into(), description: String::new(), places: vec![100] }, None);
        assert_eq!(s.categories[0].label, "noise");
        let s = m.suggest(&CaseText { title: "村口道路有坑".into(), description: String::new(), places: vec![200] }, None);
        assert_eq!(s.categories[0].label, "roads");
        assert!(s.categories[0].confidence > 0.5 && s.categories[0].confidence <= 1.0);
        assert!(s.categories.windows(2).all(|w| w[0].confidence >= w[1].confidence), "best first");
    }

    #[test]
    fn units_follow_the_place_and_the_category() {
        let m = Model::train(&history());
        let noise_at = |place| m.suggest(&CaseText { title: "噪音".into(), description: String::new(), places: vec![place] }, Some("noise"));
        assert_eq!(noise_at(100).leads[0].label, 1, "the first township's own noise");
        assert_eq!(noise_at(200).leads[0].label, 2);
        assert_eq!(noise_at(200).cooperating[0].label, 201, "its village cooperates");
        let roads = m.suggest(&CaseText { title: "坑".into(), description: String::new(), places: vec![100] }, Some("roads"));
        assert_eq!(roads.leads[0].label, 9);
        assert!(roads.cooperating.iter().all(|c| c.label != 9), "the lead is not its own cooperator");
        assert!(roads.leads.len() <= TOP && roads.cooperating.len() <= TOP);
    }

    #[test]
    fn an_empty_history_suggests_nothing() {
        let m = Model::train(&[]);
        assert_eq!(m.suggest(&CaseText { title: "噪音".into(), ..CaseText::default() }, None), Suggestion::default());
    }

    #[test]
    fn accuracy_is_measured_on_the_newest_cases_only() {
        let h = history();
        // A rule that always names unit 1: right for the first township's noise only.
        let acc = measure(&h, 0.2, |_| vec![1]);
        assert_eq!((acc.trained_on, acc.tested_on), (32, 8));
        assert_eq!(acc.category, Hits { top1: 1.0, top3: 1.0 });
        assert_eq!(acc.lead.top1, 1.0);
        assert_eq!(acc.rule_lead.top1, 2.0 / 8.0, "of the 8 newest, two are noise in the first township");
    }

    #[test]
    fn the_rule_puts_the_township_first_and_the_department_beside_it() {
        let unit = |id, kind, area| Unit { id, name: String::new(), kind, area_id: area, area_name: None, phone: None, active: true };
        let units =
            [unit(1, UnitKind::TownshipGovernment, Some(100)), unit(2, UnitKind::VillageCommittee, Some(101)), unit(9, UnitKind::ResidentDepartment, None)];
        assert_eq!(rule_units(&units, &[100, 101], Some(9)), (Some(1), vec![2, 9]));
        assert_eq!(rule_units(&units, &[], Some(9)), (Some(9), vec![]), "no place: the department leads");
        assert_eq!(rule_units(&units, &[100], None), (Some(1), vec![]));
        assert_eq!(rule_units(&units, &[], Some(42)), (None, vec![]), "an unknown department is no suggestion");
    }

    #[test]
    fn features_are_character_grams_and_weighted_places() {
        let f = CaseText { title: "噪音".into(), description: "A b".into(), places: vec![7] }.features();
        // 噪, 音, 噪音, a, b; the place counts eight.
        assert_eq!(f.len(), 6);
        assert_eq!(f.iter().map(|x| x.1).sum::<u32>(), 5 + STRUCTURED_WEIGHT);
    }
}
