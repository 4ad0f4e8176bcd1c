pub mod api;
mod charts;
pub mod figures;
mod home;
mod layout;
mod map;
mod screen;
mod shortcuts;
mod wall_feed;

pub use home::CenterHome;
pub use layout::CenterLayout;
pub use screen::ScreenPage;
pub use shortcuts::DeskShortcuts;
