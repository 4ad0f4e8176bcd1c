//! What keeps a page live and honest without a reload: the `/events` feed, clocks counted
//! from the server's time, and the outbox that holds reports written offline.
pub mod clock;
pub mod feed;
pub mod outbox;
pub mod refresh;
