//! Use cases: authorise, load, ask `domain`, write the change and its audit entry in one
//! transaction. Called by server functions, the REST API and the operator commands alike.
pub mod account;
pub mod api;
pub mod attachments;
pub mod backup;
pub mod bulletins;
pub mod campaigns;
pub mod cases;
pub mod categories;
pub mod codes;
pub mod command;
pub mod counters;
pub mod duty;
pub mod emergency;
pub mod evaluation;
pub mod hazards;
pub mod health;
pub mod limiter;
pub mod live;
pub mod mediation;
pub mod open311;
pub mod org;
pub mod password;
pub mod privacy;
pub mod risk;
pub mod roster;
pub mod routing;
pub mod screen;
pub mod seed;
pub mod sessions;
pub mod signin;
pub mod supervision;
pub mod visibility;

/// The handle every use case takes; pages and routes pass it through without opening it.
pub use crate::store::Db;

/// What a change touches besides the database: the attachments folder and the live hub.
/// One per process, shared by the pages, the API and the scheduler.
#[derive(Clone, Debug)]
pub struct Effects {
    /// Where case attachments are stored.
    pub files_dir: std::path::PathBuf,
    pub live: live::Live,
    /// The routing models in use (see `routing`).
    pub routing: routing::Routing,
}

impl Effects {
    pub fn new(db: &Db, files_dir: std::path::PathBuf) -> Effects {
        Effects { files_dir, live: live::Live::new(db), routing: routing::Routing::default() }
    }
}

/// The server's clock, the one every decision is timed by.
pub use crate::store::now_ms;

/// Who is acting, for the audit trail.
#[derive(Debug, Clone, Default)]
pub struct AuditActor {
    pub user_id: Option<i64>,
    pub ip: Option<String>,
}
