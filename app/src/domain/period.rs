//! Reporting periods in the center's calendar: the week (Monday to Sunday) and the month of a
//! bulletin, the month, quarter and year of an evaluation. A period is named by a code such
//! as `week-2026-11-30` (its Monday) or `month-2026-11`, which URLs and exports carry.
use super::clock::{CENTER_OFFSET_MS, DAY_MS, civil_from_days, days_from_civil, local_date, local_day};
use super::report::ReportError;
use serde::{Deserialize, Serialize};

coded_enum!(ReportError =>
    /// How long a period is.
    PeriodKind { Week => "week", Month => "month", Quarter => "quarter", Year => "year" }
);

/// `[start_ms, end_ms)` in the center's time, starting at local midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub kind: PeriodKind,
    pub start_ms: i64,
    pub end_ms: i64,
}

fn day_start(y: i64, m: i64, d: i64) -> i64 {
    days_from_civil(y, m, d) * DAY_MS - CENTER_OFFSET_MS
}

/// The first day of the month `months` after (y, m).
fn add_months(y: i64, m: i64, months: i64) -> (i64, i64) {
    let n = y * 12 + (m - 1) + months;
    (n.div_euclid(12), n.rem_euclid(12) + 1)
}

impl Period {
    /// The period of this kind that contains `ms`.
    pub fn containing(kind: PeriodKind, ms: i64) -> Period {
        let (y, m, _) = local_date(ms);
        let (start, end) = match kind {
            PeriodKind::Week => {
                // 1970-01-01 was a Thursday: day 4 (mod 7) is a Monday.
                let monday = local_day(ms) - (local_day(ms) - 4).rem_euclid(7);
                (monday * DAY_MS - CENTER_OFFSET_MS, (monday + 7) * DAY_MS - CENTER_OFFSET_MS)
            }
            PeriodKind::Month => {
                let (ny, nm) = add_months(y, m, 1);
                (day_start(y, m, 1), day_start(ny, nm, 1))
            }
            PeriodKind::Quarter => {
                let first = (m - 1) / 3 * 3 + 1;
                let (ny, nm) = add_months(y, first, 3);
                (day_start(y, first, 1), day_start(ny, nm, 1))
            }
            PeriodKind::Year => (day_start(y, 1, 1), day_start(y + 1, 1, 1)),
        };
        Period { kind, start_ms: start, end_ms: end }
    }

    /// The period just before this one.
    pub fn previous(self) -> Period {
        Period::containing(self.kind, self.start_ms - 1)
    }

    /// This period and the `n - 1` before it, newest first: what a form offers.
    pub fn recent(kind: PeriodKind, now: i64, n: usize) -> Vec<Period> {
        std::iter::successors(Some(Period::containing(kind, now)), |p| Some(p.previous())).take(n).collect()
    }

    /// The local days it covers, `[first, end)`, as the daily tallies count them.
    pub fn days(self) -> (i64, i64) {
        (local_day(self.start_ms), local_day(self.end_ms))
    }

    /// Whether it is over at `now` (its figures can no longer grow).
    pub fn is_over(self, now: i64) -> bool {
        now >= self.end_ms
    }

    /// `week-2026-11-30`, `month-2026-11`, `quarter-2026-4`, `year-2026`.
    pub fn code(self) -> String {
        let (y, m, d) = local_date(self.start_ms);
        match self.kind {
            PeriodKind::Week => format!("week-{y:04}-{m:02}-{d:02}"),
            PeriodKind::Month => format!("month-{y:04}-{m:02}"),
            PeriodKind::Quarter => format!("quarter-{y:04}-{}", (m - 1) / 3 + 1),
            PeriodKind::Year => format!("year-{y:04}"),
        }
    }

    /// The inverse of `code`; a week must be named by its Monday.
    pub fn parse(code: &str) -> Result<Period, ReportError> {
        let bad = || ReportError::BadPeriod(code.chars().take(40).collect());
        let (kind, rest) = code.trim().split_once('-').ok_or_else(bad)?;
        let kind: PeriodKind = kind.parse().map_err(|_| bad())?;
        let nums: Vec<i64> = rest.split('-').map(|p| p.parse::<i64>()).collect::<Result<_, _>>().map_err(|_| bad())?;
        let start = match (kind, nums.as_slice()) {
            (PeriodKind::Week, [y, m, d]) if (1..=12).contains(m) && civil_from_days(days_from_civil(*y, *m, *d)) == (*y, *m, *d) => day_start(*y, *m, *d),
            (PeriodKind::Month, [y, m]) if (1..=12).contains(m) => day_start(*y, *m, 1),
            (PeriodKind::Quarter, [y, q]) if (1..=4).contains(q) => day_start(*y, (q - 1) * 3 + 1, 1),
            (PeriodKind::Year, [y]) => day_start(*y, 1, 1),
            _ => return Err(bad()),
        };
        let nums_ok = nums.first().is_some_and(|y| (2000..=2200).contains(y));
        let p = Period::containing(kind, start);
        if !nums_ok || p.start_ms != start {
            return Err(bad());
        }
        Ok(p)
    }

