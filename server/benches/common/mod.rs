//! Helpers the benchmarks share (a folder, so cargo does not take it for a benchmark).

/// The one in the server's config, shared with the tests.
pub use server::config::with_database;
