//! The duty roster (值班): planning by the center, check-in and handover by each holder on
//! the phone, swaps with approval, the missed check-in flagged by the scheduler and pushed,
//! who is on duty now, and the roster as a spreadsheet.
use super::{AuditActor, Effects};
use crate::domain::access::{CENTER_ROLES, PLAN_DUTY};
use crate::domain::audit::AuditEvent;
use crate::domain::case::Actor;
use crate::domain::clock::DAY_MS;
use crate::domain::duty::{
    DutyError, DutyLine, MONTH_MAX_SHIFTS, Month, MonthRoster, MyDuty, Point, Post, RosterEntry, RosterImport, RosterUnit, Shift, Swap, SwapEntry,
    check_import, keeps_roster,
};
use crate::domain::notice::{self, Notice};
use crate::domain::org::{Staff, Unit, UnitKind};
use crate::error::AppError;
use crate::store::duty as store;
use crate::store::{Backend, Db, audit, notices as store_notices, now_ms, org as store_org, users};
use sqlx::AnyConnection;
use std::collections::HashMap;

/// Shifts flagged per look.
const FLAG_BATCH: i64 = 200;

struct Names {
    units: HashMap<i64, Unit>,
    staff: HashMap<i64, Staff>,
}

impl Names {
    async fn load(conn: &mut AnyConnection) -> Result<Names, AppError> {
        let units = store_org::all_units(conn).await?.into_iter().map(|u| (u.id, u)).collect();
        let staff = users::all_staff(conn).await?.into_iter().map(|s| (s.id, s)).collect();
        Ok(Names { units, staff })
    }

    fn person(&self, id: i64) -> String {
        self.staff.get(&id).map(|s| s.display_name.clone()).unwrap_or_default()
    }

    fn entry(&self, shift: Shift, swaps: &[Swap]) -> RosterEntry {
        let holder = self.staff.get(&shift.user_id);
        let swap = swaps.iter().find(|w| w.shift_id == shift.id).map(|w| (w.id, self.person(w.to_user)));
        RosterEntry {
            unit: self.units.get(&shift.unit_id).map(|u| u.name.clone()).unwrap_or_default(),
            person: holder.map(|s| s.display_name.clone()).unwrap_or_default(),
            phone: holder.and_then(|s| s.phone.clone()),
            swap,
            shift,
        }
    }

    /// Active staff of an active unit that keeps a roster.
    fn check_holder(&self, unit_id: i64, user_id: i64) -> Result<&Unit, AppError> {
        let unit = self.units.get(&unit_id).filter(|u| u.active).ok_or(AppError::NotFound)?;
        if !keeps_roster(unit.kind) {
            return Err(DutyError::NoRoster.into());
        }
        match self.staff.get(&user_id) {
            Some(s) if s.active && s.unit_id == Some(unit_id) => Ok(unit),
            _ => Err(DutyError::NotInUnit.into()),
        }
    }
}

fn user_id(by: &Actor) -> Result<i64, AppError> {
    match by {
        Actor::Staff { user_id, .. } => Ok(*user_id),
        _ => Err(AppError::Forbidden),
    }
}

/// The units whose roster `by` may see: all for the center, their own for a township's staff.
fn visible_unit(by: &Actor) -> Result<Option<i64>, AppError> {
    if by.has_role(CENTER_ROLES) {
        return Ok(None);
    }
    by.unit_id().map(Some).ok_or(AppError::Forbidden)
}

/// A month of the roster, optionally of one unit.
pub async fn month(db: &Db, by: &Actor, month: Month, unit: Option<i64>) -> Result<MonthRoster, AppError> {
    let own = visible_unit(by)?;
    let unit = own.or(unit);
    let conn = &mut *db.read().await?;
    let names = Names::load(conn).await?;
    let (from, to) = month.span_ms();
    let shifts = store::shifts_between(conn, from, to, unit, None).await?;
    let pending = store::pending_swaps(conn).await?;
    let may_plan = by.has_role(PLAN_DUTY);
    let mut units: Vec<RosterUnit> = names
        .units
        .values()
        .filter(|u| u.active && keeps_roster(u.kind) && own.is_none_or(|o| o == u.id))
        .map(|u| {
            let mut staff: Vec<(i64, String)> =
                names.staff.values().filter(|s| s.active && s.unit_id == Some(u.id)).map(|s| (s.id, s.display_name.clone())).collect();
            staff.sort();
            RosterUnit { id: u.id, name: u.name.clone(), staff }
        })
        .collect();
    // The center first, then the townships by name.
    units.sort_by_key(|u| (names.units.get(&u.id).is_some_and(|x| x.kind != UnitKind::Center), u.name.clone()));
    let swaps = if may_plan {
        store::pending_swap_shifts(conn)
            .await?
            .into_iter()
            .filter_map(|s| {
                let w = pending.iter().find(|w| w.shift_id == s.id)?.clone();
                let e = names.entry(s, &[]);
                Some(SwapEntry { from: names.person(w.from_user), to: names.person(w.to_user), unit: e.unit, shift: e.shift, swap: w })
            })
            .collect()
    } else {
        Vec::new()
    };
    let entries = shifts.into_iter().take(MONTH_MAX_SHIFTS).map(|s| names.entry(s, &pending)).collect();
    Ok(MonthRoster { month, now_ms: now_ms(), entries, units, swaps, may_plan })
}

