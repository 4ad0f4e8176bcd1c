//! The wall's live updates: what changed between two readings of the command screen. The
//! server reads the screen once for every wall after a burst of case changes and pushes
//! only the sections that differ (and, of the map's dots, only those that came, went or
//! changed), so a wall left open for days receives a few hundred bytes per change instead
//! of the whole screen.
use super::case::CaseId;
use super::screen::{Bar, CaseDot, Counters, LiveCommand, Promise, Screen, TownshipLoad};
use serde::{Deserialize, Serialize};

/// The changes from one reading (`from`) to the next (`to`); a section is `Some` when it
/// changed: the counters and promises whole, the lists as the items that changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreenDelta {
    pub from: u64,
    pub to: u64,
    pub now_ms: i64,
    pub counters: Option<Counters>,
    pub promise_today: Option<Promise>,
    pub promise_month: Option<Promise>,
    pub risk: Option<crate::domain::risk::figures::RiskFigures>,
    pub on_duty: Option<Vec<crate::domain::duty::DutyLine>>,
    pub hazards: Option<Vec<crate::domain::hazard::HazardPoint>>,
    pub commands: Option<ListDelta<LiveCommand>>,
    pub per_day: Option<ListDelta<Bar>>,
    pub by_kind: Option<ListDelta<Bar>>,
    pub by_channel: Option<ListDelta<Bar>>,
    pub by_township: Option<ListDelta<Bar>>,
    pub top_categories: Option<ListDelta<Bar>>,
    pub overdue_by_unit: Option<ListDelta<Bar>>,
    pub townships: Option<ListDelta<TownshipLoad>>,
    /// Dots no longer on the map.
    pub dots_gone: Vec<CaseId>,
    /// Dots new on the map or changed (overdue, in a command).
    pub dots_set: Vec<CaseDot>,
}

/// A list's change: the items new or changed, and the keys in their new order when the
/// order or the membership changed (a new day, a category climbing the ranking).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListDelta<T> {
    pub set: Vec<T>,
    pub keys: Option<Vec<String>>,
}

/// What identifies an item of a list across readings.
pub trait Keyed {
    fn key(&self) -> String;
}

impl Keyed for Bar {
    fn key(&self) -> String {
        self.key.clone()
    }
}

impl Keyed for TownshipLoad {
    fn key(&self) -> String {
        self.area_id.to_string()
    }
}

impl Keyed for LiveCommand {
    fn key(&self) -> String {
        self.case_id.to_string()
    }
}

impl<T: Keyed + Clone + PartialEq> ListDelta<T> {
    /// `None` when the lists are equal.
    fn between(old: &[T], new: &[T]) -> Option<ListDelta<T>> {
        if old == new {
            return None;
        }
        let set = new.iter().filter(|n| !old.iter().any(|o| o == *n)).cloned().collect();
        let keys = |l: &[T]| l.iter().map(Keyed::key).collect::<Vec<_>>();
        let new_keys = keys(new);
        Some(ListDelta { set, keys: (keys(old) != new_keys).then_some(new_keys) })
    }

    fn apply(self, list: &mut Vec<T>) {
        let keys = self.keys.unwrap_or_else(|| list.iter().map(Keyed::key).collect());
        let mut items: Vec<T> = std::mem::take(list);
        items.extend(self.set);
        // The last of each key wins: the changed item over the one held.
        *list = keys.iter().filter_map(|k| items.iter().rev().find(|i| &i.key() == k).cloned()).collect();
    }
}

/// The sections replaced whole and the lists, each written once for `between`, `apply`
/// and `is_empty`.
macro_rules! whole_sections {
    ($m:ident) => {
        $m!(counters, promise_today, promise_month, risk, on_duty, hazards)
    };
}
macro_rules! list_sections {
    ($m:ident) => {
        $m!(commands, per_day, by_kind, by_channel, by_township, top_categories, overdue_by_unit, townships)
    };
}

impl ScreenDelta {
    /// What turns reading `old` (number `from`) into `new` (number `to`). Both readings'
    /// dots are in case order (`Screen::sort_dots`).
    pub fn between(old: &Screen, new: &Screen, from: u64, to: u64) -> ScreenDelta {
        let mut d = ScreenDelta { from, to, now_ms: new.now_ms, ..Default::default() };
        macro_rules! diff {
            ($($f:ident),*) => { $( if old.$f != new.$f { d.$f = Some(new.$f.clone()); } )* };
        }
        whole_sections!(diff);
        macro_rules! diff_list {
            ($($f:ident),*) => { $( d.$f = ListDelta::between(&old.$f, &new.$f); )* };
        }
        list_sections!(diff_list);
        let (mut i, mut j) = (0, 0);
        while i < old.dots.len() || j < new.dots.len() {
            match (old.dots.get(i), new.dots.get(j)) {
                (Some(a), Some(b)) if a.case_id == b.case_id => {
                    if a != b {
                        d.dots_set.push(*b);
                    }
                    i += 1;
                    j += 1;
                }
                (Some(a), Some(b)) if a.case_id < b.case_id => {
                    d.dots_gone.push(a.case_id);
                    i += 1;
                }
                (Some(a), None) => {
                    d.dots_gone.push(a.case_id);
                    i += 1;
                }
                (_, Some(b)) => {
                    d.dots_set.push(*b);
                    j += 1;
                }
                (None, None) => break,
            }
        }
        d
    }

