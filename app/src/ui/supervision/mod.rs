//! Supervision (督办): the supervision office's list at `/center/supervision` with its
//! export, and the supervision card on a case page with the ladder's steps.
pub mod api;
pub mod card;
#[cfg(feature = "ssr")]
pub mod export;
pub mod page;
pub mod texts;

pub use card::SupervisionCard;
pub use page::SupervisionListPage;
