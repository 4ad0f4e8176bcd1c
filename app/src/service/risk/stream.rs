//! The rules that run on the case stream, inside the write of every intake and change: a
//! case's keys kept, the rules decided against open warnings, their notices. Apart from the
//! staff's work on warnings (`super`), which launches palm commands, so the case writes that
//! call in here never depend on it.
use crate::domain::case::{Case, CaseEvent, CaseId, CaseKind, Change, Trigger as SupervisionTrigger, Urgency};
use crate::domain::notice::{self, Notice};
use crate::domain::risk::rules::{self, Decision, Known, place_cell};
use crate::domain::risk::{Fact, Rule, Settings, Trigger, Warning};
use crate::error::AppError;
use crate::store::risk::{self as store, ClusterLook, RepeatLook};
use crate::store::{Db, notices as store_notices};
use sqlx::AnyConnection;

pub async fn settings_in(conn: &mut AnyConnection) -> Result<Settings, AppError> {
    Ok(settings_from(store::settings(conn).await?))
}

/// The settings stored as `body`; the defaults when none are.
pub fn settings_from(body: Option<String>) -> Settings {
    body.and_then(|b| serde_json::from_str(&b).ok()).unwrap_or_default()
}

/// The repeat rule's hash of a phone: the number never leaves the reporters' table.
pub fn phone_hash(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    crate::store::hash::sha256_hex(format!("shezhi/risk/phone/{digits}").as_bytes())
}

/// A case just written as the rules see it, from what was written (not read back).
pub fn new_fact(row: &crate::store::cases::NewCase<'_>, inserted: &crate::store::cases::Inserted) -> Fact {
    Fact {
        case_id: inserted.id,
        received_ms: row.received_at,
        category: row.intake.category.clone(),
        village_id: inserted.village_id,
        township_id: inserted.township_id,
        point: row.location,
        phone_hash: None,
        place_cell: None,
        text: format!("{} {}", row.text.title, row.text.description),
    }
}

/// Keeps what the repeat rule matches a just-written case on (its phone hashed, its place's
/// cell) and returns the case as the rules see it.
pub async fn keep_keys(conn: &mut AnyConnection, mut fact: Fact, phone: Option<&str>) -> Result<Fact, AppError> {
    fact.phone_hash = phone.map(phone_hash);
    fact.place_cell = fact.point.as_ref().map(place_cell);
    store::insert_keys(conn, &fact).await?;
    Ok(fact)
}

/// Runs the stream rules on a case being registered, inside its write, after its keys were
/// kept (`keep_keys`): the notices of the warnings raised or grown, not yet stored, so the
/// intake stores them with its own in one statement.
pub async fn on_intake(conn: &mut AnyConnection, s: &Settings, fact: &Fact, category_name: &str) -> Result<Vec<Notice>, AppError> {
    evaluate(conn, s, fact, category_name).await
}

/// The stream rules on a case whose keys are stored, against the cases received before it.
/// First a short look back, as many cases as each rule needs to fire: when its triggers only
/// grow warnings already open (most intakes that meet a rule), that settles it. Otherwise the
/// full look back decides, so that a new warning holds every case of its window. Each look is
/// one read, of every rule's cases and the warnings holding them; then one write of the
/// evidence (and one per warning raised). Its notices, not stored.
async fn evaluate(conn: &mut AnyConnection, s: &Settings, fact: &Fact, category_name: &str) -> Result<Vec<Notice>, AppError> {
    let (triggers, known, settled) = triggers_of(conn, s, fact, category_name, rules::quick_look_back).await?;
    if settled && known.grows_only(&triggers) {
        return write_decisions(conn, &triggers, known, fact.township_id, fact.received_ms, None).await;
    }
    let (triggers, known, _) = triggers_of(conn, s, fact, category_name, rules::look_back).await?;
    write_decisions(conn, &triggers, known, fact.township_id, fact.received_ms, None).await
}

