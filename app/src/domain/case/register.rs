//! The register as people read it: list rows and their filter, the case page, the
//! timeline, the residents' tracking view, and the rules for spotting duplicates and
//! for which actions a viewer is offered.
use super::{Actor, Assignment, Case, CaseCommand, CaseId, CaseKind, CaseStatus, Change, Channel, CommandKind, GeoPoint, SlaLevel, UnitId, Urgency, decide};
use serde::{Deserialize, Serialize};

pub const PAGE_SIZE: usize = 50;
/// Duplicates are looked for among cases received in the last week…
pub const DUPLICATE_WINDOW_MS: i64 = 7 * 24 * 3600 * 1000;
/// …in the same village, or within this distance.
pub const DUPLICATE_RADIUS_M: f64 = 200.0;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub id: CaseId,
    pub code: String,
    pub title: String,
    pub kind: CaseKind,
    pub category: String,
    pub category_name: String,
    pub channel: Channel,
    pub urgency: Urgency,
    pub status: CaseStatus,
    pub area_id: Option<i64>,
    pub area_code: Option<String>,
    pub area_name: Option<String>,
    pub lead_unit: Option<String>,
    pub location: Option<GeoPoint>,
    pub received_ms: i64,
    pub deadline_ms: i64,
    pub stopped_ms: Option<i64>,
}

impl CaseSummary {
    /// How far through its time the case is, as the list colours it.
    pub fn sla_level(&self, now_ms: i64) -> SlaLevel {
        let clock =
            super::SlaClock { started_ms: self.received_ms, allowed_ms: self.deadline_ms - self.received_ms, extended_ms: 0, stopped_ms: self.stopped_ms };
        clock.level(now_ms)
    }
}

/// How many of a caller's earlier cases the intake desk lists, newest first.
pub const CALLER_HISTORY_MAX: usize = 10;

/// What the intake desk sees of a caller while the call goes on: how many cases their phone
/// reported before, and the newest of them with the reporter's name masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CallerHistory {
    pub total: i64,
    pub recent: Vec<CallerCase>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallerCase {
    pub case: CaseSummary,
    /// Masked ("张**"): the caller's own name is the one on the phone, not on the page.
    pub reporter_name: Option<String>,
}

/// Where the list continues: rows are ordered newest first, ties broken by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub received_ms: i64,
    pub id: CaseId,
}

impl Cursor {
    /// As it travels in a URL: `received-id`.
    pub fn encode(&self) -> String {
        format!("{}-{}", self.received_ms, self.id)
    }

    pub fn decode(raw: &str) -> Option<Cursor> {
        let (r, i) = raw.split_once('-')?;
        Some(Cursor { received_ms: r.parse().ok()?, id: i.parse().ok()? })
    }
}

