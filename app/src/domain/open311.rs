//! Open311 GeoReport v2's rules (issue 17): how a case shows as a service request (open or
//! closed), the window of days a list of requests covers, and the requester's name.
use super::case::{CaseStatus, GeoPoint};
use super::clock::{CENTER_OFFSET_MS, DAY_MS, civil_from_days};

/// A list of requests spans at most 90 days, and without dates it is the latest 90 (the spec's
/// "may not span more than 90 days … defaults to most recent 90 days").
pub const WINDOW_MS: i64 = 90 * DAY_MS;
/// At most this many requests in one answer, newest first; `page` goes further back.
pub const PAGE_MAX: u32 = 1000;

/// A service request's status as the spec knows it: open while reported and being worked on,
/// closed once resolved (or refused, or merged into another request).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicStatus {
    Open,
    Closed,
}

impl PublicStatus {
    pub fn code(self) -> &'static str {
        match self {
            PublicStatus::Open => "open",
            PublicStatus::Closed => "closed",
        }
    }

    pub fn parse(raw: &str) -> Result<PublicStatus, WindowError> {
        match raw.trim() {
            "open" => Ok(PublicStatus::Open),
            "closed" => Ok(PublicStatus::Closed),
            other => Err(WindowError::BadStatus(other.chars().take(40).collect())),
        }
    }

    pub fn of(status: CaseStatus) -> PublicStatus {
        use CaseStatus::*;
        match status {
            Received | Triage | Dispatched | InProgress | Reopened => PublicStatus::Open,
            Resolved | Verified | FollowUp | Closed | Rejected | Merged => PublicStatus::Closed,
        }
    }

    /// The case statuses that show as this one.
    pub fn case_statuses(self) -> Vec<CaseStatus> {
        CaseStatus::ALL.iter().copied().filter(|s| PublicStatus::of(*s) == self).collect()
    }
}

/// A case filed through Open311, as its requester may follow it. Nothing of the requester.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceRequest {
    /// The case's tracking code: the request's `service_request_id`.
    pub code: String,
    pub status: CaseStatus,
    pub category: String,
    pub category_name: String,
    /// As filed, with long numbers masked (`privacy::mask_numbers_in`).
    pub description: String,
    /// The lead unit, once dispatched: the spec's `agency_responsible`.
    pub lead_unit: Option<String>,
    pub address: Option<String>,
    pub location: Option<GeoPoint>,
    pub received_ms: i64,
    pub updated_ms: i64,
    pub deadline_ms: i64,
    pub media_url: Option<String>,
    /// The lead unit's result once resolved, or the reason of a refusal or a reopening.
    pub note: Option<String>,
    /// The code of the request it was merged into.
    pub merged_into: Option<String>,
}

/// What a list of requests asks for; `codes` (the spec's `service_request_id`) overrides
/// every other filter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestQuery {
    pub codes: Vec<String>,
    pub categories: Vec<String>,
    pub statuses: Vec<CaseStatus>,
    pub window: Option<Window>,
    /// From 1.
    pub page: u32,
    pub page_size: u32,
}

/// Why a list's filter is refused (the spec answers 400).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    #[error("end_date is before start_date")]
    EndBeforeStart,
    #[error("start_date and end_date may not span more than 90 days")]
    TooLong,
    #[error("status must be open or closed, not {0:?}")]
    BadStatus(String),
}

/// The requested times a list covers, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from_ms: i64,
    pub until_ms: i64,
}

impl Window {
    /// The window of a list: the dates given, or 90 days from the one given, or the latest 90.
    pub fn of(start_ms: Option<i64>, end_ms: Option<i64>, now_ms: i64) -> Result<Window, WindowError> {
        let (from_ms, until_ms) = match (start_ms, end_ms) {
            (None, None) => (now_ms - WINDOW_MS, now_ms),
            (Some(s), None) => (s, s + WINDOW_MS),
            (None, Some(e)) => (e - WINDOW_MS, e),
            (Some(s), Some(e)) => (s, e),
        };
        if until_ms < from_ms {
            return Err(WindowError::EndBeforeStart);
        }
        if until_ms - from_ms > WINDOW_MS {
            return Err(WindowError::TooLong);
        }
        Ok(Window { from_ms, until_ms })
    }
}

/// What a request's requester is told beside its status: the lead unit's result once given,
/// or why it was refused. A return or a reopening's reason is the staff's business.
pub fn public_note(status: CaseStatus, result: Option<String>, reason: Option<String>) -> Option<String> {
    use CaseStatus::*;
    match status {
        Resolved | Verified | FollowUp | Closed => result,
        Rejected => reason,
        _ => None,
    }
}

