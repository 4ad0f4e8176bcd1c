//! Palm command (掌上指挥) screens: the command board on the case page, the live feed and
//! on-screen clocks, the field inbox.
pub mod api;
pub mod board;
pub mod clock;
pub mod live;
pub mod outbox;
