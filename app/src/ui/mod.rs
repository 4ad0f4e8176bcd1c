pub mod admin;
pub mod auth;
pub mod center;
pub mod components;
pub mod errors;
pub mod field;
pub mod portal;
pub mod shell;
