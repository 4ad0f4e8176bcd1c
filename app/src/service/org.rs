use super::{AuditActor, password};
use crate::domain::audit::AuditEntry;
use crate::domain::audit::AuditEvent;
use crate::domain::org::{self, Area, AreaLevel, OrgCounts, Place, Role, Staff, Unit, UnitChoice, UnitKind};
use crate::error::AppError;
use crate::store::{Db, audit, org as store_org, users};

/// Creates an area under `parent_id` or renames area `id`. A new area's level is `level`,
/// or when not given the one below its parent's (the district when it has none).
pub async fn save_area(db: &Db, actor: &AuditActor, id: Option<i64>, parent_id: Option<i64>, level: Option<AreaLevel>, name: &str) -> Result<i64, AppError> {
    let name = org::clean_name(name)?;
    let mut tx = db.begin_write().await?;
    let (area_id, created) = match id {
        Some(id) => {
            store_org::rename_area(&mut tx, id, &name).await?;
            (id, false)
        }
        None => {
            let parent = match parent_id {
                Some(p) => Some(store_org::area_by_id(&mut tx, p).await?.ok_or(AppError::NotFound)?),
                None => None,
            };
            let parent_level = parent.as_ref().map(|p| p.level);
            let level = match (level, parent_level) {
                (Some(l), _) => l,
                (None, None) => AreaLevel::District,
                (None, Some(p)) => p.child().ok_or(org::OrgError::BadParent { child: AreaLevel::Grid, parent: Some(p) })?,
            };
            org::check_area_parent(level, parent_level)?;
            let code = match &parent {
                Some(p) => format!("{}-{:02}", p.code, store_org::child_count(&mut tx, p.id).await? + 1),
                None => "D".to_string(),
            };
            let new = store_org::NewArea { parent_id, level, name: &name, code: &code };
            (store_org::insert_area(&mut tx, &new).await?, true)
        }
    };
    audit::append(&mut tx, actor.user_id, actor.ip.as_deref(), &AuditEvent::AreaSaved { area_id, name, created }).await?;
    tx.commit().await?;
    Ok(area_id)
}

pub async fn set_area_active(db: &Db, actor: &AuditActor, id: i64, active: bool) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    store_org::set_area_active(&mut tx, id, active).await?;
    audit::append(&mut tx, actor.user_id, actor.ip.as_deref(), &AuditEvent::AreaActiveSet { area_id: id, active }).await?;
    tx.commit().await?;
    Ok(())
}

pub struct UnitInput<'a> {
    pub name: &'a str,
    pub kind: UnitKind,
    pub area_id: Option<i64>,
    pub phone: &'a str,
}

pub async fn save_unit(db: &Db, actor: &AuditActor, id: Option<i64>, input: &UnitInput<'_>) -> Result<i64, AppError> {
    let name = org::clean_name(input.name)?;
    let phone = org::clean_phone(input.phone)?;
    let mut tx = db.begin_write().await?;
    let area_level = match input.area_id {
        Some(a) => Some(store_org::area_by_id(&mut tx, a).await?.ok_or(AppError::NotFound)?.level),
        None => None,
    };
    org::check_unit_area(input.kind, area_level)?;
    let fields = store_org::UnitFields { name: &name, kind: input.kind, area_id: input.area_id, phone: phone.as_deref() };
    let (unit_id, created) = match id {
        Some(id) => {
            store_org::update_unit(&mut tx, id, &fields).await?;
            (id, false)
        }
        None => (store_org::insert_unit(&mut tx, &fields).await?, true),
    };
    audit::append(&mut tx, actor.user_id, actor.ip.as_deref(), &AuditEvent::UnitSaved { unit_id, name, created }).await?;
    tx.commit().await?;
    Ok(unit_id)
}

pub async fn set_unit_active(db: &Db, actor: &AuditActor, id: i64, active: bool) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    store_org::set_unit_active(&mut tx, id, active).await?;
    audit::append(&mut tx, actor.user_id, actor.ip.as_deref(), &AuditEvent::UnitActiveSet { unit_id: id, active }).await?;
    tx.commit().await?;
    Ok(())
}

pub struct StaffInput<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub unit_id: Option<i64>,
    pub phone: &'a str,
}

/// Who chose a new account's first password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstPassword {
    /// An admin (or the seed): the owner must choose their own at first sign-in.
    SetByAdmin,
    /// The owner themself (an operator's own account made from the command line, test fixtures).
    OwnersOwn,
}

