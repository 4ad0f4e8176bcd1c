//! The W3C date-times the spec's filters take: "2026-01-01T00:00:00Z", with an offset or
//! fractions of a second, or a bare date (its start in the center's time).
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Unix milliseconds, or `None` for anything else.
pub fn parse(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    if raw.len() == 10 {
        return app::domain::clock::parse_day_start(raw);
    }
    let t = OffsetDateTime::parse(raw, &Rfc3339).ok()?;
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok()
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn w3c_times_with_any_offset_and_bare_dates() {
        let utc = parse("2026-01-01T00:00:00Z").unwrap();
        assert_eq!(utc, 1_767_225_600_000);
        assert_eq!(parse("2026-01-01T08:00:00+08:00"), Some(utc));
        assert_eq!(parse("2026-01-01T00:00:00.250Z"), Some(utc + 250));
        assert_eq!(parse("2026-01-01"), Some(utc - 8 * 3_600_000), "a date starts at local midnight");
        assert_eq!(parse("yesterday"), None);
        assert_eq!(parse("2026-13-01T00:00:00Z"), None);
    }
}
