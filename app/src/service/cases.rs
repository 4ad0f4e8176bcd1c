//! Case use cases: register a case from any channel, carry out a command on it, read it.
//! Each change is decided by `domain::case`, then written — state, history, search index,
//! files — in one transaction.
use crate::domain::case::{
    self, mask_name, mask_phone, near_enough, offered, public_step, Actor, AssignmentView, Case,
    CaseCommand, CaseDetail, CaseError, CaseFilter, CaseId, CaseOptions, CasePage, CaseSummary, Channel, Cursor,
    GeoPoint, Intake, IntakeText, TrackView, Urgency, DUPLICATE_WINDOW_MS, PAGE_SIZE,
};
use crate::domain::notice::{self, Notice};
use crate::domain::org::{Role, UnitKind, CASE_PLACE_LEVELS};
use crate::domain::Receipt;
use crate::store::notices as store_notices;
use crate::error::AppError;
use crate::store::cases as store;
use crate::store::{now_ms, org as store_org, Db};
use super::attachments::{record_files, write_files, Upload, WrittenFiles};
use super::codes::{new_secret, secret_hash, tracking_code};
pub use super::visibility::{check_visible, scope_of};
use std::path::Path;

pub struct IntakeInput {
    pub category: String,
    pub channel: Channel,
    pub urgency: Urgency,
    pub text: IntakeText,
    pub area_id: Option<i64>,
    pub location: Option<GeoPoint>,
}

fn user_id(by: &Actor) -> Option<i64> {
    match by {
        Actor::Staff { user_id, .. } => Some(*user_id),
        _ => None,
    }
}

/// Registers a new case (受理) from any channel.
pub async fn register(db: &Db, files_dir: &Path, by: &Actor, input: IntakeInput, uploads: Vec<Upload>) -> Result<Receipt, AppError> {
    let text = input.text.check()?;
    let (stored, kinds) = write_files(files_dir, &uploads).await?;
    let result = register_in_tx(db, by, &input, &text, &uploads, &stored, &kinds).await;
    if result.is_err() {
        stored.discard();
    }
    result
}

async fn register_in_tx(
    db: &Db,
    by: &Actor,
    input: &IntakeInput,
    text: &case::CheckedText,
    uploads: &[Upload],
    stored: &WrittenFiles<'_>,
    kinds: &[case::FileKind],
) -> Result<Receipt, AppError> {
    let now = now_ms();
    // What the case is checked against is read before the write turn, so concurrent
    // intakes read in parallel and hold SQLite's one writer only to write.
    let (category, area) = {
        let mut conn = db.pool.acquire().await.map_err(crate::store::StoreError::from)?;
        let category = store::category(&mut conn, &input.category).await?.ok_or(CaseError::UnknownCode(input.category.clone()))?;
        let area = match input.area_id {
            Some(a) => Some(store_org::area_by_id(&mut conn, a).await?.ok_or(CaseError::BadArea)?),
            None => None,
        };
        (category, area)
    };
    let intake = Intake::new(&category, input.channel, input.urgency)?;
    if area.as_ref().is_some_and(|a| !a.takes_cases()) {
        return Err(CaseError::BadArea.into());
    }
    let mut tx = db.begin_write().await?;
    let reporter_id = match (&text.reporter_name, &text.reporter_phone) {
        (None, None) => None,
        (name, phone) => Some(store::insert_reporter(&mut tx, name.as_deref(), phone.as_deref(), now).await?),
    };
    let secret = new_secret();
    // A clash of random codes is vanishingly rare (31^6 a day): the insert skips a taken
    // code (without failing the transaction) and the case takes another.
    let mut id = None;
    for _ in 0..5 {
        let code = tracking_code(now);
        let row = store::NewCase {
            code: &code,
            secret_hash: &secret_hash(&code, &secret),
            intake: &intake,
            text,
            area: area.as_ref().map(|a| (a.id, a.code.as_str())),
            location: input.location,
            reporter_id,
            received_at: now,
        };
        if let Some(new) = store::insert_case(&mut tx, &row).await? {
            id = Some((new, code));
            break;
        }
    }
    let (id, code) = id.ok_or(AppError::Internal)?;
    let (case, event) = Case::receive(id, intake, by, now)?;
    let (seq, hash) = store::append(&mut tx, id, 0, String::new(), user_id(by), &[event]).await?;
    store::save_state(&mut tx, &case, seq, &hash, now).await?;
    store::index_text(&mut tx, db.backend, id, text).await?;
    record_files(&mut tx, id, None, uploads, stored, kinds, user_id(by), now).await?;
    let notice = Notice { id: 0, at_ms: now, case_id: id, kind: notice::kind::RECEIVED.into(), units: vec![], title: text.title.clone(), text: None };
    let notice = store_notices::insert(&mut tx, db.backend, notice).await?;
    tx.commit().await?;
    db.alarms_changed();
    db.published([notice]);
    Ok(Receipt { id, code, secret })
}

