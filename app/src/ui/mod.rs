#[macro_use]
pub mod admin;
pub mod auth;
pub mod cases;
pub mod center;
pub mod command;
pub mod components;
pub mod errors;
pub mod field;
pub mod forms;
pub mod portal;
pub mod shell;
pub mod suggest;
