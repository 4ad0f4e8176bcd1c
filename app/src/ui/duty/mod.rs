//! The duty roster (值班): the center's month calendar and planning, the holder's phone page.
pub mod api;
pub mod calendar;
#[cfg(feature = "ssr")]
pub mod export;
pub mod phone;
pub mod texts;
pub mod wall;

pub use calendar::DutyPage;
pub use phone::FieldDutyPage;
