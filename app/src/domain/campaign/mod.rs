//! The livelihood-project call (民生实事项目征集): a campaign with a fixed window, the
//! residents' suggestions (one item each), and the government's review of them up to
//! the adopted list. Pure rules; the store and pages build on them.
mod error;
mod quantity;
mod review;
mod similar;
mod suggestion;
mod view;
mod window;

pub use error::{CampaignError, Field};
pub use quantity::states_a_quantity;
pub use review::{Answer, ReviewCommand, ReviewEvent, ReviewKind, SuggestionState, SuggestionStatus, Verdict, Vote, decide};
pub use similar::{SIMILAR_THRESHOLD, similarity};
pub use suggestion::{MAX_NAME_CHARS, SuggestInput, SuggestionDraft, SuggestionText};
pub use view::{AdoptedProject, CampaignStats, CampaignView, PortalCall, StatLine, SuggestionEventRow, SuggestionRow, SuggestionTrack};
pub use window::{Campaign, CampaignPhase, DEFAULT_CATEGORIES, MAX_YEAR, MIN_YEAR, parse_year, split_categories};
