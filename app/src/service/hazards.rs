//! The safety hazard register (隐患清单): recording a hazard found on an inspection (several
//! units on a joint one), its steps with photos by the units whose step it is, supervision by
//! the supervision office, the scheduler's overdue flag, the register's lists and export,
//! and the open hazards on the command screen's map.
use super::attachments::{FileToServe, Upload, WrittenFiles, clean_file_name, write_files};
use super::{AuditActor, Effects};
use crate::domain::access::{CENTER_ROLES, CENTER_STAFF, SUPERVISE};
use crate::domain::audit::AuditEvent;
use crate::domain::case::{Actor, CaseId, FileKind};
use crate::domain::hazard::{
    CaseHazards, FromCase, HAZARD_PAGE, Hazard, HazardDetail, HazardDomain, HazardDraft, HazardError, HazardEvent, HazardFacts, HazardFilter, HazardId,
    HazardOptions, HazardPoint, HazardRow, Register, Step, StepBy, StepKind, tally,
};
use crate::domain::notice::{self, Notice};
use crate::domain::org::AreaLevel;
use crate::domain::org::Role;
use crate::error::AppError;
use crate::store::hazards::{self as store, NewPhoto};
use crate::store::{Db, audit, cases as store_cases, notices as store_notices, now_ms, org as store_org, users};
use sqlx::AnyConnection;
use std::collections::HashMap;
use std::path::Path;

/// Hazards looked at per write in a sweep.
const SWEEP_BATCH: i64 = 500;
/// Points on the command screen's map: what a wall can show.
const SCREEN_POINTS: i64 = 500;
/// Rows in one export: the register of a district, with room.
const EXPORT_MAX: i64 = 100_000;

/// A notice of a hazard's step to the center and its units; `text` is `step:id`.
fn notice(id: HazardId, facts: &HazardFacts, step: StepKind, now: i64) -> Notice {
    let mut units = facts.inspectors.clone();
    units.push(facts.responsible_unit_id);
    units.sort_unstable();
    units.dedup();
    Notice { id: 0, at_ms: now, case_id: 0, kind: notice::kind::HAZARD.into(), units, title: facts.title.clone(), text: Some(format!("{step}:{id}")) }
}

async fn record(conn: &mut AnyConnection, who: &AuditActor, hazard_id: HazardId, step: StepKind) -> Result<(), AppError> {
    audit::append(conn, who.user_id, who.ip.as_deref(), &AuditEvent::HazardRecorded { hazard_id, step: step.code().into() }).await?;
    Ok(())
}

/// The caller's part in a hazard.
fn part(by: &Actor, h: &Hazard) -> StepBy {
    let unit = by.unit_id();
    StepBy {
        responsible: unit == Some(h.facts.responsible_unit_id),
        inspecting: unit.is_some_and(|u| h.facts.inspectors.contains(&u)),
        supervises: by.has_role(SUPERVISE),
    }
}

/// The center sees the whole register; a unit's staff the hazards their unit is responsible
/// for or inspected.
fn may_see(by: &Actor, h: &Hazard) -> bool {
    let p = part(by, h);
    by.has_role(CENTER_ROLES) || p.responsible || p.inspecting
}

/// Who may record hazards: the center's staff and any unit's staff (their unit inspected).
fn may_record(by: &Actor) -> bool {
    by.has_role(CENTER_STAFF) || by.has_role(&[Role::UnitStaff])
}

/// Stores each upload's record under step `seq`.
#[allow(clippy::too_many_arguments)]
async fn record_photos(
    conn: &mut AnyConnection,
    id: HazardId,
    seq: i64,
    uploads: &[Upload],
    stored: &WrittenFiles<'_>,
    kinds: &[FileKind],
    by: i64,
    now: i64,
) -> Result<(), AppError> {
    for ((u, key), kind) in uploads.iter().zip(stored.keys()).zip(kinds) {
        let name = clean_file_name(&u.file_name);
        let p = NewPhoto {
            hazard_id: id,
            event_seq: seq,
            storage_key: key,
            file_name: &name,
            content_type: kind.content_type(),
            size: u.bytes.len() as i64,
            by,
            at: now,
        };
        store::insert_photo(conn, &p).await?;
    }
    Ok(())
}

