mod home;
mod layout;

pub use home::CenterHome;
pub use layout::CenterLayout;
