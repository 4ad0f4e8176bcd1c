//! What keeps a page live and honest without a reload: the `/events` feed, clocks counted
//! from the server's time, the outbox that holds reports written offline, and the field
//! pages kept for opening without network.
pub mod clock;
pub mod feed;
#[cfg(feature = "hydrate")]
mod idb;
pub mod offline;
pub mod outbox;
pub mod refresh;
