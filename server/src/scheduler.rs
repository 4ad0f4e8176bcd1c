//! Timed work the server does on its own.
//!
//! For now one coarse job on a fixed tick: close the follow-ups (回访) whose residents
//! never answered within the wait their case was given; they close as `NoAnswer`. And
//! hourly, SQLite's planner statistics are refreshed where the data has grown.
//! DESIGN.md asks for an event-driven scheduler that sleeps until the next due deadline
//! (`Case::next_alarm_ms`) and wakes within seconds of it; that replaces this poll later,
//! and `sweep` stays its unit of work.
use app::service::cases;
use app::store::Db;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

/// How often the follow-ups are looked at. A follow-up waits days, so a minute late is
/// nothing.
pub const TICK: Duration = Duration::from_secs(60);

/// Every this many ticks (an hour) SQLite's planner statistics are looked at
/// (`Db::optimize`; they were at startup too).
const OPTIMIZE_EVERY: u64 = 60;

/// Starts the scheduler on the current runtime. It runs until the handle is aborted (or
/// the runtime ends). A failing or even panicking sweep is logged, and the next tick
/// tries again: the task itself never dies of it.
pub fn start(db: Db, files_dir: PathBuf) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(TICK);
        // After a long pause (a suspended VM) run once, not once per missed minute.
        tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut ticks: u64 = 0;
        loop {
            tick.tick().await;
            ticks += 1;
            if ticks % OPTIMIZE_EVERY == 0 {
                if let Err(e) = db.optimize().await {
                    tracing::error!(error = %e, "refreshing the planner statistics failed");
                }
            }
            let (db, dir) = (db.clone(), files_dir.clone());
            // Each sweep in a task of its own, so a panic in it is caught here.
            if let Err(e) = tokio::spawn(async move { sweep(&db, &dir).await }).await {
                tracing::error!(error = %e, "the follow-up sweep panicked");
            }
        }
    })
}

/// One pass: closes every follow-up whose wait is over. Returns how many closed; errors
/// are logged, not returned, since there is nobody to hand them to.
pub async fn sweep(db: &Db, files_dir: &Path) -> usize {
    match cases::close_unanswered(db, files_dir).await {
        Ok(0) => 0,
        Ok(n) => {
            tracing::info!(closed = n, "closed follow-ups nobody answered");
            n
        }
        Err(e) => {
            tracing::error!(error = %e, "closing unanswered follow-ups failed");
            0
        }
    }
}