/// Carries out one command on a case for `by`, with files for a progress report.
pub async fn execute(db: &Db, files_dir: &Path, by: &Actor, id: CaseId, cmd: CaseCommand, uploads: Vec<Upload>) -> Result<Case, AppError> {
    execute_at(db, files_dir, by, id, cmd, uploads, now_ms()).await
}

/// `execute` as if it were `now`: the scheduler acts at the instant its alarm was for, and
/// tests drive the clocks with it.
pub async fn execute_at(
    db: &Db,
    files_dir: &Path,
    by: &Actor,
    id: CaseId,
    cmd: CaseCommand,
    uploads: Vec<Upload>,
    now: i64,
) -> Result<Case, AppError> {
    if !matches!(by, Actor::Resident | Actor::System) {
        check_visible(db, by, id).await?;
    }
    let (stored, kinds) = write_files(files_dir, &uploads).await?;
    let result = execute_in_tx(db, by, id, cmd, &uploads, &stored, &kinds, now).await;
    if result.is_err() {
        stored.discard();
    }
    result
}

async fn execute_in_tx(
    db: &Db,
    by: &Actor,
    id: CaseId,
    cmd: CaseCommand,
    uploads: &[Upload],
    stored: &WrittenFiles<'_>,
    kinds: &[case::FileKind],
    now: i64,
) -> Result<Case, AppError> {
    let mut tx = db.begin_write().await?;
    let mut s = store::load_for_update(&mut tx, db.backend, id).await?.ok_or(AppError::NotFound)?;
    match &cmd {
        CaseCommand::Dispatch { lead, cooperating } | CaseCommand::Launch { lead, cooperating, .. } => {
            for u in std::iter::once(lead).chain(cooperating) {
                active_unit(&mut tx, *u).await?;
            }
            if let CaseCommand::Launch { commander, .. } = &cmd {
                check_commander(&mut tx, *commander).await?;
            }
        }
        CaseCommand::HandOver { to } => check_commander(&mut tx, *to).await?,
        CaseCommand::SubTask { unit, units, .. } => {
            let parent_area = active_unit(&mut tx, *unit).await?.area_id;
            for u in units {
                let below = match (parent_area, active_unit(&mut tx, *u).await?.area_id) {
                    (Some(p), Some(a)) => a != p && area_is_below(&mut tx, a, p).await?,
                    _ => false,
                };
                if !below {
                    return Err(CaseError::NotBelow(*u).into());
                }
            }
        }
        CaseCommand::Merge { into } => {
            let target = store::load(&mut tx, *into).await?.ok_or(CaseError::BadMergeTarget)?;
            case::check_merge_target(&target.case)?;
        }
        _ => {}
    }
    let events = s.case.execute(by, now, &cmd)?;
    let first_new = s.last_seq + 1;
    let (seq, hash) = store::append(&mut tx, id, s.last_seq, std::mem::take(&mut s.last_hash), user_id(by), &events).await?;
    store::save_state(&mut tx, &s.case, seq, &hash, now).await?;
    if !uploads.is_empty() {
        // Photos belong to the report they came with (the first event of this command).
        let at = events.iter().position(|e| matches!(e.change, case::Change::Progressed { .. } | case::Change::Resolved { .. }));
        let seq_of_report = at.map(|i| first_new + i as i64).unwrap_or(first_new);
        record_files(&mut tx, id, Some(seq_of_report), uploads, stored, kinds, user_id(by), now).await?;
    }
    let notice = announce(&mut tx, db, &s.case, &events, now).await?;
    tx.commit().await?;
    db.alarms_changed();
    db.published([notice]);
    Ok(s.case)
}