/// An instant in the W3C form the spec answers with, in the center's time:
/// "2026-03-01T08:30:00+08:00".
pub fn w3c(ms: i64) -> String {
    let local = ms + CENTER_OFFSET_MS;
    let (y, m, d) = civil_from_days(local.div_euclid(DAY_MS));
    let secs = local.div_euclid(1000).rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+08:00", secs / 3600, secs / 60 % 60, secs % 60)
}

/// The requester's name as the register keeps names: family name first, joined, for Chinese
/// names ("张" + "三" → "张三"); given name first with a space for names in Latin letters.
pub fn requester_name(first_name: &str, last_name: &str) -> Option<String> {
    let (first, last) = (first_name.trim(), last_name.trim());
    match (first.is_empty(), last.is_empty()) {
        (true, true) => None,
        (false, true) => Some(first.to_string()),
        (true, false) => Some(last.to_string()),
        (false, false) if format!("{first}{last}").chars().all(|c| c.is_ascii()) => Some(format!("{first} {last}")),
        (false, false) => Some(format!("{last}{first}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;

    #[test]
    fn a_request_is_open_until_its_result_is_given() {
        assert_eq!(PublicStatus::of(CaseStatus::Received), PublicStatus::Open);
        assert_eq!(PublicStatus::of(CaseStatus::InProgress), PublicStatus::Open);
        assert_eq!(PublicStatus::of(CaseStatus::Reopened), PublicStatus::Open);
        assert_eq!(PublicStatus::of(CaseStatus::Resolved), PublicStatus::Closed);
        assert_eq!(PublicStatus::of(CaseStatus::Rejected), PublicStatus::Closed);
        let (open, closed) = (PublicStatus::Open.case_statuses(), PublicStatus::Closed.case_statuses());
        assert_eq!(open.len() + closed.len(), CaseStatus::ALL.len());
        assert!(closed.contains(&CaseStatus::Merged) && !open.contains(&CaseStatus::Merged));
        assert_eq!(PublicStatus::parse(" closed "), Ok(PublicStatus::Closed));
        assert_eq!(PublicStatus::parse("pending"), Err(WindowError::BadStatus("pending".into())));
    }

    #[test]
    fn a_list_covers_the_latest_ninety_days_unless_told() {
        assert_eq!(Window::of(None, None, NOW), Ok(Window { from_ms: NOW - WINDOW_MS, until_ms: NOW }));
        assert_eq!(Window::of(Some(NOW - DAY_MS), None, NOW), Ok(Window { from_ms: NOW - DAY_MS, until_ms: NOW - DAY_MS + WINDOW_MS }));
        assert_eq!(Window::of(None, Some(NOW - DAY_MS), NOW), Ok(Window { from_ms: NOW - DAY_MS - WINDOW_MS, until_ms: NOW - DAY_MS }));
        assert_eq!(Window::of(Some(NOW - WINDOW_MS), Some(NOW), NOW).map(|w| w.until_ms - w.from_ms), Ok(WINDOW_MS));
    }

    #[test]
    fn a_list_may_not_run_backwards_or_span_more_than_ninety_days() {
        assert_eq!(Window::of(Some(NOW), Some(NOW - 1), NOW), Err(WindowError::EndBeforeStart));
        assert_eq!(Window::of(Some(NOW - WINDOW_MS - 1), Some(NOW), NOW), Err(WindowError::TooLong));
    }

    #[test]
    fn the_note_is_the_result_or_the_refusal_never_an_internal_reason() {
        let (result, reason) = (Some("已修复".to_string()), Some("不属本单位".to_string()));
        assert_eq!(public_note(CaseStatus::Closed, result.clone(), reason.clone()), result);
        assert_eq!(public_note(CaseStatus::Rejected, None, reason.clone()), reason);
        assert_eq!(public_note(CaseStatus::Triage, None, reason.clone()), None, "a return's reason stays inside");
        assert_eq!(public_note(CaseStatus::Reopened, result, reason), None);
    }

    #[test]
    fn times_are_written_in_the_centers_zone() {
        assert_eq!(w3c(1_767_225_600_000), "2026-01-01T08:00:00+08:00");
        assert_eq!(w3c(1_767_225_600_000 + 16 * 3_600_000 - 1), "2026-01-01T23:59:59+08:00");
    }

    #[test]
    fn names_are_joined_in_their_own_order() {
        assert_eq!(requester_name("三", "张").as_deref(), Some("张三"));
        assert_eq!(requester_name("Wei", "Zhang").as_deref(), Some("Wei Zhang"));
        assert_eq!(requester_name(" ", "王").as_deref(), Some("王"));
        assert_eq!(requester_name("", ""), None);
    }
}