/// A new shift, planned by the center.
#[allow(clippy::too_many_arguments)]
pub async fn plan(
    db: &Db,
    fx: &Effects,
    who: &AuditActor,
    by: &Actor,
    unit_id: i64,
    post: Post,
    holder: i64,
    starts: i64,
    ends: i64,
) -> Result<Shift, AppError> {
    if !by.has_role(PLAN_DUTY) {
        return Err(AppError::Forbidden);
    }
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let names = Names::load(&mut tx).await?;
    let unit = names.check_holder(unit_id, holder)?;
    let mut shift = Shift::plan(unit_id, unit.kind, post, holder, starts, ends)?;
    if !store::shifts_between(&mut tx, starts, ends, None, Some(holder)).await?.is_empty() {
        return Err(DutyError::Overlap.into());
    }
    shift.id = store::insert_shift(&mut tx, &shift, who.user_id, now).await?;
    audit::append(&mut tx, who.user_id, who.ip.as_deref(), &AuditEvent::DutyRecorded { shift_id: shift.id, step: "plan".into() }).await?;
    tx.commit().await?;
    // The new shift may be the next to fall due for its check-in.
    fx.live.alarms_changed();
    Ok(shift)
}

/// Removes a shift that has not begun (a begun one is the record of who was on duty).
pub async fn remove(db: &Db, fx: &Effects, who: &AuditActor, by: &Actor, shift_id: i64) -> Result<(), AppError> {
    if !by.has_role(PLAN_DUTY) {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin_write().await?;
    let shift = store::shift_for_update(&mut tx, db.backend == Backend::Postgres, shift_id).await?.ok_or(AppError::NotFound)?;
    shift.check_removable(now_ms())?;
    store::delete_shift(&mut tx, shift_id).await?;
    audit::append(&mut tx, who.user_id, who.ip.as_deref(), &AuditEvent::DutyRecorded { shift_id, step: "remove".into() }).await?;
    tx.commit().await?;
    fx.live.alarms_changed();
    Ok(())
}

/// A step the holder takes on their own shift.
pub enum HolderStep {
    CheckIn(Option<Point>),
    HandOver(String),
    Swap { to_user: i64, reason: String },
}

/// The holder checks in, writes the handover note or asks for a swap.
pub async fn holder_step(db: &Db, fx: &Effects, who: &AuditActor, by: &Actor, shift_id: i64, step: HolderStep) -> Result<Shift, AppError> {
    let me = user_id(by)?;
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let mut shift = store::shift_for_update(&mut tx, db.backend == Backend::Postgres, shift_id).await?.ok_or(AppError::NotFound)?;
    let code = match step {
        HolderStep::CheckIn(at) => {
            shift.check_in(me, at, now)?;
            store::save_shift(&mut tx, &shift).await?;
            "check_in"
        }
        HolderStep::HandOver(note) => {
            shift.hand_over(me, &note, now)?;
            store::save_shift(&mut tx, &shift).await?;
            "hand_over"
        }
        HolderStep::Swap { to_user, reason } => {
            let w = Swap::request(&shift, me, to_user, &reason, now)?;
            Names::load(&mut tx).await?.check_holder(shift.unit_id, to_user)?;
            if store::pending_swaps(&mut tx).await?.iter().any(|p| p.shift_id == shift_id) {
                return Err(DutyError::SwapWaiting.into());
            }
            store::insert_swap(&mut tx, &w).await?;
            "swap_request"
        }
    };
    audit::append(&mut tx, who.user_id, who.ip.as_deref(), &AuditEvent::DutyRecorded { shift_id, step: code.into() }).await?;
    tx.commit().await?;
    fx.live.alarms_changed();
    Ok(shift)
}

/// A planner approves or refuses a swap; approving hands the shift to the colleague.
pub async fn decide_swap(db: &Db, fx: &Effects, who: &AuditActor, by: &Actor, swap_id: i64, approve: bool) -> Result<(), AppError> {
    if !by.has_role(PLAN_DUTY) {
        return Err(AppError::Forbidden);
    }
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let mut w = store::swap(&mut tx, swap_id).await?.ok_or(AppError::NotFound)?;
    let mut shift = store::shift_for_update(&mut tx, db.backend == Backend::Postgres, w.shift_id).await?.ok_or(AppError::NotFound)?;
    w.decide(&mut shift, approve, now)?;
    if approve {
        Names::load(&mut tx).await?.check_holder(shift.unit_id, shift.user_id)?;
        if !store::shifts_between(&mut tx, shift.starts_ms, shift.ends_ms, None, Some(shift.user_id)).await?.is_empty() {
            return Err(DutyError::Overlap.into());
        }
        store::save_shift(&mut tx, &shift).await?;
    }
    store::save_swap(&mut tx, &w, who.user_id).await?;
    let step = if approve { "swap_approve" } else { "swap_refuse" };
    audit::append(&mut tx, who.user_id, who.ip.as_deref(), &AuditEvent::DutyRecorded { shift_id: shift.id, step: step.into() }).await?;
    tx.commit().await?;
    fx.live.alarms_changed();
    Ok(())
}

/// The phone's duty page: the caller's shifts from yesterday to two weeks ahead.
pub async fn mine(db: &Db, by: &Actor) -> Result<MyDuty, AppError> {
    let me = user_id(by)?;
    let now = now_ms();
    let conn = &mut *db.read().await?;
    let names = Names::load(conn).await?;
    let shifts = store::shifts_between(conn, now - DAY_MS, now + 14 * DAY_MS, None, Some(me)).await?;
    let pending = store::pending_swaps(conn).await?;
    let unit = by.unit_id();
    let mut colleagues: Vec<(i64, String)> =
        names.staff.values().filter(|s| s.active && s.id != me && unit.is_some() && s.unit_id == unit).map(|s| (s.id, s.display_name.clone())).collect();
    colleagues.sort();
    Ok(MyDuty { now_ms: now, shifts: shifts.into_iter().map(|s| names.entry(s, &pending)).collect(), colleagues })
}

/// Who is on duty at `now` by the roster, the center first; each entry says whether checked in.
pub async fn on_duty(db: &Db, now: i64) -> Result<Vec<RosterEntry>, AppError> {
    on_duty_in(&mut *db.read().await?, now).await
}

pub async fn on_duty_in(conn: &mut AnyConnection, now: i64) -> Result<Vec<RosterEntry>, AppError> {
    Ok(on_duty_named(conn, now).await?.map(|(_, e)| e).unwrap_or_default())
}

/// The shifts covering `now` with the names they were read with (none when nobody is rostered).
async fn on_duty_named(conn: &mut AnyConnection, now: i64) -> Result<Option<(Names, Vec<RosterEntry>)>, AppError> {
    let shifts = store::shifts_between(conn, now, now + 1, None, None).await?;
    if shifts.is_empty() {
        return Ok(None);
    }
    let names = Names::load(conn).await?;
    let mut entries: Vec<RosterEntry> = shifts.into_iter().map(|s| names.entry(s, &[])).collect();
    entries.sort_by_key(|e| (names.units.get(&e.shift.unit_id).is_some_and(|u| u.kind != UnitKind::Center), e.unit.clone(), e.shift.post, e.shift.starts_ms));
    Ok(Some((names, entries)))
}

/// The wall's lines of who is on duty now.
pub async fn on_duty_lines(conn: &mut AnyConnection, now: i64) -> Result<Vec<DutyLine>, AppError> {
    let Some((names, entries)) = on_duty_named(conn, now).await? else { return Ok(Vec::new()) };
    Ok(entries
        .into_iter()
        .map(|e| DutyLine {
            center: names.units.get(&e.shift.unit_id).is_some_and(|u| u.kind == UnitKind::Center),
            post: e.shift.post,
            checked_in: e.shift.checked_in_ms.is_some(),
            missed: e.shift.missed_ms.is_some() && e.shift.checked_in_ms.is_none(),
            unit: e.unit,
            person: e.person,
        })
        .collect())
}

/// The leaders a matter is escalated to at `now`: the center's leader on duty by the roster,
/// or, with nobody rostered, every leader of the center.
pub async fn escalation_leaders(conn: &mut AnyConnection, now: i64) -> Result<Vec<i64>, AppError> {
    let on_duty = store::center_leaders_on_duty(conn, now).await?;
    if !on_duty.is_empty() {
        return Ok(on_duty);
    }
    Ok(users::center_leaders(conn).await?)
}

/// When the scheduler should next look at the roster.
pub async fn next_alarm(db: &Db) -> Result<Option<i64>, AppError> {
    Ok(store::next_check_in_due(&mut *db.read().await?).await?)
}

/// Flags every shift whose check-in is overdue at `now`, once, and pushes each to the center
/// and the shift's unit. Returns how many were flagged.
pub async fn flag_missed(db: &Db, fx: &Effects, now: i64) -> Result<usize, AppError> {
    // The scheduler looks often; only a look that finds something due takes the writer.
    if next_alarm(db).await?.is_none_or(|at| at > now) {
        return Ok(0);
    }
    let mut flagged = 0;
    loop {
        let mut tx = db.begin_write().await?;
        let due = store::unflagged_due(&mut tx, now, FLAG_BATCH).await?;
        if due.is_empty() {
            return Ok(flagged);
        }
        let names = Names::load(&mut tx).await?;
        let mut notices = Vec::with_capacity(due.len());
        for mut s in due {
            if !s.flag_missed(now) {
                continue;
            }
            store::save_shift(&mut tx, &s).await?;
            let e = names.entry(s, &[]);
            let n = Notice {
                id: 0,
                at_ms: now,
                case_id: 0,
                kind: notice::kind::DUTY.into(),
                units: vec![e.shift.unit_id],
                title: format!("{} {}", e.unit, e.person),
                text: Some(e.shift.id.to_string()),
            };
            notices.push(store_notices::insert(&mut tx, n).await?);
        }
        tx.commit().await?;
        flagged += notices.len();
        fx.live.published(notices);
    }
}

/// Adds the good rows of an imported roster (xlsx or CSV, the export's columns) together;
/// rows that clash with a stored shift or with each other are refused, one by one.
pub async fn import(db: &Db, fx: &Effects, who: &AuditActor, by: &Actor, file_name: &str, bytes: &[u8]) -> Result<RosterImport, AppError> {
    if !by.has_role(PLAN_DUTY) {
        return Err(AppError::Forbidden);
    }
    let table = super::roster::read_table(file_name, bytes)?;
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let names = Names::load(&mut tx).await?;
    let units_by_name: HashMap<&str, &Unit> = names.units.values().filter(|u| u.active).map(|u| (u.name.as_str(), u)).collect();
    let staff_by_username: HashMap<&str, &Staff> = names.staff.values().filter(|s| s.active).map(|s| (s.username.as_str(), s)).collect();
    let (good, mut refused) = check_import(&table, |n| units_by_name.get(n).map(|u| (u.id, u.kind)), |n| staff_by_username.get(n).map(|s| (s.id, s.unit_id)));
    let mut added = 0;
    for line in &good {
        if !store::shifts_between(&mut tx, line.starts_ms, line.ends_ms, None, Some(line.user_id)).await?.is_empty() {
            refused.push(crate::domain::duty::LineError { row: line.row, problem: crate::domain::duty::LineProblem::Shift(DutyError::Overlap) });
            continue;
        }
        let s = Shift::plan(line.unit_id, names.units[&line.unit_id].kind, line.post, line.user_id, line.starts_ms, line.ends_ms)?;
        store::insert_shift(&mut tx, &s, who.user_id, now).await?;
        added += 1;
    }
    refused.sort_by_key(|e| e.row);
    audit::append(&mut tx, who.user_id, who.ip.as_deref(), &AuditEvent::DutyRecorded { shift_id: added as i64, step: "import".into() }).await?;
    tx.commit().await?;
    fx.live.alarms_changed();
    Ok(RosterImport { added, refused })
}

/// The month's roster as rows with the import's columns (date, start, end, unit, post,
/// username) plus the holder's name and whether and when they checked in.
pub async fn export_rows(db: &Db, by: &Actor, month: Month) -> Result<Vec<[String; 9]>, AppError> {
    let own = visible_unit(by)?;
    let conn = &mut *db.read().await?;
    let names = Names::load(conn).await?;
    let (from, to) = month.span_ms();
    let shifts = store::shifts_between(conn, from, to, own, None).await?;
    use crate::domain::clock::{day_string, hour_minute as hm, minute_string};
    Ok(shifts
        .into_iter()
        .filter(|s| s.starts_ms >= from)
        .map(|s| {
            let staff = names.staff.get(&s.user_id);
            [
                day_string(s.starts_ms),
                hm(s.starts_ms),
                hm(s.ends_ms),
                names.units.get(&s.unit_id).map(|u| u.name.clone()).unwrap_or_default(),
                crate::domain::duty::post_label(s.post).to_string(),
                staff.map(|p| p.username.clone()).unwrap_or_default(),
                staff.map(|p| p.display_name.clone()).unwrap_or_default(),
                s.checked_in_ms.map(minute_string).unwrap_or_default().replace('T', " "),
                s.handover.clone().unwrap_or_default(),
            ]
        })
        .collect())
}