async fn active_unit(conn: &mut sqlx::AnyConnection, id: case::UnitId) -> Result<crate::domain::org::Unit, AppError> {
    match store_org::unit_by_id(conn, id).await? {
        Some(u) if u.active => Ok(u),
        _ => Err(CaseError::UnknownUnit(id).into()),
    }
}

/// A commander is a person in service who may command: a commander, leader or operator.
async fn check_commander(conn: &mut sqlx::AnyConnection, user: case::UserId) -> Result<(), AppError> {
    match crate::store::users::staff_by_id(conn, user).await? {
        Some(s) if s.active && crate::domain::access::MAY_COMMAND.contains(&s.role) => Ok(()),
        _ => Err(CaseError::BadCommander.into()),
    }
}

/// Whether `area` lies under `ancestor` (a village or grid of a township).
async fn area_is_below(conn: &mut sqlx::AnyConnection, area: i64, ancestor: i64) -> Result<bool, AppError> {
    let mut at = area;
    // District → township → village → grid: three steps up at most.
    for _ in 0..4 {
        match store_org::area_by_id(conn, at).await?.and_then(|a| a.parent_id) {
            Some(p) if p == ancestor => return Ok(true),
            Some(p) => at = p,
            None => return Ok(false),
        }
    }
    Ok(false)
}

/// The notice of a change, stored with it: to every unit of the current round, or to those
/// the change is addressed to.
async fn announce(conn: &mut sqlx::AnyConnection, db: &Db, case: &Case, events: &[case::CaseEvent], now: i64) -> Result<Notice, AppError> {
    let round: Vec<case::UnitId> = case.assignments.iter().filter(|a| a.round == case.round).map(|a| a.unit).collect();
    let (kind, units, text) = notice::describe(events, &round);
    let title = store::title_in(conn, case.id).await?;
    let n = Notice { id: 0, at_ms: now, case_id: case.id, kind: kind.into(), units, title, text };
    Ok(store_notices::insert(conn, db.backend, n).await?)
}

pub async fn list(db: &Db, by: &Actor, filter: &CaseFilter, after: Option<Cursor>) -> Result<CasePage, AppError> {
    list_batch(db, by, filter, after, PAGE_SIZE).await
}

/// Like `list` with a chosen page size, for exports that walk the whole filtered list.
pub async fn list_batch(db: &Db, by: &Actor, filter: &CaseFilter, after: Option<Cursor>, limit: usize) -> Result<CasePage, AppError> {
    let scope = scope_of(by)?;
    Ok(store::list(db, filter, scope, after, limit, now_ms()).await?)
}

/// Open cases of the same category in the same village or within 200 m, from the last week.
pub async fn possible_duplicates(db: &Db, category: &str, area_id: Option<i64>, point: Option<GeoPoint>, except: Option<CaseId>) -> Result<Vec<CaseSummary>, AppError> {
    let area_code = match area_id {
        Some(a) => store_org::area_by_id(&mut *db.pool.acquire().await?, a).await?.map(|a| a.code),
        None => None,
    };
    let since = now_ms() - DUPLICATE_WINDOW_MS;
    let candidates = store::recent_open_in_category(db, category, since).await?;
    Ok(candidates
        .into_iter()
        .filter(|c| Some(c.id) != except && near_enough(area_code.as_deref(), point.as_ref(), c))
        .collect())
}

