//! The live side of a change, beside the database: the hub that pushes each committed notice
//! to this process's subscribers (the `/events` streams), and the bell that wakes the
//! scheduler when a write may have brought an alarm nearer.
use crate::domain::notice::Notice;
use crate::error::AppError;
use crate::store::{Backend, Db, notices};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::{Notify, broadcast};

/// How long notices are kept for catching up; a phone offline longer reloads its inbox anyway.
const KEEP_MS: i64 = 7 * 24 * 3600 * 1000;

/// Notices after `after_id`, oldest first, at most `limit`: what a reconnecting browser missed.
pub async fn since(db: &Db, after_id: i64, limit: i64) -> Result<Vec<Notice>, AppError> {
    Ok(notices::since(&mut *db.read().await?, after_id, limit).await?)
}

/// The newest notice's id (0 when there is none): where a fresh subscriber starts.
pub async fn last_id(db: &Db) -> Result<i64, AppError> {
    Ok(notices::last_id(&mut *db.read().await?).await?)
}

/// Drops the notices too old to catch up on at `now`; returns how many.
pub async fn prune(db: &Db, now: i64) -> Result<u64, AppError> {
    Ok(notices::prune(&mut *db.read().await?, now - KEEP_MS).await?)
}

/// Notices a slow subscriber may fall behind by before it catches up from the database.
const HUB_CAPACITY: usize = 1024;

/// A notice as the hub carries it: encoded once, whatever the number of subscribers.
#[derive(Debug)]
pub struct Pushed {
    pub notice: Notice,
    pub json: String,
}

impl Pushed {
    pub fn new(notice: Notice) -> Pushed {
        let json = serde_json::to_string(&notice).expect("notices serialise");
        Pushed { notice, json }
    }
}

#[derive(Clone, Debug)]
pub struct Live {
    hub: broadcast::Sender<Arc<Pushed>>,
    bell: Arc<Notify>,
    /// On PostgreSQL the database relays every instance's notices (this one's included)
    /// through the listener, so this process never sends its own directly.
    relayed: bool,
    listening: Arc<AtomicBool>,
}

impl Live {
    pub fn new(db: &Db) -> Live {
        let (hub, _) = broadcast::channel(HUB_CAPACITY);
        Live { hub, bell: Arc::default(), relayed: db.backend == Backend::Postgres, listening: Arc::default() }
    }

    /// After a change committed: wakes the scheduler (its alarm may have moved) and pushes
    /// its notice.
    pub fn committed(&self, notice: Notice) {
        self.alarms_changed();
        self.published([notice]);
    }

    /// Tells the scheduler that alarms may have moved (call after the commit).
    pub fn alarms_changed(&self) {
        self.bell.notify_one();
    }

    /// Resolves at the next `alarms_changed` (or at once if one came since the last wait).
    pub async fn alarms_moved(&self) {
        self.bell.notified().await
    }

    /// Pushes notices written by a committed transaction to this process's subscribers
    /// (on SQLite; on PostgreSQL the listener does it, so nothing is sent twice).
    pub fn published(&self, notices: impl IntoIterator<Item = Notice>) {
        if !self.relayed {
            for n in notices {
                let _ = self.hub.send(Arc::new(Pushed::new(n)));
            }
        }
    }

    /// A new subscriber to the hub.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Pushed>> {
        self.hub.subscribe()
    }

    /// On PostgreSQL, listens for the notices every instance writes and hands them to the
    /// hub; a lost connection is reopened. Once per `Live`; nothing on SQLite.
    pub fn start_listening(&self, db: &Db) {
        if !self.relayed || self.listening.swap(true, Ordering::SeqCst) {
            return;
        }
        let (db, hub) = (db.clone(), self.hub.clone());
        tokio::spawn(async move {
            loop {
                let relay = |notice, json: &str| {
                    let _ = hub.send(Arc::new(Pushed { notice, json: json.to_string() }));
                };
                match notices::listen(&db, relay).await {
                    Ok(()) => break,
                    Err(e) => tracing::error!(error = %e, "listening for notices failed; retrying"),
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
    }
}