/// What the form to record a hazard offers the caller; started from `case` (which the caller
/// must be able to see) when given.
pub async fn options(db: &Db, by: &Actor, case: Option<CaseId>) -> Result<HazardOptions, AppError> {
    if !may_record(by) {
        return Err(AppError::Forbidden);
    }
    let from_case = match case {
        None => None,
        Some(id) => {
            let d = super::cases::detail(db, by, id).await?;
            Some(FromCase {
                code: d.summary.code,
                title: d.summary.title,
                area_id: d.summary.area_id,
                place: d.address.unwrap_or_default(),
                point: d.summary.location,
            })
        }
    };
    let places = super::org::places(db, &[AreaLevel::Township, AreaLevel::Village]).await?;
    let units = super::org::unit_choices(db, |_| true).await?;
    let my_area_id = match by.unit_id() {
        Some(u) => super::org::unit(db, u).await?.and_then(|u| u.area_id),
        None => None,
    };
    Ok(HazardOptions { places, units, my_unit: by.unit_id(), my_area_id, from_case })
}

/// The hazards recorded from a case that the caller may see (a unit: its own), for the
/// case's page, and whether the caller may record another.
pub async fn of_case(db: &Db, by: &Actor, case: CaseId) -> Result<CaseHazards, AppError> {
    let may_record = may_record(by);
    if !may_record && !by.has_role(CENTER_ROLES) {
        return Ok(CaseHazards { now_ms: now_ms(), rows: Vec::new(), may_record });
    }
    let filter = scoped(by, HazardFilter { case_id: Some(case), open: false, ..Default::default() })?;
    let conn = &mut *db.read().await?;
    let names = Names::load(conn).await?;
    let now = now_ms();
    let (rows, _) = store::list(conn, &filter, now, HAZARD_PAGE).await?;
    Ok(CaseHazards { now_ms: now, rows: rows.into_iter().map(|h| names.row(h)).collect(), may_record })
}

/// Records a hazard found on an inspection, with the photos taken there. A unit's staff
/// record for their own unit, which is on the inspection whatever the form says.
pub async fn record_hazard(db: &Db, fx: &Effects, who: &AuditActor, by: &Actor, mut draft: HazardDraft, uploads: &[Upload]) -> Result<HazardId, AppError> {
    let Actor::Staff { user_id, unit_id, .. } = *by else { return Err(AppError::Forbidden) };
    if !may_record(by) {
        return Err(AppError::Forbidden);
    }
    if let Some(u) = unit_id.filter(|_| !by.has_role(CENTER_STAFF)) {
        draft.inspectors.push(u);
    }
    let now = now_ms();
    let facts = draft.check(now)?;
    let case_id = match draft.case_code.trim() {
        "" => None,
        code => Some(super::cases::id_of_code(db, code).await?.ok_or(HazardError::UnknownCase)?),
    };
    {
        let conn = &mut *db.read().await?;
        let active = |u: Option<crate::domain::org::Unit>| u.is_some_and(|u| u.active);
        if !active(store_org::unit_by_id(conn, facts.responsible_unit_id).await?) {
            return Err(HazardError::BadUnit.into());
        }
        for u in &facts.inspectors {
            if !active(store_org::unit_by_id(conn, *u).await?) {
                return Err(HazardError::BadInspectors.into());
            }
        }
        if let Some(a) = facts.area_id {
            let ok = store_org::area_by_id(conn, a).await?.is_some_and(|a| a.active && matches!(a.level, AreaLevel::Township | AreaLevel::Village));
            if !ok {
                return Err(crate::domain::case::CaseError::BadArea.into());
            }
        }
    }
    let (stored, kinds) = write_files(&fx.files_dir, uploads).await?;
    let written = async {
        let mut tx = db.begin_write().await?;
        let id = store::insert(&mut tx, &facts, case_id, user_id, unit_id, now).await?;
        record_photos(&mut tx, id, 1, uploads, &stored, &kinds, user_id, now).await?;
        record(&mut tx, who, id, StepKind::Found).await?;
        let n = store_notices::insert(&mut tx, notice(id, &facts, StepKind::Found, now)).await?;
        tx.commit().await?;
        Ok::<_, AppError>((id, n))
    }
    .await;
    match written {
        Ok((id, n)) => {
            fx.live.committed(n);
            fx.live.alarms_changed();
            Ok(id)
        }
        Err(e) => {
            stored.discard();
            Err(e)
        }
    }
}