    /// The parts a label is made of: (year, month, day) of the first and of the last day.
    pub fn first_and_last_day(self) -> ((i64, i64, i64), (i64, i64, i64)) {
        (local_date(self.start_ms), local_date(self.end_ms - 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::parse_local_minute;

    fn at(s: &str) -> i64 {
        parse_local_minute(s).unwrap()
    }

    #[test]
    fn a_week_runs_monday_to_monday_in_the_centers_time() {
        // Saturday 2026-12-05, 07:30 in Beijing (still Friday in UTC).
        let w = Period::containing(PeriodKind::Week, at("2026-12-05T07:30"));
        assert_eq!((w.start_ms, w.end_ms), (at("2026-11-30T00:00"), at("2026-12-07T00:00")));
        assert_eq!(w.code(), "week-2026-11-30");
        // A Monday just after midnight belongs to its own week, a Sunday at 23:59 to the one before.
        assert_eq!(Period::containing(PeriodKind::Week, at("2026-12-07T00:00")).start_ms, at("2026-12-07T00:00"));
        assert_eq!(Period::containing(PeriodKind::Week, at("2026-12-06T23:59")).start_ms, w.start_ms);
        assert_eq!(w.previous().code(), "week-2026-11-23");
        assert_eq!(w.days().1 - w.days().0, 7);
    }

    #[test]
    fn months_quarters_and_years_cross_their_boundaries() {
        let m = Period::containing(PeriodKind::Month, at("2026-12-31T23:59"));
        assert_eq!((m.start_ms, m.end_ms), (at("2026-12-01T00:00"), at("2027-01-01T00:00")));
        assert_eq!(m.code(), "month-2026-12");
        assert_eq!(m.previous().code(), "month-2026-11");
        assert_eq!(Period::containing(PeriodKind::Month, at("2027-01-01T00:00")).code(), "month-2027-01");
        let q = Period::containing(PeriodKind::Quarter, at("2026-08-15T12:00"));
        assert_eq!((q.code(), q.start_ms, q.end_ms), ("quarter-2026-3".to_string(), at("2026-07-01T00:00"), at("2026-10-01T00:00")));
        assert_eq!(q.previous().code(), "quarter-2026-2");
        assert_eq!(Period::containing(PeriodKind::Quarter, at("2026-01-01T00:00")).previous().code(), "quarter-2025-4");
        let y = Period::containing(PeriodKind::Year, at("2026-06-01T00:00"));
        assert_eq!((y.code(), y.days().1 - y.days().0), ("year-2026".to_string(), 365));
        assert_eq!(
            Period::containing(PeriodKind::Year, at("2028-06-01T00:00")).days().1 - Period::containing(PeriodKind::Year, at("2028-06-01T00:00")).days().0,
            366
        );
    }

    #[test]
    fn codes_round_trip_and_nonsense_is_refused() {
        let now = at("2026-12-05T10:00");
        for kind in PeriodKind::ALL {
            for p in Period::recent(*kind, now, 14) {
                assert_eq!(Period::parse(&p.code()), Ok(p), "{}", p.code());
            }
        }
        assert_eq!(Period::recent(PeriodKind::Month, now, 3).iter().map(|p| p.code()).collect::<Vec<_>>(), ["month-2026-12", "month-2026-11", "month-2026-10"]);
        for bad in [
            "",
            "week",
            "week-2026-12-01",
            "week-2026-02-30",
            "month-2026-13",
            "month-2026",
            "quarter-2026-5",
            "year-26",
            "day-2026-12-01",
            "month-x-1",
            "year-2026-1",
        ] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_period_is_over_at_its_end() {
        let w = Period::containing(PeriodKind::Week, at("2026-12-05T07:30"));
        assert!(!w.is_over(w.end_ms - 1));
        assert!(w.is_over(w.end_ms));
    }
}
