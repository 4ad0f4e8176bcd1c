//! Pure rules of the center: no I/O, compiles for the browser too.
pub mod access;
pub mod audit;
pub mod case;
pub mod org;
pub mod roster;
pub mod signin;
