//! Who sees which cases: the center and leaders all of them; a unit's staff the cases their
//! unit holds or held, and — for a township government, a village committee or a grid team —
//! every case in its area too (reading only: acting stays with the units a case is assigned
//! to, which `domain::case` decides). Every read and command on a case checks this first.
use crate::domain::case::{Actor, CaseId};
use crate::domain::org::Role;
use crate::error::AppError;
use crate::store::Db;
use crate::store::cases::{self as store, Scope};
use crate::store::org as store_org;
use sqlx::AnyConnection;

/// The unit's own cases: what its inbox holds and its phone acts on.
pub fn scope_of(by: &Actor) -> Result<Scope, AppError> {
    match by {
        Actor::Staff { role: Role::UnitStaff, unit_id: Some(u), .. } => Ok(Scope::Unit(*u)),
        Actor::Staff { role: Role::UnitStaff, unit_id: None, .. } => Err(AppError::Forbidden),
        Actor::Staff { role: Role::Admin, .. } => Err(AppError::Forbidden),
        Actor::Staff { .. } | Actor::System => Ok(Scope::All),
        Actor::Resident => Err(AppError::Forbidden),
    }
}

/// What `by` may read of the register: its own cases, and its area's for a unit with one.
pub async fn reading_scope(conn: &mut AnyConnection, by: &Actor) -> Result<Scope, AppError> {
    let scope = scope_of(by)?;
    let Scope::Unit(u) = scope else { return Ok(scope) };
    Ok(match store_org::unit_by_id(conn, u).await? {
        Some(unit) => match (unit.kind.area_level(), unit.area_id) {
            (Some(level), Some(area_id)) if unit.active => Scope::Area { unit: u, level, area_id },
            _ => scope,
        },
        None => scope,
    })
}

/// The object-level check: may `by` see this case at all? Not-found and not-yours look
/// the same from outside, so ids cannot be probed.
pub async fn check_visible(db: &Db, by: &Actor, id: CaseId) -> Result<(), AppError> {
    match scope_of(by)? {
        Scope::Unit(u) if !store::unit_may_read(&mut *db.read().await?, id, u).await? => Err(AppError::NotFound),
        _ => Ok(()),
    }
}