/// Serialised without its unset fields: a screen carries one per figure.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CaseFilter {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<CaseStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<CaseKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// This area and everything below it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area_id: Option<i64>,
    /// Cases this unit holds or held.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_id: Option<UnitId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    /// Open and past the deadline.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub overdue: bool,
    /// Not finished (neither closed, rejected nor merged).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub open: bool,
    /// In a live palm command.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub command: bool,
    /// Received in this range.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_ms: Option<i64>,
    /// Closed in this range (and still closed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_from_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_to_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl CaseFilter {
    /// The filter a query string describes (`status`, `kind`, `category`, `area`, `unit`,
    /// `channel`, `overdue=1`, `open=1`, `command=1`, `from`/`to` and
    /// `closed_from`/`closed_to` as local dates, `q`). Unknown values are ignored rather
    /// than refused: a hand-edited URL should still show a list.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> CaseFilter {
        use crate::domain::clock::{DAY_MS, parse_day_start};
        let get = |k: &str| get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        CaseFilter {
            status: get("status").and_then(|v| v.parse().ok()),
            kind: get("kind").and_then(|v| v.parse().ok()),
            category: get("category"),
            area_id: get("area").and_then(|v| v.parse().ok()),
            unit_id: get("unit").and_then(|v| v.parse().ok()),
            channel: get("channel").and_then(|v| v.parse().ok()),
            overdue: get("overdue").is_some_and(|v| v == "1"),
            open: get("open").is_some_and(|v| v == "1"),
            command: get("command").is_some_and(|v| v == "1"),
            from_ms: get("from").and_then(|v| parse_day_start(&v)),
            // The "to" day is included: the range ends when the next day starts.
            to_ms: get("to").and_then(|v| parse_day_start(&v)).map(|t| t + DAY_MS),
            closed_from_ms: get("closed_from").and_then(|v| parse_day_start(&v)),
            closed_to_ms: get("closed_to").and_then(|v| parse_day_start(&v)).map(|t| t + DAY_MS),
            text: get("q"),
        }
    }

    /// The query string that `from_query` reads back as this filter (dates as whole local
    /// days), starting with `?`, or empty: the link a figure on the screen opens.
    pub fn to_query(&self) -> String {
        use crate::domain::clock::day_string;
        let mut parts: Vec<(&str, String)> = Vec::new();
        if let Some(s) = self.status {
            parts.push(("status", s.code().into()));
        }
        if let Some(k) = self.kind {
            parts.push(("kind", k.code().into()));
        }
        if let Some(c) = &self.category {
            parts.push(("category", c.clone()));
        }
        if let Some(a) = self.area_id {
            parts.push(("area", a.to_string()));
        }
        if let Some(u) = self.unit_id {
            parts.push(("unit", u.to_string()));
        }
        if let Some(c) = self.channel {
            parts.push(("channel", c.code().into()));
        }
        for (on, key) in [(self.overdue, "overdue"), (self.open, "open"), (self.command, "command")] {
            if on {
                parts.push((key, "1".into()));
            }
        }
        // An end is exclusive inside the filter and an included day in the URL.
        for (ms, key, end) in
            [(self.from_ms, "from", false), (self.to_ms, "to", true), (self.closed_from_ms, "closed_from", false), (self.closed_to_ms, "closed_to", true)]
        {
            if let Some(ms) = ms {
                parts.push((key, day_string(if end { ms - 1 } else { ms })));
            }
        }
        if let Some(q) = &self.text {
            parts.push(("q", q.clone()));
        }
        if parts.is_empty() {
            return String::new();
        }
        let encoded: Vec<String> = parts.into_iter().map(|(k, v)| format!("{k}={}", percent_encode(&v))).collect();
        format!("?{}", encoded.join("&"))
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986), so Chinese text
/// and `&` travel safely in a query string.
fn percent_encode(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasePage {
    pub rows: Vec<CaseSummary>,
    pub next: Option<Cursor>,
    /// The server's clock when the page was read, so clocks render the same everywhere.
    pub now_ms: i64,
}

/// A township's, village's or grid's cases for its own unit's staff (辖区事件).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaPage {
    pub area_name: String,
    pub page: CasePage,
}

/// The village (or community) an area code lies in: area codes spell the path from the
/// district (`D-03-02-01` is grid 1 of village 2 of township 3), so the village is the
/// first three parts.
pub fn village_of(area_code: &str) -> Option<&str> {
    let mut dashes = area_code.match_indices('-').map(|(i, _)| i);
    let _township = dashes.next()?;
    match (dashes.next(), dashes.next()) {
        (Some(_), Some(end)) => Some(&area_code[..end]),
        (Some(_), None) => Some(area_code),
        _ => None,
    }
}

/// Is `other` (an open case of the same category from the last week) a likely duplicate
/// of a new case here? Same village, or within 200 m.
pub fn near_enough(area_code: Option<&str>, point: Option<&GeoPoint>, other: &CaseSummary) -> bool {
    let same_village = match (area_code.and_then(village_of), other.area_code.as_deref().and_then(village_of)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    };
    let close = match (point, &other.location) {
        (Some(a), Some(b)) => a.distance_m(b) <= DUPLICATE_RADIUS_M,
        _ => false,
    };
    same_village || close
}

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub seq: i64,
    pub at_ms: i64,
    /// Staff name, or none for a resident or the system.
    pub actor_name: Option<String>,
    pub resident: bool,
    pub change: Change,
    pub attachments: Vec<AttachmentInfo>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentInfo {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
}

impl AttachmentInfo {
    pub fn is_image(&self) -> bool {
        self.content_type.starts_with("image/")
    }
}

/// A unit's name next to its assignment, for the case page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentView {
    pub unit_name: String,
    pub assignment: Assignment,
}

