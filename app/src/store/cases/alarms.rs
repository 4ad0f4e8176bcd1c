//! Each case's next alarm, the column the scheduler sleeps on.
#[allow(unused_imports)]
use super::*;

/// Cases waiting for a resident's rating: the scheduler closes those whose wait is over.
/// The earliest alarm over all cases, if any case has one.
pub async fn next_alarm(conn: &mut AnyConnection) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar("SELECT MIN(next_alarm_at) FROM cases WHERE next_alarm_at IS NOT NULL").fetch_one(&mut *conn).await?)
}

/// Cases whose alarm is due at `now`, the most overdue first.
pub async fn due_alarms(conn: &mut AnyConnection, now: i64, limit: i64) -> Result<Vec<CaseId>, StoreError> {
    Ok(sqlx::query_scalar("SELECT id FROM cases WHERE next_alarm_at <= $1 ORDER BY next_alarm_at LIMIT $2").bind(now).bind(limit).fetch_all(&mut *conn).await?)
}

/// Puts off an alarm that is still due at `now` (one that could not be handled) to `to`, so
/// the scheduler does not spin on it; an alarm a write has moved meanwhile stays.
pub async fn postpone_alarm(conn: &mut AnyConnection, id: CaseId, now: i64, to: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE cases SET next_alarm_at = $1 WHERE id = $2 AND next_alarm_at <= $3").bind(to).bind(id).bind(now).execute(&mut *conn).await?;
    Ok(())
}

/// Moves a case's alarm without a change of state (the alarm was looked at).
pub async fn set_next_alarm(conn: &mut AnyConnection, id: CaseId, at: Option<i64>) -> Result<(), StoreError> {
    sqlx::query("UPDATE cases SET next_alarm_at = $1 WHERE id = $2").bind(at).bind(id).execute(conn).await?;
    Ok(())
}

/// How many alarms are due at `now` and the oldest one's instant: how far behind the
/// scheduler is (`/metrics`).
pub async fn alarm_backlog(conn: &mut AnyConnection, now: i64) -> Result<(i64, Option<i64>), StoreError> {
    Ok(sqlx::query_as("SELECT COUNT(*), MIN(next_alarm_at) FROM cases WHERE next_alarm_at <= $1").bind(now).fetch_one(&mut *conn).await?)
}