/// The stream rules' triggers for `fact`, each rule reading back `limit(its threshold)` of
/// the newest cases; the warnings holding those cases; and whether that read was enough
/// (`rules::quick_look_settled`).
async fn triggers_of(
    conn: &mut AnyConnection,
    s: &Settings,
    fact: &Fact,
    category_name: &str,
    limit: fn(u32) -> i64,
) -> Result<(Vec<Trigger>, Known, bool), AppError> {
    let around = match (fact.village_id, &fact.point) {
        _ if !s.cluster.on => None,
        (Some(v), _) => Some(store::Around::Village(v)),
        (None, Some(p)) => Some(store::Around::Near(rules::near_box(p, s.cluster.radius_m))),
        (None, None) => None,
    };
    let cluster =
        around.map(|around| ClusterLook { category: &fact.category, around, since: rules::cluster_since(s, fact), limit: limit(s.cluster.min_cases) });
    let repeat = (s.repeat.on && (fact.phone_hash.is_some() || fact.place_cell.is_some())).then(|| RepeatLook {
        phone_hash: fact.phone_hash.as_deref(),
        place_cell: fact.place_cell.as_deref(),
        since: rules::repeat_since(s, fact),
        limit: limit(s.repeat.min_cases),
    });
    let seen = store::look_back(conn, cluster, repeat, fact.received_ms).await?;
    let mut triggers: Vec<Trigger> = Vec::new();
    let mut settled = true;
    if let Some(c) = cluster {
        let fired = rules::cluster(s, fact, &seen.same_category).map(|t| Trigger { evidence: category_name.to_string(), ..t });
        settled = rules::quick_look_settled(seen.same_category.len(), c.limit, fired.is_some());
        triggers.extend(fired);
    }
    if repeat.is_some() {
        triggers.extend(rules::repeat(s, fact, &seen.same_phone, &seen.same_place));
    }
    triggers.extend(rules::mass(s, fact));
    // The trigger's cases are among those read (the new one is evidence of nothing yet).
    Ok((triggers, Known::new(seen.holding), settled))
}

fn cases_of(triggers: &[Trigger]) -> std::collections::BTreeSet<CaseId> {
    triggers.iter().flat_map(|t| t.cases.iter().copied()).collect()
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

/// The hidden-report warning (瞒报) on an emergency's case, inside the sweep's write: raised,
/// or the case added to one still open. Its notice, stored.
pub async fn on_hidden_report(
    conn: &mut AnyConnection,
    case_id: CaseId,
    township_id: Option<i64>,
    title: String,
    now: i64,
) -> Result<Option<Notice>, AppError> {
    apply(conn, &rules::one_case(Rule::HiddenReport, case_id, title), township_id, now, None).await
}

/// A trigger decided against the warnings it overlaps, and written with its notice.
pub(super) async fn apply(conn: &mut AnyConnection, t: &Trigger, township_id: Option<i64>, now: i64, by: Option<i64>) -> Result<Option<Notice>, AppError> {
    let notices = decide_all(conn, std::slice::from_ref(t), township_id, now, by).await?;
    Ok(store_notices::insert_many(conn, notices).await?.pop())
}

/// Triggers decided together against the warnings they overlap (read once), as if one after
/// another, and written; the notices of the warnings raised or grown, not stored.
async fn decide_all(conn: &mut AnyConnection, triggers: &[Trigger], township_id: Option<i64>, now: i64, by: Option<i64>) -> Result<Vec<Notice>, AppError> {
    if triggers.is_empty() {
        return Ok(vec![]);
    }
    let known = Known::new(store::overlapping(conn, &cases_of(triggers)).await?);
    write_decisions(conn, triggers, known, township_id, now, by).await
}

/// `triggers` decided against the warnings `known` and written: the warnings raised, the
/// evidence in one statement; their notices, not stored.
async fn write_decisions(
    conn: &mut AnyConnection,
    triggers: &[Trigger],
    mut known: Known,
    township_id: Option<i64>,
    now: i64,
    by: Option<i64>,
) -> Result<Vec<Notice>, AppError> {
    let (mut links, mut notices) = (Vec::new(), Vec::new());
    for t in triggers {
        let (id, cases) = match known.decide(t) {
            Decision::Raise(cases) => (store::insert_warning(conn, &Warning::raised(0, t.rule, t.evidence.clone(), township_id, now), by).await?, cases),
            Decision::Link { warning_id, cases } if !cases.is_empty() => (warning_id, cases),
            _ => continue,
        };
        known.holds(t.rule, id, &cases);
        links.extend(cases.iter().map(|c| (id, t.rule, *c)));
        notices.push(notice_of(id, cases.last().copied().unwrap_or(0), now));
    }
    store::link(conn, &links, now).await?;
    Ok(notices)
}

/// The notice of a warning's change: to the center only (no unit is addressed).
pub(super) fn notice_of(warning_id: i64, case_id: CaseId, now: i64) -> Notice {
    Notice { id: 0, at_ms: now, case_id, kind: notice::kind::RISK.into(), units: vec![], title: warning_id.to_string(), text: None }
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
        let notices = evaluate(&mut tx, &s, &f, &name).await?;
        raised += notices.len();
        store_notices::insert_many(&mut tx, notices).await?;
    }
    tx.commit().await?;
    Ok(raised)
}
