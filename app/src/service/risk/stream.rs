//! The rules that run on the case stream, inside the write of every intake and change: a
//! case's keys kept, the rules decided against open warnings, their notices. Apart from the
//! staff's work on warnings (`super`), which launches palm commands, so the case writes that
//! call in here never depend on it.
use crate::domain::case::{Case, CaseEvent, CaseId, CaseKind, Change, Trigger as SupervisionTrigger, Urgency};
use crate::domain::notice::{self, Notice};
use crate::domain::risk::rules::{self, Decision, place_cell};
use crate::domain::risk::{Fact, Rule, Settings, Trigger, Warning};
use crate::error::AppError;
use crate::store::risk::{self as store, RepeatKey};
use crate::store::{Db, notices as store_notices};
use sqlx::AnyConnection;

pub async fn settings_in(conn: &mut AnyConnection) -> Result<Settings, AppError> {
    Ok(store::settings(conn).await?.and_then(|b| serde_json::from_str(&b).ok()).unwrap_or_default())
}

/// The repeat rule's hash of a phone: the number never leaves the reporters' table.
pub fn phone_hash(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    crate::store::hash::sha256_hex(format!("shezhi/risk/phone/{digits}").as_bytes())
}

/// Keeps what the repeat rule matches a just-written case on (its phone hashed, its place's
/// cell) and returns the case as the rules see it.
pub async fn keep_keys(conn: &mut AnyConnection, case_id: CaseId, phone: Option<&str>) -> Result<Fact, AppError> {
    let mut fact = store::fact_of(conn, case_id).await?.ok_or(AppError::NotFound)?;
    fact.phone_hash = phone.map(phone_hash);
    fact.place_cell = fact.point.as_ref().map(place_cell);
    store::insert_keys(conn, &fact).await?;
    Ok(fact)
}

/// Runs the stream rules on a case being registered, inside its write; the notices of the
/// warnings raised or grown, to push after the commit.
/// The case's keys are kept first (`keep_keys`).
pub async fn on_intake(conn: &mut AnyConnection, s: &Settings, fact: &Fact, category_name: &str) -> Result<Vec<Notice>, AppError> {
    evaluate(conn, s, fact, category_name).await
}

/// The stream rules on a case whose keys are stored, against the cases received before it.
async fn evaluate(conn: &mut AnyConnection, s: &Settings, fact: &Fact, category_name: &str) -> Result<Vec<Notice>, AppError> {
    let mut triggers: Vec<Trigger> = Vec::new();
    if s.cluster.on {
        let around = match (fact.village_id, &fact.point) {
            (Some(v), _) => Some(store::Around::Village(v)),
            (None, Some(p)) => Some(store::Around::Near(rules::near_box(p, s.cluster.radius_m))),
            (None, None) => None,
        };
        if let Some(around) = around {
            let look_back = rules::look_back(s.cluster.min_cases);
            let same = store::same_category(conn, &fact.category, around, rules::cluster_since(s, fact), fact.received_ms, look_back).await?;
            triggers.extend(rules::cluster(s, fact, &same).map(|t| Trigger { evidence: category_name.to_string(), ..t }));
        }
    }
    if s.repeat.on {
        let (since, look_back) = (rules::repeat_since(s, fact), rules::look_back(s.repeat.min_cases));
        let same_phone = match &fact.phone_hash {
            Some(h) => store::same_key(conn, RepeatKey::Phone, h, since, fact.received_ms, look_back).await?,
            None => vec![],
        };
        let same_place = match &fact.place_cell {
            Some(c) => store::same_key(conn, RepeatKey::Place, c, since, fact.received_ms, look_back).await?,
            None => vec![],
        };
        triggers.extend(rules::repeat(s, fact, &same_phone, &same_place));
    }
    triggers.extend(rules::mass(s, fact));
    let mut out = Vec::new();
    for t in triggers {
        out.extend(apply(conn, &t, fact.township_id, fact.received_ms, None).await?);
    }
    Ok(out)
}

/// Runs the rules on a case's change, inside its write: an emergency whose time ran out, a
/// palm command with units unsigned at escalation.
pub async fn on_change(conn: &mut AnyConnection, case: &Case, events: &[CaseEvent], now: i64) -> Result<Vec<Notice>, AppError> {
    let emergency = matches!(case.kind, CaseKind::MajorEmergency) || case.urgency == Urgency::Emergency;
    let overdue = emergency && events.iter().any(|e| matches!(e.change, Change::Reminded { trigger: Some(SupervisionTrigger::Overdue), .. }));
    let escalated = events.iter().any(|e| matches!(e.change, Change::Escalated { .. }));
    if !overdue && !escalated {
        return Ok(vec![]);
    }
    let s = settings_in(conn).await?;
    let Some(fact) = store::fact_of(conn, case.id).await? else { return Ok(vec![]) };
    let title = crate::store::cases::title_in(conn, case.id).await?;
    let mut out = Vec::new();
    if overdue && s.emergency_overdue {
        out.extend(apply(conn, &rules::one_case(Rule::EmergencyOverdue, case.id, title.clone()), fact.township_id, now, None).await?);
    }
    if escalated && s.unsigned {
        out.extend(apply(conn, &rules::one_case(Rule::Unsigned, case.id, title), fact.township_id, now, None).await?);
    }
    Ok(out)
}

/// A trigger decided against the warnings it overlaps, and written.
pub(super) async fn apply(conn: &mut AnyConnection, t: &Trigger, township_id: Option<i64>, now: i64, by: Option<i64>) -> Result<Option<Notice>, AppError> {
    let overlapping = store::overlapping(conn, t.rule, &t.cases).await?;
    let (id, case_id) = match rules::decide(t, &overlapping) {
        Decision::Raise(cases) => {
            let w = Warning::raised(0, t.rule, t.evidence.clone(), township_id, now);
            (store::raise(conn, &w, by, &cases).await?, cases.last().copied().unwrap_or(0))
        }
        Decision::Link { warning_id, cases } if !cases.is_empty() => {
            store::link(conn, warning_id, t.rule, &cases, now).await?;
            (warning_id, cases.last().copied().unwrap_or(0))
        }
        _ => return Ok(None),
    };
    Ok(Some(notice_of(conn, id, case_id, now).await?))
}

/// The notice of a warning's change: to the center only (no unit is addressed).
pub(super) async fn notice_of(conn: &mut AnyConnection, warning_id: i64, case_id: CaseId, now: i64) -> Result<Notice, AppError> {
    let n = Notice { id: 0, at_ms: now, case_id, kind: notice::kind::RISK.into(), units: vec![], title: warning_id.to_string(), text: None };
    Ok(store_notices::insert(conn, n).await?)
}

/// Runs the intake rules over the cases received since `since`, in order, as if each had
/// just come in: the demo's history (written with its keys) gets the warnings it would have
/// raised.
pub async fn run_over_recent(db: &Db, since: i64) -> Result<usize, AppError> {
    let s = settings_in(&mut *db.read().await?).await?;
    let mut tx = db.begin_write().await?;
    let page = store::history_page(&mut tx, since, i64::MAX, (i64::MIN, i64::MIN), 100_000).await?;
    let categories: std::collections::HashMap<String, String> = crate::store::cases::categories(&mut tx).await?.into_iter().map(|c| (c.code, c.name)).collect();
    let mut raised = 0;
    for (f, _) in page {
        let name = categories.get(&f.category).cloned().unwrap_or_default();
        raised += evaluate(&mut tx, &s, &f, &name).await?.len();
    }
    tx.commit().await?;
    Ok(raised)
}
