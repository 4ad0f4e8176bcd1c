mod api;
mod signin;

pub use api::*;
pub use signin::SignInPage;