/// Everything the case page shows, already cut to what the viewer may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDetail {
    pub summary: CaseSummary,
    pub description: String,
    pub address: Option<String>,
    /// Masked: the full contact only through the audited `service::privacy::case_contact`.
    pub reporter: crate::domain::privacy::ReporterView,
    pub case: Case,
    pub assignments: Vec<AssignmentView>,
    pub timeline: Vec<TimelineEntry>,
    /// Files given at intake (progress photos hang off their timeline entries).
    pub attachments: Vec<AttachmentInfo>,
    /// What this viewer may do now.
    pub actions: Vec<CommandKind>,
    /// The viewer's own unit, when it holds the case: unit actions apply to it.
    pub my_unit: Option<UnitId>,
    /// The reader's unit never held the case: it reads it as a case of its area, read only.
    #[serde(default)]
    pub read_only: bool,
    pub merged_into_code: Option<String>,
    /// Names of every unit that ever held the case, for the timeline.
    pub unit_names: Vec<(UnitId, String)>,
    /// Names of the staff the history names as commanders.
    pub people: Vec<(super::UserId, String)>,
    /// Names of the categories the history names (a case filed under another).
    #[serde(default)]
    pub category_names: Vec<(String, String)>,
    pub now_ms: i64,
}

impl CaseDetail {
    pub fn unit_name(&self, id: UnitId) -> String {
        self.unit_names.iter().find(|(u, _)| *u == id).map_or_else(|| format!("#{id}"), |(_, n)| n.clone())
    }
}

/// What a resident sees on the tracking page: no staff names, personal data masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackView {
    pub code: String,
    pub title: String,
    pub category_name: String,
    pub status: CaseStatus,
    pub received_ms: i64,
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
    pub result: Option<String>,
    pub merged_into_code: Option<String>,
    /// (when, what happened), oldest first.
    pub history: Vec<(i64, PublicStep)>,
    pub can_rate: bool,
}

/// The steps a resident is told about, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PublicStep {
    Received,
    Rejected { reason: String },
    Merged,
    Dispatched { units: Vec<String> },
    InProgress,
    Progress { unit: String, text: String },
    Resolved { result: String },
    Verified,
    FollowUp,
    Rated { satisfied: bool },
    Closed,
    Reopened,
}

/// A resident's view of one history entry, or nothing for internal steps (signatures,
/// extension requests, who returned what).
pub fn public_step(change: &Change, unit_name: impl Fn(UnitId) -> String) -> Option<PublicStep> {
    Some(match change {
        Change::Received { .. } => PublicStep::Received,
        Change::Rejected { reason } => PublicStep::Rejected { reason: reason.clone() },
        Change::Merged { .. } => PublicStep::Merged,
        Change::Dispatched { lead, cooperating, .. } => {
            PublicStep::Dispatched { units: std::iter::once(lead).chain(cooperating).map(|u| unit_name(*u)).collect() }
        }
        Change::AllSigned { .. } => PublicStep::InProgress,
        Change::Progressed { unit, text, .. } => PublicStep::Progress { unit: unit_name(*unit), text: text.clone() },
        Change::Resolved { result, .. } => PublicStep::Resolved { result: result.clone() },
        Change::Verified => PublicStep::Verified,
        Change::FollowUpStarted { .. } => PublicStep::FollowUp,
        Change::FollowUpRecorded { satisfied: Some(s), .. } => PublicStep::Rated { satisfied: *s },
        Change::Closed { .. } => PublicStep::Closed,
        Change::Reopened { .. } => PublicStep::Reopened,
        _ => return None,
    })
}

/// The commands `by` could issue on `case` right now: each is tried against the rules
/// with stand-in texts, so the page offers exactly what the server would accept.
pub fn offered(case: &Case, by: &Actor, now_ms: i64) -> Vec<CommandKind> {
    let unit = by.unit_id().unwrap_or(-1);
    let text = || "·".to_string();
    // Stand-in units for a dispatch: two ids no real unit has; a category no case has.
    let elsewhere = super::Category {
        code: String::new(),
        name: String::new(),
        kind: case.kind,
        allowed_ms: case.terms.allowed_ms,
        ack_ms: case.terms.ack_ms,
        list_after_ms: case.terms.list_after_ms,
        escalate_again_ms: case.terms.escalate_again_ms,
        active: true,
        department_id: None,
    };
    let probes = [
        CaseCommand::Triage,
        CaseCommand::Reject { reason: text() },
        CaseCommand::Merge { into: case.id.wrapping_add(1) },
        CaseCommand::Recategorise { to: Box::new(elsewhere), reason: text() },
        CaseCommand::Dispatch { lead: -2, cooperating: vec![-3] },
        CaseCommand::Sign { unit },
        CaseCommand::Progress { unit, text: text(), place: None },
        CaseCommand::RequestExtension { unit, ms: super::MIN_EXTENSION_MS, reason: text() },
        CaseCommand::Return { unit, reason: text() },
        CaseCommand::FinishPart { unit },
        CaseCommand::Resolve { unit, result: text() },
        CaseCommand::Verify,
        CaseCommand::RecordFollowUp { satisfied: Some(true), comment: None },
        CaseCommand::Reopen { reason: text() },
        CaseCommand::Launch { commander: -1, lead: -2, cooperating: vec![-3] },
        CaseCommand::Direct { to: vec![], text: text() },
        CaseCommand::HandOver { to: -1 },
        CaseCommand::CloseCommand { summary: text() },
        CaseCommand::SubTask { unit, units: vec![-4], text: text() },
        CaseCommand::Remind { text: text() },
        CaseCommand::Track { feedback_due_ms: now_ms.saturating_add(3_600_000), text: text() },
        CaseCommand::List { deadline_ms: now_ms.saturating_add(3_600_000), leader: text(), reason: text() },
        CaseCommand::TickOff { note: text() },
    ];
    let mut kinds: Vec<CommandKind> = probes.iter().filter(|c| decide(case, by, now_ms, c).is_ok()).map(|c| c.kind()).collect();
    // Deciding an extension depends on which unit asked; offer it when any request waits.
    let pending = case.current_assignments().filter(|a| a.pending_extension.is_some());
    if pending.into_iter().any(|a| decide(case, by, now_ms, &CaseCommand::DecideExtension { unit: a.unit, approve: false, note: None }).is_ok()) {
        kinds.push(CommandKind::DecideExtension);
    }
    kinds
}

