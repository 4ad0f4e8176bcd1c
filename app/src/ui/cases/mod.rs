//! The case register's pages: intake, list, case page (center and field), and the
//! server functions behind them.
pub(crate) mod actions;
pub mod api;
pub mod category_options;
pub mod detail;
#[cfg(feature = "ssr")]
pub mod export;
pub mod intake;
pub mod list;
pub mod place_picker;
pub mod remembered;
pub mod routing;
pub mod texts;
pub mod timeline;
