//! Timed work the server does on its own, event-driven: the scheduler sleeps until the
//! earliest case alarm (`cases.next_alarm_at`: a unit's time to sign, an SLA warning or
//! deadline, the end of a follow-up wait) or until a write rings the bell because it may
//! have brought one nearer, then hands every due case to `cases::on_alarm`. Alarms live in
//! the database, so a restart loses none: the first pass after start catches up on all that
//! fell due meanwhile. The duty roster's missed check-ins ring the same way
//! (`duty::next_alarm`, `duty::flag_missed`), and so do emergency reports past their deadline
//! (`emergency::next_alarm`, `emergency::sweep`), and hazards past their rectification deadline
//! (`hazards::next_alarm`, `hazards::sweep`). At start and hourly, old notices are pruned and residents' contact
//! data past its retention period is erased; hourly, SQLite's planner statistics are
//! refreshed where the data has grown.
use app::domain::privacy::Retention;
use app::service::{Db, Effects, cases, duty, emergency, hazards, live, now_ms, privacy};
use std::time::Duration;
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// The longest sleep even with no alarm in sight: a safety net for an alarm written by
/// another process (a CLI command, a second server on PostgreSQL), not the timing.
const MAX_SLEEP: Duration = Duration::from_secs(60);

/// After the bell, a short pause so a burst of writes costs one look, not one each.
const SETTLE: Duration = Duration::from_millis(50);

/// Due cases handled per look at the alarms.
const BATCH: i64 = 200;

const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(3600);

/// Starts the scheduler on the current runtime. It runs until the handle is aborted (or
/// the runtime ends). A failing or even panicking pass is logged, and the next one tries
/// again: the task itself never dies of it.
pub fn start(db: Db, fx: Effects, retention: Retention) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut housekept: Option<Instant> = None;
        loop {
            let (d, f) = (db.clone(), fx.clone());
            // Each pass in a task of its own, so a panic in it is caught here.
            if let Err(e) = tokio::spawn(async move { sweep(&d, &f).await }).await {
                tracing::error!(error = %e, "a scheduler pass panicked");
            }
            if housekept.is_none_or(|t| t.elapsed() >= HOUSEKEEPING_EVERY) {
                // Statistics wait for an hour of data; the rest is due at start too.
                if housekept.is_some()
                    && let Err(e) = db.optimize().await
                {
                    tracing::error!(error = %e, "refreshing the planner statistics failed");
                }
                housekept = Some(Instant::now());
                if let Err(e) = live::prune(&db, now_ms()).await {
                    tracing::error!(error = %e, "pruning old notices failed");
                }
                if let Err(e) = cases::prune_command_keys(&db, now_ms()).await {
                    tracing::error!(error = %e, "pruning old command keys failed");
                }
                match privacy::erase_expired(&db, retention, now_ms()).await {
                    Ok(n) if n != privacy::Erased::default() => {
                        tracing::info!(reporters = n.reporters, suggestions = n.suggestions, "contact data past retention erased")
                    }
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "erasing contact data past retention failed"),
                }
            }
            let next = match (cases::next_alarm(&db).await, duty::next_alarm(&db).await, emergency::next_alarm(&db).await, hazards::next_alarm(&db).await) {
                // A shift, an emergency or a hazard still due right after a pass could not be
                // flagged: look again in a second rather than spin on it.
                (Ok(a), Ok(b), Ok(c), Ok(d)) => a.into_iter().chain([b, c, d].into_iter().flatten().map(|t| t.max(now_ms() + 1000))).min(),
                (Err(e), _, _, _) | (_, Err(e), _, _) | (_, _, Err(e), _) | (_, _, _, Err(e)) => {
                    tracing::error!(error = %e, "reading the next alarm failed");
                    None
                }
            };
            let wait = match next {
                Some(at) => Duration::from_millis((at - now_ms()).clamp(0, MAX_SLEEP.as_millis() as i64) as u64),
                None => MAX_SLEEP,
            };
            if wait.is_zero() {
                continue;
            }
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = fx.live.alarms_moved() => tokio::time::sleep(SETTLE).await,
            }
        }
    })
}

/// One pass at the current time: see `sweep_at`.
pub async fn sweep(db: &Db, fx: &Effects) -> usize {
    sweep_at(db, fx, now_ms()).await
}

/// Hands every case whose alarm is due at `now` to `cases::on_alarm`, in batches until
/// none is left, then flags the duty shifts whose check-in is overdue. Returns how many
/// cases and shifts changed; errors are logged, not returned, since
/// there is nobody to hand them to, and one failing case never holds up the others.
pub async fn sweep_at(db: &Db, fx: &Effects, now: i64) -> usize {
    let mut changed = 0;
    let mut failed = Vec::new();
    loop {
        let due = match cases::due_alarms(db, now, BATCH + failed.len() as i64).await {
            Ok(due) => due,
            Err(e) => {
                tracing::error!(error = %e, "reading due alarms failed");
                break;
            }
        };
        let todo: Vec<_> = due.into_iter().filter(|id| !failed.contains(id)).collect();
        if todo.is_empty() {
            break;
        }
        for id in todo {
            match cases::on_alarm(db, fx, id, now).await {
                Ok(true) => changed += 1,
                Ok(false) => {}
                Err(e) => {
                    tracing::error!(case_id = id, error = %e, "a case's alarm could not be handled");
                    let _ = cases::postpone_alarm(db, id, now, now + cases::ALARM_RETRY_MS).await;
                    failed.push(id);
                }
            }
        }
    }
    match duty::flag_missed(db, fx, now).await {
        Ok(n) => changed += n,
        Err(e) => tracing::error!(error = %e, "flagging missed duty check-ins failed"),
    }
    match emergency::sweep(db, fx, now).await {
        Ok(n) => changed += n,
        Err(e) => tracing::error!(error = %e, "flagging missed and hidden emergency reports failed"),
    }
    match hazards::sweep(db, fx, now).await {
        Ok(n) => changed += n,
        Err(e) => tracing::error!(error = %e, "flagging overdue hazards failed"),
    }
    if changed > 0 {
        tracing::info!(changed, "scheduler pass");
    }
    changed
}
