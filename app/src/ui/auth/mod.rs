mod api;
mod signin;

pub use api::*;
pub use signin::SignInPage;

// Staff only: residents never download the sign-in page's code (its own chunk with --split).
lazy_page!(SignInRoute => SignInPage);
