//! Calendar arithmetic in the center's time zone (UTC+8, no daylight saving), so dates
//! on screen, in codes and in filters agree without a time-zone library in the browser.
pub const CENTER_OFFSET_MS: i64 = 8 * 3600 * 1000;
pub const DAY_MS: i64 = 86_400_000;

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The inverse of `civil_from_days`.
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The local day of an instant: whole days since 1970-01-01 in the center's zone (the key
/// of the register's daily tallies).
pub fn local_day(ms: i64) -> i64 {
    (ms + CENTER_OFFSET_MS).div_euclid(DAY_MS)
}

/// The local date of an instant.
pub fn local_date(ms: i64) -> (i64, i64, i64) {
    civil_from_days(local_day(ms))
}

/// `YYYY-MM-DD` (as a date input gives it) to the instant the day starts locally.
pub fn parse_day_start(raw: &str) -> Option<i64> {
    let mut it = raw.trim().splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (it.next()??, it.next()??, it.next()??);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || civil_from_days(days_from_civil(y, m, d)) != (y, m, d) {
        return None;
    }
    Some(days_from_civil(y, m, d) * DAY_MS - CENTER_OFFSET_MS)
}

/// `YYYY-MM-DDTHH:MM` (as a datetime-local input gives it, in the center's time) to an instant.
pub fn parse_local_minute(raw: &str) -> Option<i64> {
    let (day, time) = raw.trim().split_once('T')?;
    let start = parse_day_start(day)?;
    let (h, m) = time.split_once(':')?;
    let (h, m) = (h.parse::<i64>().ok()?, m.get(..2)?.parse::<i64>().ok()?);
    if !(0..24).contains(&h) || !(0..60).contains(&m) {
        return None;
    }
    Some(start + (h * 60 + m) * 60_000)
}

/// An instant as `YYYY-MM-DDTHH:MM` in the center's time, the form `parse_local_minute` reads.
pub fn minute_string(ms: i64) -> String {
    let local = ms + CENTER_OFFSET_MS;
    let minute = local.div_euclid(60_000).rem_euclid(1440);
    format!("{}T{:02}:{:02}", day_string(ms), minute / 60, minute % 60)
}

/// The local time of day of an instant as `HH:MM`.
pub fn hour_minute(ms: i64) -> String {
    minute_string(ms)[11..].to_string()
}

/// The local date of an instant as `YYYY-MM-DD`, the form `parse_day_start` reads.
pub fn day_string(ms: i64) -> String {
    let (y, m, d) = local_date(ms);
    format!("{y:04}-{m:02}-{d:02}")
}

/// When the local day, month and year of `ms` began: the screen's "today", "this month"
/// and "this year".
pub fn period_starts(ms: i64) -> PeriodStarts {
    let (y, m, d) = local_date(ms);
    let start = |y, m, d| days_from_civil(y, m, d) * DAY_MS - CENTER_OFFSET_MS;
    PeriodStarts { day: start(y, m, d), month: start(y, m, 1), year: start(y, 1, 1) }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodStarts {
    pub day: i64,
    pub month: i64,
    pub year: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_local_minute_round_trips_and_nonsense_is_refused() {
        // 2026-12-05 18:30 in Beijing is 10:30 UTC.
        let at = parse_local_minute("2026-12-05T18:30").unwrap();
        assert_eq!(at, days_from_civil(2026, 12, 5) * DAY_MS + 10 * 3_600_000 + 30 * 60_000);
        assert_eq!(minute_string(at), "2026-12-05T18:30");
        assert_eq!(parse_local_minute("2026-12-05T18:30:00"), Some(at));
        for bad in ["", "2026-12-05", "2026-12-05T24:00", "2026-12-05T18:60", "2026-02-30T08:00", "x"] {
            assert_eq!(parse_local_minute(bad), None, "{bad}");
        }
    }

    #[test]
    fn days_round_trip_and_bad_dates_are_refused() {
        for z in [-800_000, -1, 0, 1, 19_000, 20_454, 2_000_000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(parse_day_start("1970-01-01"), Some(-CENTER_OFFSET_MS));
        assert_eq!(parse_day_start("2026-02-30"), None);
        assert_eq!(parse_day_start("2026-13-01"), None);
        assert_eq!(parse_day_start("yesterday"), None);
        assert_eq!(local_date(1_795_883_400_000), (2026, 11, 29));
    }

    #[test]
    fn periods_start_at_local_midnight() {
        // 2026-12-04 01:30 in the center is 2026-12-03 17:30 UTC.
        let t = parse_day_start("2026-12-04").unwrap() + 90 * 60 * 1000;
        let p = period_starts(t);
        assert_eq!(p.day, parse_day_start("2026-12-04").unwrap());
        assert_eq!(p.month, parse_day_start("2026-12-01").unwrap());
        assert_eq!(p.year, parse_day_start("2026-01-01").unwrap());
        assert_eq!(day_string(t), "2026-12-04");
        assert_eq!(day_string(p.day - 1), "2026-12-03");
        // The first instant of a year belongs to it.
        assert_eq!(period_starts(p.year).year, p.year);
        assert_eq!(period_starts(p.year - 1).year, parse_day_start("2025-01-01").unwrap());
    }
}