/// Creates (with the given password) or edits a staff account. Returns its id.
pub async fn save_user(
    db: &Db,
    actor: &AuditActor,
    id: Option<i64>,
    input: &StaffInput<'_>,
    new_password: Option<&str>,
    chosen_by: FirstPassword,
) -> Result<i64, AppError> {
    let username = org::clean_username(input.username)?;
    let display_name = org::clean_name(input.display_name)?;
    let phone = org::clean_phone(input.phone)?;
    let hash = match (id, new_password) {
        (None, Some(p)) => {
            org::check_password(p)?;
            Some(password::hash(p.to_string()).await)
        }
        (None, None) => return Err(org::OrgError::WeakPassword.into()),
        _ => None,
    };
    let fields = users::StaffFields { username: &username, display_name: &display_name, role: input.role, unit_id: input.unit_id, phone: phone.as_deref() };
    let mut tx = db.begin_write().await?;
    if let Some(u) = input.unit_id {
        store_org::unit_by_id(&mut tx, u).await?.ok_or(AppError::NotFound)?;
    }
    let (user_id, created) = match (id, hash) {
        (Some(id), _) => {
            users::update_user(&mut tx, id, &fields).await?;
            (id, false)
        }
        (None, Some(hash)) => (users::insert_user(&mut tx, &fields, &hash, chosen_by == FirstPassword::SetByAdmin).await?, true),
        (None, None) => unreachable!("a new account always has a hash by now"),
    };
    audit::append(&mut tx, actor.user_id, actor.ip.as_deref(), &AuditEvent::UserSaved { user_id, username, created }).await?;
    tx.commit().await?;
    Ok(user_id)
}

pub async fn set_user_active(db: &Db, actor: &AuditActor, id: i64, active: bool) -> Result<(), AppError> {
    if !active && actor.user_id == Some(id) {
        return Err(AppError::SelfDeactivation);
    }
    let mut tx = db.begin_write().await?;
    users::set_user_active(&mut tx, id, active).await?;
    audit::append(&mut tx, actor.user_id, actor.ip.as_deref(), &AuditEvent::UserActiveSet { user_id: id, active }).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a new generated password and returns it, to be shown once to the admin; its owner
/// replaces it at the next sign-in.
pub async fn reset_password(db: &Db, actor: &AuditActor, id: i64) -> Result<String, AppError> {
    let new = password::generate();
    let hash = password::hash(new.clone()).await;
    let mut tx = db.begin_write().await?;
    users::set_password(&mut tx, id, &hash, true).await?;
    audit::append(&mut tx, actor.user_id, actor.ip.as_deref(), &AuditEvent::PasswordReset { user_id: id }).await?;
    tx.commit().await?;
    Ok(new)
}

// ---- reads ----------------------------------------------------------------------

pub async fn areas(db: &Db) -> Result<Vec<Area>, AppError> {
    Ok(store_org::all_areas(&mut *db.read().await?).await?)
}

pub async fn units(db: &Db) -> Result<Vec<Unit>, AppError> {
    Ok(store_org::all_units(&mut *db.read().await?).await?)
}

pub async fn staff(db: &Db) -> Result<Vec<Staff>, AppError> {
    Ok(users::all_staff(&mut *db.read().await?).await?)
}

pub async fn unit(db: &Db, id: i64) -> Result<Option<Unit>, AppError> {
    Ok(store_org::unit_by_id(&mut *db.read().await?, id).await?)
}

/// The places at `levels` for a form's picker (`org::CASE_PLACE_LEVELS`, …).
pub async fn places(db: &Db, levels: &[AreaLevel]) -> Result<Vec<Place>, AppError> {
    Ok(org::place_list(&areas(db).await?, levels))
}

/// The units in service of the kinds `keep` accepts, for a form's picker.
pub async fn unit_choices(db: &Db, keep: fn(UnitKind) -> bool) -> Result<Vec<UnitChoice>, AppError> {
    Ok(units(db).await?.into_iter().filter(|u| u.active && keep(u.kind)).map(UnitChoice::from).collect())
}

pub async fn counts(db: &Db) -> Result<OrgCounts, AppError> {
    let active_staff = staff(db).await?.iter().filter(|s| s.active).count();
    Ok(OrgCounts::of(&units(db).await?, &areas(db).await?, active_staff))
}

/// The audit trail, newest first, `limit` entries older than `before_id`.
pub async fn audit_trail(db: &Db, before_id: Option<i64>, limit: i64) -> Result<Vec<AuditEntry>, AppError> {
    Ok(audit::recent_events(&mut *db.read().await?, before_id, limit).await?)
}

/// The active unit with exactly this name, for commands that name a unit.
pub async fn active_unit_named(db: &Db, name: &str) -> Result<Option<i64>, AppError> {
    let units = store_org::active_unit_ids_by_name(&mut *db.read().await?).await?;
    Ok(units.into_iter().find(|(n, _)| n == name).map(|(_, id)| id))
}
