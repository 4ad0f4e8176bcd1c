//! What the scheduler asks of the register: when the next alarm rings, which cases are due,
//! and putting off one that could not be handled.
#[allow(unused_imports)]
use super::*;

/// The earliest alarm over all cases, if any case has one.
pub async fn next_alarm(db: &Db) -> Result<Option<i64>, AppError> {
    Ok(store::next_alarm(&mut *db.read().await?).await?)
}

/// The alarms due at `now`: how many, and the oldest one's instant.
pub async fn alarm_backlog(db: &Db, now: i64) -> Result<(i64, Option<i64>), AppError> {
    Ok(store::alarm_backlog(&mut *db.read().await?, now).await?)
}

/// Cases whose alarm is due at `now`, the most overdue first.
pub async fn due_alarms(db: &Db, now: i64, limit: i64) -> Result<Vec<CaseId>, AppError> {
    Ok(store::due_alarms(&mut *db.read().await?, now, limit).await?)
}

/// Puts off an alarm still due at `now` to `to`, so the scheduler does not spin on a case it
/// cannot handle; an alarm a write has moved meanwhile stays.
pub async fn postpone_alarm(db: &Db, id: CaseId, now: i64, to: i64) -> Result<(), AppError> {
    Ok(store::postpone_alarm(&mut *db.read().await?, id, now, to).await?)
}