/// What intake and dispatch forms choose from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseOptions {
    pub categories: Vec<super::Category>,
    pub places: Vec<crate::domain::org::Place>,
    pub units: Vec<crate::domain::org::UnitChoice>,
    /// The caller's unit's area, to prefill the field form.
    pub my_area_id: Option<i64>,
    /// The caller may launch a palm command straight from a field report.
    pub can_launch: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::{Category, Intake, SlaClass};
    use crate::domain::org::Role;

    fn summary(area_code: Option<&str>, location: Option<GeoPoint>) -> CaseSummary {
        CaseSummary {
            id: 7,
            code: "X".into(),
            title: "t".into(),
            kind: CaseKind::GovernanceIncident,
            category: "noise".into(),
            category_name: "噪音".into(),
            channel: Channel::Online,
            urgency: Urgency::Normal,
            status: CaseStatus::Received,
            area_id: None,
            area_code: area_code.map(Into::into),
            area_name: None,
            lead_unit: None,
            location,
            received_ms: 0,
            deadline_ms: 1000,
            stopped_ms: None,
        }
    }

    #[test]
    fn the_village_is_read_off_the_area_code() {
        assert_eq!(village_of("D-01-02-01"), Some("D-01-02"));
        assert_eq!(village_of("D-01-02"), Some("D-01-02"));
        assert_eq!(village_of("D-01"), None);
        assert_eq!(village_of("D"), None);
    }

    #[test]
    fn a_duplicate_is_in_the_same_village_or_within_two_hundred_metres() {
        let here = GeoPoint::from_degrees(28.98, 118.96).unwrap();
        let near = GeoPoint::from_degrees(28.9815, 118.96).unwrap();
        let far = GeoPoint::from_degrees(28.99, 118.96).unwrap();
        assert!(near_enough(Some("D-01-02-01"), None, &summary(Some("D-01-02-02"), None)), "other grid, same village");
        assert!(!near_enough(Some("D-01-02"), None, &summary(Some("D-01-03"), None)));
        assert!(near_enough(None, Some(&here), &summary(None, Some(near))));
        assert!(!near_enough(None, Some(&here), &summary(None, Some(far))));
        assert!(!near_enough(None, None, &summary(None, None)));
    }

    #[test]
    fn a_query_string_becomes_a_filter_and_nonsense_is_ignored() {
        let q = |k: &str| match k {
            "status" => Some("in_progress".to_string()),
            "kind" => Some("nonsense".to_string()),
            "overdue" => Some("1".to_string()),
            "from" => Some("2026-11-01".to_string()),
            "to" => Some("2026-11-01".to_string()),
            "q" => Some("  ".to_string()),
            _ => None,
        };
        let f = CaseFilter::from_query(q);
        assert_eq!(f.status, Some(CaseStatus::InProgress));
        assert_eq!((f.kind, f.text, f.overdue), (None, None, true));
        assert_eq!(f.to_ms.unwrap() - f.from_ms.unwrap(), 86_400_000, "the to-day is included");
    }

    #[test]
    fn a_filter_survives_a_round_trip_through_its_link() {
        use crate::domain::clock::parse_day_start;
        let day = parse_day_start("2026-12-04").unwrap();
        let f = CaseFilter {
            status: Some(CaseStatus::Closed),
            kind: Some(CaseKind::ALL[1]),
            category: Some("noise".into()),
            area_id: Some(7),
            unit_id: Some(9),
            channel: Some(Channel::Online),
            overdue: true,
            open: true,
            command: true,
            from_ms: Some(day),
            to_ms: Some(day + 86_400_000),
            closed_from_ms: Some(day - 3 * 86_400_000),
            closed_to_ms: Some(day + 86_400_000),
            text: Some("噪音 & 扰民".into()),
        };
        let link = f.to_query();
        assert!(link.starts_with("?status=closed&") && link.contains("to=2026-12-04") && !link.contains(' '), "{link}");
        let pairs: Vec<(String, String)> = link[1..]
            .split('&')
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap();
                let bytes = v.as_bytes();
                let mut out = Vec::new();
                let mut i = 0;
                while i < bytes.len() {
                    if bytes[i] == b'%' {
                        out.push(u8::from_str_radix(&v[i + 1..i + 3], 16).unwrap());
                        i += 3;
                    } else {
                        out.push(bytes[i]);
                        i += 1;
                    }
                }
                (k.to_string(), String::from_utf8(out).unwrap())
            })
            .collect();
        let back = CaseFilter::from_query(|k| pairs.iter().find(|p| p.0 == k).map(|p| p.1.clone()));
        assert_eq!(back, f);
        assert_eq!(CaseFilter::default().to_query(), "");
    }

    #[test]
    fn cursors_survive_a_round_trip_through_the_url() {
        let c = Cursor { received_ms: 1_700_000_000_000, id: 42 };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("nonsense"), None);
    }

    #[test]
    fn each_viewer_is_offered_only_what_the_rules_allow() {
        let cat = Category::preset("noise", "噪音", CaseKind::GovernanceIncident, SlaClass::Utilities).unwrap();
        let op = Actor::staff(1, Role::Operator, None);
        let staff = Actor::staff(2, Role::UnitStaff, Some(10));
        let (mut case, _) = Case::receive(1, Intake::new(&cat, Channel::Online, Urgency::Normal).unwrap(), &op, 0).unwrap();
        assert_eq!(
            offered(&case, &op, 1),
            vec![CommandKind::Triage, CommandKind::Reject, CommandKind::Merge, CommandKind::Recategorise, CommandKind::Dispatch, CommandKind::Launch]
        );
        assert!(offered(&case, &staff, 1).is_empty());
        case.execute(&op, 2, &CaseCommand::Triage).unwrap();
        case.execute(&op, 3, &CaseCommand::Dispatch { lead: 10, cooperating: vec![11] }).unwrap();
        assert_eq!(offered(&case, &staff, 4), vec![CommandKind::Sign, CommandKind::Return]);
        assert!(offered(&case, &op, 4).is_empty(), "the center does not sign for a unit");
        case.execute(&staff, 5, &CaseCommand::Sign { unit: 10 }).unwrap();
        let kinds = offered(&case, &staff, 6);
        assert!(kinds.contains(&CommandKind::Progress) && !kinds.contains(&CommandKind::Resolve), "{kinds:?}: 11 unsigned");
    }

    #[test]
    fn the_commander_is_offered_the_command_and_the_units_their_parts() {
        let cat = Category::preset("noise", "噪音", CaseKind::GovernanceIncident, SlaClass::Utilities).unwrap();
        let commander = Actor::staff(1, Role::Commander, None);
        let town = Actor::staff(2, Role::UnitStaff, Some(10));
        let (mut case, _) = Case::receive(1, Intake::new(&cat, Channel::Online, Urgency::Normal).unwrap(), &commander, 0).unwrap();
        case.execute(&commander, 1, &CaseCommand::Launch { commander: 1, lead: 10, cooperating: vec![11] }).unwrap();
        assert_eq!(offered(&case, &commander, 2), vec![CommandKind::Direct, CommandKind::HandOver]);
        assert_eq!(offered(&case, &town, 2), vec![CommandKind::Sign, CommandKind::Return]);
        case.execute(&town, 3, &CaseCommand::Sign { unit: 10 }).unwrap();
        assert!(offered(&case, &town, 4).contains(&CommandKind::SubTask));
        case.execute(&Actor::staff(3, Role::UnitStaff, Some(11)), 5, &CaseCommand::Sign { unit: 11 }).unwrap();
        assert_eq!(offered(&case, &commander, 6), vec![CommandKind::Direct, CommandKind::HandOver, CommandKind::CloseCommand]);
    }
}
