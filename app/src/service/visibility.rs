//! Who sees which cases: the center and leaders all of them, a unit's staff only those
//! their unit holds or held. Every read and command on a case checks this first.
use crate::domain::case::{Actor, CaseId};
use crate::domain::org::Role;
use crate::error::AppError;
use crate::store::Db;
use crate::store::cases::{self as store, Scope};

/// Only the case's own units see a unit staff member's view of the register.
pub fn scope_of(by: &Actor) -> Result<Scope, AppError> {
    match by {
        Actor::Staff { role: Role::UnitStaff, unit_id: Some(u), .. } => Ok(Scope::Unit(*u)),
        Actor::Staff { role: Role::UnitStaff, unit_id: None, .. } => Err(AppError::Forbidden),
        Actor::Staff { role: Role::Admin, .. } => Err(AppError::Forbidden),
        Actor::Staff { .. } | Actor::System => Ok(Scope::All),
        Actor::Resident => Err(AppError::Forbidden),
    }
}

/// The object-level check: may `by` see this case at all? Not-found and not-yours look
/// the same from outside, so ids cannot be probed.
pub async fn check_visible(db: &Db, by: &Actor, id: CaseId) -> Result<(), AppError> {
    match scope_of(by)? {
        Scope::All => Ok(()),
        Scope::Unit(u) if store::unit_held(&mut *db.read().await?, id, u).await? => Ok(()),
        Scope::Unit(_) => Err(AppError::NotFound),
    }
}
