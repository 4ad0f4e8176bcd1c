//! The safety hazard register (隐患清单): the register with its counts and export, recording a
//! hazard, and one hazard's page with the steps of the units whose step it is — on the desk
//! and on the phone; a case's hazards on the case's page.
pub mod api;
pub mod case_card;
pub mod detail;
#[cfg(feature = "ssr")]
pub mod export;
pub mod new;
pub mod register;
pub mod texts;

pub use case_card::CaseHazardsCard;
pub use detail::{FieldHazardPage, HazardPage};
pub use new::{FieldHazardNewPage, HazardNewPage};
pub use register::{FieldHazardsPage, HazardRegisterPage};
