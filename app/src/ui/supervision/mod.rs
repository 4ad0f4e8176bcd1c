//! Supervision (督办): the supervision office's list at `/center/supervision` with its
//! export, the supervision card on a case page with the ladder's steps, and the bulletins
//! (通报) drafted from the records and published to the units.
pub mod api;
pub mod bulletin;
pub mod bulletin_api;
#[cfg(feature = "ssr")]
pub mod bulletin_export;
pub mod bulletins;
pub mod card;
#[cfg(feature = "ssr")]
pub mod export;
pub mod page;
pub mod texts;

pub use bulletin::BulletinPage;
pub use bulletins::BulletinsListPage;
pub use card::SupervisionCard;
pub use page::SupervisionListPage;
