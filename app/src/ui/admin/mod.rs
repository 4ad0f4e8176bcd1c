//! Administration of the organisation: areas, units, staff, roster import, case categories'
//! time terms, audit trail.
mod areas;
mod audit;
mod categories;
mod import;
mod routing_model;
mod units;
mod users;

pub use areas::AreasPage;
pub use audit::AuditPage;
pub use categories::CategoriesPage;
pub use import::ImportPage;
#[cfg(feature = "ssr")]
pub(crate) use import::ImportRoster;
pub use units::UnitsPage;
pub use users::UsersPage;
