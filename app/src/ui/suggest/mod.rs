//! The livelihood-project call (民生实事项目征集): residents' pages (`/suggest`, its list
//! and tracking), the campaigns' administration and the staff review.
pub mod api;
mod campaigns;
mod detail;
#[cfg(feature = "ssr")]
pub mod export;
mod form;
mod list;
mod queue;
mod texts;
mod track;
mod unit;

pub use campaigns::CampaignsPage;
pub use detail::SuggestionReviewPage;
pub use form::{CampaignWindow, SuggestPage};
pub use list::SuggestListPage;
pub use queue::CampaignQueuePage;
pub use track::SuggestTrackPage;
pub use unit::UnitSuggestionsPage;