    /// Nothing but the clock moved.
    pub fn is_empty(&self) -> bool {
        macro_rules! none {
            ($($f:ident),*) => { true $( && self.$f.is_none() )* };
        }
        whole_sections!(none) && list_sections!(none) && self.dots_gone.is_empty() && self.dots_set.is_empty()
    }
}

impl Screen {
    /// Puts the map's dots in case order, the order deltas are computed and applied in.
    pub fn sort_dots(&mut self) {
        self.dots.sort_by_key(|d| d.case_id);
    }

    /// Applies a delta computed from this reading; `false` (and nothing changed) when the
    /// delta starts from another reading, so the caller asks for the whole screen again.
    pub fn apply(&mut self, d: ScreenDelta, reading: &mut u64) -> bool {
        if d.from != *reading {
            return false;
        }
        *reading = d.to;
        self.now_ms = d.now_ms;
        macro_rules! set {
            ($($f:ident),*) => { $( if let Some(v) = d.$f { self.$f = v; } )* };
        }
        whole_sections!(set);
        macro_rules! set_list {
            ($($f:ident),*) => { $( if let Some(l) = d.$f { l.apply(&mut self.$f); } )* };
        }
        list_sections!(set_list);
        self.dots.retain(|dot| !d.dots_gone.contains(&dot.case_id));
        for dot in d.dots_set {
            match self.dots.binary_search_by_key(&dot.case_id, |x| x.case_id) {
                Ok(i) => self.dots[i] = dot,
                Err(i) => self.dots.insert(i, dot),
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::CaseFilter;
    use crate::domain::screen::{Figure, Rate};
    use proptest::prelude::*;

    fn figure(value: i64) -> Figure {
        Figure { value, filter: CaseFilter::default() }
    }

    fn screen(open: i64, dots: &[(i64, bool)], days: &[i64]) -> Screen {
        let mut s = Screen {
            now_ms: 0,
            counters: Counters {
                received_today: figure(1),
                received_month: figure(2),
                received_year: figure(3),
                open: figure(open),
                overdue: figure(0),
                in_command: figure(0),
                closed_month: figure(0),
                on_time: Rate::default(),
                satisfied: Rate::default(),
            },
            promise_today: Promise::default(),
            promise_month: Promise::default(),
            commands: vec![],
            per_day: days.iter().map(|v| Bar { key: v.to_string(), label: String::new(), figure: figure(*v) }).collect(),
            by_kind: vec![],
            by_channel: vec![],
            by_township: vec![],
            top_categories: vec![],
            overdue_by_unit: vec![],
            townships: vec![],
            dots: dots.iter().map(|&(id, overdue)| CaseDot { case_id: id, lat_e6: id, lng_e6: -id, overdue, in_command: false }).collect(),
            risk: Default::default(),
            on_duty: vec![],
            hazards: vec![],
        };
        s.sort_dots();
        s.dots.dedup_by_key(|d| d.case_id);
        s
    }

    #[test]
    fn only_what_changed_is_sent() {
        let old = screen(5, &[(1, false), (2, false), (3, false)], &[1, 2]);
        let new = screen(6, &[(2, true), (3, false), (4, false)], &[1, 2]);
        let d = ScreenDelta::between(&old, &new, 7, 8);
        assert_eq!(d.counters.as_ref().map(|c| c.open.value), Some(6));
        assert_eq!(d.per_day, None, "the days did not change");
        let days = ScreenDelta::between(&old, &screen(5, &[], &[1, 3]), 7, 8).per_day.expect("a day changed");
        assert_eq!(days.set.iter().map(|b| b.figure.value).collect::<Vec<_>>(), vec![3], "only the changed bar");
        assert_eq!(days.keys, Some(vec!["1".to_string(), "3".to_string()]), "its key is new");
        assert_eq!(d.dots_gone, vec![1]);
        assert_eq!(d.dots_set.iter().map(|x| x.case_id).collect::<Vec<_>>(), vec![2, 4]);
        assert!(!d.is_empty());
        assert!(ScreenDelta::between(&new, &new, 8, 9).is_empty());
    }

    #[test]
    fn a_delta_from_another_reading_is_refused() {
        let old = screen(5, &[(1, false)], &[1]);
        let new = screen(6, &[], &[1]);
        let mut held = old.clone();
        let mut reading = 3;
        assert!(!held.apply(ScreenDelta::between(&old, &new, 2, 4), &mut reading));
        assert_eq!((held, reading), (old, 3));
    }

    proptest! {
        #[test]
        fn applying_the_delta_gives_the_new_reading(
            a in (0i64..50, prop::collection::vec((0i64..40, any::<bool>()), 0..30), prop::collection::vec(0i64..9, 0..5)),
            b in (0i64..50, prop::collection::vec((0i64..40, any::<bool>()), 0..30), prop::collection::vec(0i64..9, 0..5)),
        ) {
            let old = screen(a.0, &a.1, &a.2);
            let new = screen(b.0, &b.1, &b.2);
            let mut held = old.clone();
            let mut reading = 1;
            prop_assert!(held.apply(ScreenDelta::between(&old, &new, 1, 2), &mut reading));
            prop_assert_eq!(reading, 2);
            prop_assert_eq!(held, new);
        }
    }
}