/// Takes a step on a hazard, with photos; refused (and nothing kept) when it is not the
/// caller's unit's step or does not follow from the hazard's state.
pub async fn act(db: &Db, fx: &Effects, who: &AuditActor, by: &Actor, id: HazardId, step: Step, uploads: &[Upload]) -> Result<(), AppError> {
    let Actor::Staff { user_id, unit_id, .. } = *by else { return Err(AppError::Forbidden) };
    let (stored, kinds) = write_files(&fx.files_dir, uploads).await?;
    let now = now_ms();
    let written = async {
        let mut tx = db.begin_write().await?;
        let (mut h, last) = store::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
        if !may_see(by, &h) {
            return Err(AppError::NotFound);
        }
        h.take(&step, part(by, &h), uploads.len(), now)?;
        let seq = last + 1;
        let body = match &step {
            Step::Watch { watch, text } => format!("{watch}:{}", text.trim()),
            s => s.text().trim().to_string(),
        };
        store::append_event(&mut tx, id, seq, step.kind(), Some(user_id), unit_id, &body, now).await?;
        record_photos(&mut tx, id, seq, uploads, &stored, &kinds, user_id, now).await?;
        store::save(&mut tx, &h, seq).await?;
        record(&mut tx, who, id, step.kind()).await?;
        let n = store_notices::insert(&mut tx, notice(h.id, &h.facts, step.kind(), now)).await?;
        tx.commit().await?;
        Ok(n)
    }
    .await;
    match written {
        Ok(n) => {
            fx.live.committed(n);
            fx.live.alarms_changed();
            Ok(())
        }
        Err(e) => {
            stored.discard();
            Err(e)
        }
    }
}

/// When the scheduler must next look at the register.
pub async fn next_alarm(db: &Db) -> Result<Option<i64>, AppError> {
    Ok(store::next_due(&mut *db.read().await?).await?)
}

/// Flags every hazard whose rectification deadline passed unchecked at `now` as overdue,
/// once, with a step in its history and a push to the center and its units. Reads only the
/// hazards whose deadline has passed (an index of those still in time). How many changed.
pub async fn sweep(db: &Db, fx: &Effects, now: i64) -> Result<usize, AppError> {
    // The scheduler looks often; only a look that finds something due takes the writer.
    if next_alarm(db).await?.is_none_or(|at| at > now) {
        return Ok(0);
    }
    let mut changed = 0;
    loop {
        let mut tx = db.begin_write().await?;
        let due = store::due(&mut tx, now, SWEEP_BATCH).await?;
        if due.is_empty() {
            return Ok(changed);
        }
        let mut notices = Vec::new();
        for (mut h, last) in due {
            let flagged = h.flag_overdue(now);
            let seq = if flagged { last + 1 } else { last };
            if flagged {
                store::append_event(&mut tx, h.id, seq, StepKind::Overdue, None, None, "", now).await?;
                notices.push(notice(h.id, &h.facts, StepKind::Overdue, now));
            }
            // Saved either way: `next_due` clears once the hazard no longer owes a look.
            store::save(&mut tx, &h, seq).await?;
            changed += 1;
        }
        let stored = store_notices::insert_many(&mut tx, notices).await?;
        tx.commit().await?;
        fx.live.published(stored);
    }
}

struct Names {
    units: HashMap<i64, String>,
    areas: HashMap<i64, String>,
}

impl Names {
    async fn load(conn: &mut AnyConnection) -> Result<Names, AppError> {
        let units = store_org::all_units(conn).await?.into_iter().map(|u| (u.id, u.name)).collect();
        let areas = store_org::all_areas(conn).await?.into_iter().map(|a| (a.id, a.name)).collect();
        Ok(Names { units, areas })
    }

    fn unit(&self, id: i64) -> String {
        self.units.get(&id).cloned().unwrap_or_default()
    }

    fn row(&self, hazard: Hazard) -> HazardRow {
        HazardRow {
            unit: self.unit(hazard.facts.responsible_unit_id),
            township: hazard.township_id.and_then(|t| self.areas.get(&t).cloned()).unwrap_or_default(),
            hazard,
        }
    }
}

/// The filter the caller may use: a unit's staff see only their unit's hazards.
fn scoped(by: &Actor, mut filter: HazardFilter) -> Result<HazardFilter, AppError> {
    if !by.has_role(CENTER_ROLES) {
        filter.unit_id = Some(by.unit_id().ok_or(AppError::Forbidden)?);
    }
    Ok(filter)
}

