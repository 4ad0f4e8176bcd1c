//! Residents' personal data under PIPL (个人信息保护法): what staff see of a reporter by
//! default, and how long the center keeps it. Minimum necessary: a page shows the contact
//! masked; the full one is read only through an audited "show", and it is erased once the
//! matter has been finished for the retention period.
use super::clock::{CENTER_OFFSET_MS, DAY_MS, civil_from_days, days_from_civil};
use serde::{Deserialize, Serialize};

/// A resident's name and phone as given at intake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: Option<String>,
    pub phone: Option<String>,
}

impl Contact {
    /// `None` when the resident left neither (anonymous reports).
    pub fn given(name: Option<String>, phone: Option<String>) -> Option<Contact> {
        (name.is_some() || phone.is_some()).then_some(Contact { name, phone })
    }

    /// What a page shows until someone asks, on the record, for more.
    pub fn masked(&self) -> Contact {
        Contact { name: self.name.as_deref().map(mask_name), phone: self.phone.as_deref().map(mask_phone) }
    }
}

/// What staff pages carry about a reporter: the masked contact, or when it was erased.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReporterView {
    Anonymous,
    Masked(Contact),
    /// Erased at this instant after the retention period; the history keeps that it was.
    Erased(i64),
}

impl ReporterView {
    pub fn of(contact: Option<Contact>, erased_ms: Option<i64>) -> ReporterView {
        match (erased_ms, contact) {
            (Some(at), _) => ReporterView::Erased(at),
            (None, Some(c)) => ReporterView::Masked(c.masked()),
            (None, None) => ReporterView::Anonymous,
        }
    }
}

/// "张三丰" → "张**": enough for the resident to recognise, nothing for anyone else.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => std::iter::once(first).chain(chars.map(|_| '*')).collect(),
        None => String::new(),
    }
}

/// "13812345678" → "138****5678".
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() < 7 {
        return "*".repeat(chars.len());
    }
    let keep_end = 4;
    chars.iter().enumerate().map(|(i, c)| if i < 3 || i >= chars.len() - keep_end { *c } else { '*' }).collect()
}

/// Free text with every run of seven or more digits masked: a mobile or an identity-card
/// number as a phone is ("138****5678"), a shorter one (a landline) to its ends ("12***67"):
/// a description leaving the system (Open311's public requests) may hold the resident's
/// phone or identity-card number, typed into it.
pub fn mask_numbers_in(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        let n = run.len();
        if n >= 11 {
            out.push_str(&mask_phone(run));
        } else if n >= 7 {
            out.extend(run.chars().enumerate().map(|(i, c)| if i < 2 || i >= n - 2 { c } else { '*' }));
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// How long reporters' contact data is kept after a case is finished (closed, rejected or
/// merged) or a call's suggestion was last touched after the call closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub months: u32,
}

impl Retention {
    /// Two years: long enough for a reopened case or a complaint about the handling,
    /// the usual term for petition files' working copies.
    pub const DEFAULT: Retention = Retention { months: 24 };

    /// `CONTACT_RETENTION_MONTHS`: a whole number of months from 1 to 600.
    pub fn parse(s: &str) -> Option<Retention> {
        s.trim().parse::<u32>().ok().filter(|m| (1..=600).contains(m)).map(|months| Retention { months })
    }

    /// The instant before which a finished matter's contact data is due for erasure: the
    /// same calendar day and time `months` earlier in the center's time zone (the last day
    /// of a shorter month when that day does not exist).
    pub fn cutoff(self, now_ms: i64) -> i64 {
        let local = now_ms + CENTER_OFFSET_MS;
        let days = local.div_euclid(DAY_MS);
        let time = local.rem_euclid(DAY_MS);
        let (y, m, d) = civil_from_days(days);
        let months_back = (y * 12 + (m - 1)) - self.months as i64;
        let (ty, tm) = (months_back.div_euclid(12), months_back.rem_euclid(12) + 1);
        let next_month_first = if tm == 12 { days_from_civil(ty + 1, 1, 1) } else { days_from_civil(ty, tm + 1, 1) };
        let last_day = next_month_first - days_from_civil(ty, tm, 1);
        let day = days_from_civil(ty, tm, d.min(last_day));
        day * DAY_MS + time - CENTER_OFFSET_MS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_free_text_are_masked_as_phones() {
        assert_eq!(mask_numbers_in("请联系13812345678，门牌12号"), "请联系138****5678，门牌12号");
        assert_eq!(mask_numbers_in("身份证330802199001011234"), "身份证330***********1234");
        assert_eq!(mask_numbers_in("2026年3月，共6户"), "2026年3月，共6户");
        assert_eq!(mask_numbers_in("0570-1234567"), "0570-12***67");
    }

    fn at(y: i64, m: i64, d: i64, h: i64) -> i64 {
        days_from_civil(y, m, d) * DAY_MS + h * 3_600_000 - CENTER_OFFSET_MS
    }

    #[test]
    fn personal_data_is_masked() {
        assert_eq!(mask_name("张三丰"), "张**");
        assert_eq!(mask_name(""), "");
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("12345"), "*****");
        let c = Contact { name: Some("王女士".into()), phone: Some("13800005678".into()) };
        assert_eq!(c.masked(), Contact { name: Some("王**".into()), phone: Some("138****5678".into()) });
    }

    #[test]
    fn a_page_never_carries_the_full_contact() {
        let c = Contact::given(Some("耿大伯".into()), Some("13905701234".into()));
        assert_eq!(ReporterView::of(c.clone(), None), ReporterView::Masked(Contact { name: Some("耿**".into()), phone: Some("139****1234".into()) }));
        assert_eq!(ReporterView::of(c, Some(5)), ReporterView::Erased(5));
        assert_eq!(ReporterView::of(Contact::given(None, None), None), ReporterView::Anonymous);
    }

    #[test]
    fn retention_counts_calendar_months_in_the_centers_time_zone() {
        let r = Retention { months: 24 };
        assert_eq!(r.cutoff(at(2026, 12, 4, 9)), at(2024, 12, 4, 9));
        // 00:30 on 1 March in Quzhou is still February in UTC: the month is the center's.
        assert_eq!(Retention { months: 1 }.cutoff(at(2026, 3, 1, 0) + 1_800_000), at(2026, 2, 1, 0) + 1_800_000);
        // 31 March minus one month is the last day of February.
        assert_eq!(Retention { months: 1 }.cutoff(at(2026, 3, 31, 12)), at(2026, 2, 28, 12));
        assert_eq!(Retention { months: 1 }.cutoff(at(2024, 3, 31, 12)), at(2024, 2, 29, 12));
        assert_eq!(Retention { months: 13 }.cutoff(at(2026, 1, 15, 8)), at(2024, 12, 15, 8));
    }

    #[test]
    fn a_retention_setting_must_be_a_sensible_number_of_months() {
        assert_eq!(Retention::parse(" 36 "), Some(Retention { months: 36 }));
        assert_eq!(Retention::parse("0"), None);
        assert_eq!(Retention::parse("601"), None);
        assert_eq!(Retention::parse("two years"), None);
    }
}
