//! Administration of the organisation: areas, units, staff, roster import, audit trail.
mod areas;
mod audit;
mod import;
mod units;
mod users;

pub use areas::AreasPage;
pub use audit::AuditPage;
pub use import::ImportPage;
pub use units::UnitsPage;
pub use users::UsersPage;

#[cfg(feature = "ssr")]
use crate::error::AppError;

/// A select's value: empty means none, anything else must be an id.
#[cfg(feature = "ssr")]
pub(crate) fn parse_optional_id(raw: &str) -> Result<Option<i64>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() { Ok(None) } else { raw.parse().map(Some).map_err(|_| AppError::NotFound) }
}
