//! Emergency reports (紧急信息报送): the center's board and one emergency's reports; the
//! responsible unit's phone pages to file them; the case page's card.
pub mod api;
pub mod board;
pub mod center;
pub mod parts;
pub mod phone;
pub mod tallies;
pub mod texts;

pub use board::EmergencyBoardPage;
pub use center::{CaseEmergencyCard, EmergencyCenterPage};
pub use phone::{FieldEmergencyListPage, FieldEmergencyPage};
pub use tallies::UnitTallies;