pub async fn detail(db: &Db, by: &Actor, id: CaseId) -> Result<CaseDetail, AppError> {
    check_visible(db, by, id).await?;
    let summary = store::summary(db, id).await?.ok_or(AppError::NotFound)?;
    let texts = store::texts(db, id).await?.ok_or(AppError::NotFound)?;
    let s = store::load(&mut *db.pool.acquire().await?, id).await?.ok_or(AppError::NotFound)?;
    let names = store::unit_names(db).await?;
    let mut assignments: Vec<AssignmentView> = s
        .case
        .assignments
        .iter()
        .filter(|a| a.round == s.case.round)
        .map(|a| AssignmentView { unit_name: names.get(&a.unit).cloned().unwrap_or_default(), assignment: a.clone() })
        .collect();
    assignments.sort_by_key(|a| !a.assignment.lead);
    let timeline = store::timeline(db, id).await?;
    let attachments = store::attachments(db, id).await?.into_iter().filter(|(seq, _)| seq.is_none()).map(|(_, a)| a).collect();
    let now = now_ms();
    let merged_into_code = match s.case.merged_into {
        Some(m) => store::code_of(db, m).await?,
        None => None,
    };
    let mut unit_names: Vec<(i64, String)> = Vec::new();
    for a in &s.case.assignments {
        if !unit_names.iter().any(|(u, _)| *u == a.unit) {
            unit_names.push((a.unit, names.get(&a.unit).cloned().unwrap_or_default()));
        }
    }
    let mut people = Vec::new();
    let mut conn = db.pool.acquire().await?;
    for e in &timeline {
        let named = match &e.change {
            case::Change::CommandLaunched { commander, .. } => vec![*commander],
            case::Change::CommanderHandedOver { from, to } => vec![*from, *to],
            _ => continue,
        };
        for u in named {
            if !people.iter().any(|(id, _)| *id == u) {
                let name = crate::store::users::staff_by_id(&mut conn, u).await?.map(|s| s.display_name).unwrap_or_default();
                people.push((u, name));
            }
        }
    }
    drop(conn);
    Ok(CaseDetail {
        people,
        unit_names,
        actions: offered(&s.case, by, now),
        my_unit: by.unit_id().filter(|u| s.case.current_assignments().any(|a| a.unit == *u)),
        summary,
        description: texts.description,
        address: texts.address,
        reporter_name: texts.reporter_name,
        reporter_phone: texts.reporter_phone,
        case: s.case,
        assignments,
        timeline,
        attachments,
        merged_into_code,
        now_ms: now,
    })
}

/// What intake and dispatch forms offer `unit_id`'s staff in `role` (residents: neither).
pub async fn options(db: &Db, unit_id: Option<i64>, role: Option<Role>) -> Result<CaseOptions, AppError> {
    let places = super::org::places(db, CASE_PLACE_LEVELS).await?;
    let units = if role.is_some() { super::org::unit_choices(db, UnitKind::takes_cases).await? } else { vec![] };
    let my_area_id = match unit_id {
        Some(u) => super::org::unit(db, u).await?.and_then(|u| u.area_id),
        None => None,
    };
    let categories = store::categories(db).await?.into_iter().filter(|c| c.active).collect();
    let can_launch = role.is_some_and(|r| crate::domain::access::LAUNCH.contains(&r));
    Ok(CaseOptions { categories, places, units, my_area_id, can_launch })
}

/// The case a tracking code names, for staff typing one (a merge target); the secret is
/// not asked, staff may see the register anyway.
pub async fn id_of_code(db: &Db, code: &str) -> Result<Option<CaseId>, AppError> {
    Ok(store::by_code(db, &code.trim().to_ascii_uppercase()).await?.map(|(id, _)| id))
}

/// A resident's report from the portal: only with their consent to how the data is used,
/// and the receipt carries the code, never the internal id.
pub async fn report(db: &Db, files_dir: &Path, input: IntakeInput, uploads: Vec<Upload>, consent: bool) -> Result<Receipt, AppError> {
    if !consent {
        return Err(CaseError::ConsentRequired.into());
    }
    let receipt = register(db, files_dir, &Actor::Resident, input, uploads).await?;
    Ok(Receipt { id: 0, ..receipt })
}

