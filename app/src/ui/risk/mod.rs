//! Risk warnings (风险预警) at the center: the list with the year's figures, one warning's
//! page with its steps, and the administrator's rules with their replay.
pub mod api;
pub mod list;
pub mod panel;
pub mod settings;
pub mod texts;
pub mod warning;

pub use list::RiskListPage;
pub use settings::RiskSettingsPage;
pub use warning::RiskWarningPage;
