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

/// The local date of an instant.
pub fn local_date(ms: i64) -> (i64, i64, i64) {
    civil_from_days((ms + CENTER_OFFSET_MS).div_euclid(DAY_MS))
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