/// The case behind a code and secret, or `BadTrackingCode` whichever of the two is wrong.
async fn resolve_code(db: &Db, code: &str, secret: &str) -> Result<CaseId, AppError> {
    let code = code.trim().to_ascii_uppercase();
    let found = store::by_code(db, &code).await?;
    match found {
        Some((id, hash)) if hash == secret_hash(&code, secret) => Ok(id),
        _ => Err(CaseError::BadTrackingCode.into()),
    }
}

/// A case as the public may follow it: its steps in plain words, no staff names.
pub struct PublicHistory {
    pub case: Case,
    /// (when, what happened), oldest first.
    pub history: Vec<(i64, case::PublicStep)>,
    /// The code of the case it was merged into, if it was.
    pub merged_into_code: Option<String>,
}

pub async fn public_history(db: &Db, id: CaseId) -> Result<PublicHistory, AppError> {
    let s = store::load(&mut *db.pool.acquire().await?, id).await?.ok_or(AppError::NotFound)?;
    let names = store::unit_names(db).await?;
    let history = store::timeline(db, id)
        .await?
        .iter()
        .filter_map(|e| public_step(&e.change, |u| names.get(&u).cloned().unwrap_or_default()).map(|p| (e.at_ms, p)))
        .collect();
    let merged_into_code = match s.case.merged_into {
        Some(m) => store::code_of(db, m).await?,
        None => None,
    };
    Ok(PublicHistory { case: s.case, history, merged_into_code })
}

/// The residents' tracking page.
pub async fn track(db: &Db, code: &str, secret: &str) -> Result<TrackView, AppError> {
    let id = resolve_code(db, code, secret).await?;
    let summary = store::summary(db, id).await?.ok_or(AppError::NotFound)?;
    let texts = store::texts(db, id).await?.ok_or(AppError::NotFound)?;
    let PublicHistory { case, history, merged_into_code } = public_history(db, id).await?;
    Ok(TrackView {
        code: summary.code,
        title: summary.title,
        category_name: summary.category_name,
        status: case.status,
        received_ms: summary.received_ms,
        reporter_name: texts.reporter_name.as_deref().map(mask_name),
        reporter_phone: texts.reporter_phone.as_deref().map(mask_phone),
        result: case.result.clone(),
        merged_into_code,
        history,
        can_rate: case::resident_may_rate(&case, now_ms()),
    })
}

/// The resident's rating on the tracking page.
pub async fn rate(db: &Db, files_dir: &Path, code: &str, secret: &str, satisfied: bool, comment: Option<String>) -> Result<(), AppError> {
    let id = resolve_code(db, code, secret).await?;
    let cmd = CaseCommand::RecordFollowUp { satisfied: Some(satisfied), comment };
    execute(db, files_dir, &Actor::Resident, id, cmd, vec![]).await.map(|_| ())
}

/// How long an alarm that could not be handled waits before it is tried again.
pub const ALARM_RETRY_MS: i64 = 60_000;

/// A case's alarm rang at `now`: the system does what has fallen due (a follow-up nobody
/// answered in its wait closes), and the case's next alarm is set. The scheduler calls it for
/// every case whose alarm is due. Returns whether the case changed.
pub async fn on_alarm(db: &Db, files_dir: &Path, id: CaseId, now: i64) -> Result<bool, AppError> {
    let mut tx = db.begin_write().await?;
    let Some(s) = store::load_for_update(&mut tx, db.backend, id).await? else { return Ok(false) };
    match s.case.due_command(now) {
        Some(cmd) => {
            drop(tx);
            match execute_at(db, files_dir, &Actor::System, id, cmd, vec![], now).await {
                Ok(_) => Ok(true),
                // Refused: it moved on between the two reads (the resident rated it just
                // now, and its new state carries its new alarm), or the rules disagree with
                // themselves, which must not make the scheduler spin.
                Err(AppError::Case(e)) => {
                    tracing::warn!(case_id = id, error = %e, "a due step was refused");
                    store::postpone_alarm(db, id, now, now + ALARM_RETRY_MS).await?;
                    Ok(false)
                }
                Err(e) => Err(e),
            }
        }
        None => {
            store::set_next_alarm(&mut tx, id, s.case.next_alarm_ms(now)).await?;
            tx.commit().await?;
            Ok(false)
        }
    }
}
