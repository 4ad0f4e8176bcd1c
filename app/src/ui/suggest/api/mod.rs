//! Server functions of the livelihood call. Residents' ones are public (`/api/public/…`);
//! review ones are for center staff (`/api/center/…`), campaign editing for admins
//! (`/api/admin/…`). Each checks its caller again and calls `service::campaigns`.
pub use crate::domain::Receipt;
use crate::domain::campaign::{AdoptedProject, CampaignStats, ReviewKind, SuggestionEventRow, SuggestionRow, SuggestionState};
#[cfg(feature = "ssr")]
use crate::domain::campaign::{Campaign, CampaignPhase};
pub use crate::domain::campaign::{CampaignView, SuggestInput, SuggestionTrack};
use crate::domain::org::{Place, UnitChoice};
use crate::domain::privacy::ReporterView;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

mod public;
mod staff;

pub use public::*;
pub use staff::*;
