mod api;
mod password;
mod signin;

pub use api::*;
pub use password::*;
pub use signin::SignInPage;
