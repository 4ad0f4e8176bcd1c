//! Dispute mediation (矛盾调处): the record card of a dispute case and the first-time
//! resolution rate with its drill-down.
pub mod api;
pub mod card;
pub mod rates;

pub use card::MediationCard;
pub use rates::MediationRatePage;
