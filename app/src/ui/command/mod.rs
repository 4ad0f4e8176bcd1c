//! Palm command (掌上指挥) screens: the command board on the case page and the field inbox's
//! server functions.
pub mod api;
pub mod board;
