//! The supervision list (督办清单) for the center: which cases stand on which rung of the
//! ladder, what falls due, what was ticked off. The ladder's steps themselves are case
//! commands (`cases::execute`), decided by `domain::case`.
use crate::domain::access::CENTER_ROLES;
use crate::domain::case::Actor;
use crate::domain::supervision::{SupervisionFilter, SupervisionPage, SupervisionRow};
use crate::error::AppError;
use crate::store::{Db, now_ms, supervision as store};

/// At most this many rows in one export: the list is a working list, not an archive.
pub const EXPORT_LIMIT: i64 = 10_000;

/// The center reads the whole list; units are told of their own supervision on their cases.
fn may_read(by: &Actor) -> Result<(), AppError> {
    if by.has_role(CENTER_ROLES) { Ok(()) } else { Err(AppError::Forbidden) }
}

pub async fn list(db: &Db, by: &Actor, filter: &SupervisionFilter) -> Result<SupervisionPage, AppError> {
    may_read(by)?;
    let now = now_ms();
    let (rows, total) = store::list(&mut *db.read().await?, filter, now, None).await?;
    Ok(SupervisionPage { rows, total, filter: filter.clone(), now_ms: now })
}

/// Every row the filter finds (up to `EXPORT_LIMIT`), for the Excel export.
pub async fn export_rows(db: &Db, by: &Actor, filter: &SupervisionFilter) -> Result<Vec<SupervisionRow>, AppError> {
    may_read(by)?;
    Ok(store::list(&mut *db.read().await?, filter, now_ms(), Some(EXPORT_LIMIT)).await?.0)
}