/// The register's page: a page of the filtered hazards and the filtered counts per domain and
/// per township.
pub async fn register(db: &Db, by: &Actor, filter: HazardFilter) -> Result<Register, AppError> {
    let filter = scoped(by, filter)?;
    let now = now_ms();
    let conn = &mut *db.read().await?;
    let names = Names::load(conn).await?;
    let (rows, total) = store::list(conn, &filter, now, HAZARD_PAGE).await?;
    let domains: Vec<(String, String)> = HazardDomain::ALL.iter().map(|d| (d.code().to_string(), String::new())).collect();
    let by_domain = tally(&store::counts(conn, &filter, now, false).await?, &domains);
    let areas = store_org::all_areas(conn).await?;
    let townships: Vec<(i64, String)> = areas.iter().filter(|a| a.level == AreaLevel::Township && a.active).map(|a| (a.id, a.name.clone())).collect();
    let order: Vec<(String, String)> = townships.iter().map(|(id, n)| (id.to_string(), n.clone())).collect();
    let mut by_township = tally(&store::counts(conn, &filter, now, true).await?, &order);
    // Townships with nothing on this filter are left out; hazards in no township come last.
    by_township.retain(|t| t.total > 0);
    Ok(Register { now_ms: now, filter, rows: rows.into_iter().map(|h| names.row(h)).collect(), total, by_domain, by_township, townships })
}

/// Every hazard on the filter, for the spreadsheet, with its inspecting units' names.
pub async fn export_rows(db: &Db, by: &Actor, filter: HazardFilter) -> Result<Vec<(HazardRow, Vec<String>)>, AppError> {
    let filter = scoped(by, HazardFilter { page: 0, ..filter })?;
    let conn = &mut *db.read().await?;
    let names = Names::load(conn).await?;
    let (rows, _) = store::list(conn, &filter, now_ms(), EXPORT_MAX).await?;
    Ok(rows
        .into_iter()
        .map(|h| {
            let inspectors = h.facts.inspectors.iter().map(|u| names.unit(*u)).collect();
            (names.row(h), inspectors)
        })
        .collect())
}

/// One hazard with its history and the steps the caller may take.
pub async fn detail(db: &Db, by: &Actor, id: HazardId) -> Result<HazardDetail, AppError> {
    let conn = &mut *db.read().await?;
    let (h, _) = store::get(conn, id).await?.ok_or(AppError::NotFound)?;
    if !may_see(by, &h) {
        return Err(AppError::NotFound);
    }
    let names = Names::load(conn).await?;
    let staff: HashMap<i64, String> = users::all_staff(conn).await?.into_iter().map(|s| (s.id, s.display_name)).collect();
    let (events, photos) = store::history(conn, id).await?;
    let events = events
        .into_iter()
        .filter_map(|e| {
            Some(HazardEvent {
                seq: e.seq,
                kind: e.kind.parse().ok()?,
                at_ms: e.at,
                by: e.user_id.and_then(|u| staff.get(&u).cloned()).unwrap_or_default(),
                unit: e.unit_id.map(|u| names.unit(u)).unwrap_or_default(),
                text: e.body,
                photos: photos.iter().filter(|(_, s)| *s == e.seq).map(|(p, _)| *p).collect(),
            })
        })
        .collect();
    let case_code = match h.case_id {
        Some(c) => store_cases::code_of(conn, c).await?,
        None => None,
    };
    Ok(HazardDetail {
        now_ms: now_ms(),
        inspectors: h.facts.inspectors.iter().map(|u| names.unit(*u)).collect(),
        steps: h.steps_for(part(by, &h)),
        case_code,
        events,
        row: names.row(h),
    })
}

/// A photo of a hazard, for those who may see the hazard.
pub async fn photo(db: &Db, files_dir: &Path, by: &Actor, id: i64) -> Result<FileToServe, AppError> {
    let conn = &mut *db.read().await?;
    let (hazard_id, key, file_name, content_type) = store::photo(conn, id).await?.ok_or(AppError::NotFound)?;
    let (h, _) = store::get(conn, hazard_id).await?.ok_or(AppError::NotFound)?;
    if !may_see(by, &h) {
        return Err(AppError::NotFound);
    }
    Ok(FileToServe { path: files_dir.join(key), file_name, content_type })
}

/// The open hazards with a point, for the command screen's map.
pub async fn points(conn: &mut AnyConnection, now: i64) -> Result<Vec<HazardPoint>, AppError> {
    Ok(store::points(conn, now, SCREEN_POINTS).await?)
}
