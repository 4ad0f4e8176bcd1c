#![recursion_limit = "512"]
//! Shezhi (社治): the district social governance center. See DESIGN.md for the layers:
//! `domain` (pure rules), `store` (SQL, server only), `service` (use cases, server only)
//! and `ui` (pages with their server functions, grouped by feature).
// The build-script code generation of newer releases needs a build.rs per crate; the macro is simpler here.
#[allow(deprecated)]
mod i18n_gen {
    leptos_i18n::load_locales!();
}
pub use i18n_gen::i18n;

pub mod domain;
pub mod error;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod server_ctx;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

pub use ui::shell::{App, shell};
