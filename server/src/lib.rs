pub mod api;
pub mod cli;
pub mod config;
pub mod errors;
pub mod guard;
pub mod lang;
pub mod router;
pub mod scheduler;
