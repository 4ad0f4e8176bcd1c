//! The supervision list (`supervisions`): one row per supervised case, written beside the
//! case's state in its command's transaction, and the list's reads.
use super::StoreError;
use super::placeholders::{Arg, bind_args};
use crate::domain::case::Case;
use crate::domain::supervision::{SUPERVISION_PAGE, SupervisionFilter, SupervisionRow};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// Writes the case's rung and dates. Called by `save_state` for a case with any supervision.
pub async fn save(conn: &mut AnyConnection, case: &Case, now: i64) -> Result<(), StoreError> {
    let s = &case.supervision;
    let Some(stage) = s.stage() else { return Ok(()) };
    let owed = s.tracking.as_ref().filter(|t| t.answered_ms.is_none() && !t.missed).map(|t| t.feedback_due_ms);
    let listing = s.listing.as_ref();
    sqlx::query(
        "INSERT INTO supervisions (case_id, stage, reminders, last_reminded_at, feedback_due_at, proposed_at, listed_at,
            list_deadline_at, leader, ticked_off_at, updated_at, lead_unit_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (case_id) DO UPDATE SET stage = excluded.stage, reminders = excluded.reminders,
            last_reminded_at = excluded.last_reminded_at, feedback_due_at = excluded.feedback_due_at,
            proposed_at = excluded.proposed_at, listed_at = excluded.listed_at, list_deadline_at = excluded.list_deadline_at,
            leader = excluded.leader, ticked_off_at = excluded.ticked_off_at, updated_at = excluded.updated_at,
            lead_unit_id = excluded.lead_unit_id",
    )
    .bind(case.id)
    .bind(stage.code())
    .bind(s.reminders as i64)
    .bind(s.last_reminded_ms)
    .bind(owed)
    .bind(s.proposed.map(|(_, at)| at))
    .bind(listing.map(|l| l.since_ms))
    .bind(listing.map(|l| l.deadline_ms))
    .bind(listing.map(|l| l.leader.clone()))
    .bind(listing.and_then(|l| l.ticked_off_ms))
    .bind(now)
    .bind(case.lead().map(|a| a.unit))
    .execute(conn)
    .await?;
    Ok(())
}

/// The WHERE clause of a filter and its values, numbered from $1.
fn conditions(f: &SupervisionFilter, now: i64) -> (String, Vec<Arg>) {
    let mut sql = vec!["1 = 1".to_string()];
    let mut binds = Vec::new();
    if let Some(stage) = f.stage {
        binds.push(Arg::Text(stage.code().to_string()));
        sql.push(format!("s.stage = ${}", binds.len()));
    }
    if let Some(before) = f.due_before(now) {
        binds.push(Arg::Int(before));
        let n = binds.len();
        sql.push(format!("((s.stage = 'listed' AND s.list_deadline_at <= ${n}) OR (s.stage = 'tracking' AND s.feedback_due_at <= ${n}))"));
    }
    if let Some(unit) = f.unit_id {
        binds.push(Arg::Int(unit));
        sql.push(format!("s.lead_unit_id = ${}", binds.len()));
    }
    (sql.join(" AND "), binds)
}

/// One page of the list and how many rows the filter finds. Listed cases come by their
/// deadline, the soonest first; every other view by its latest change, newest first.
pub async fn list(conn: &mut AnyConnection, f: &SupervisionFilter, now: i64, limit: Option<i64>) -> Result<(Vec<SupervisionRow>, i64), StoreError> {
    let (cond, binds) = conditions(f, now);
    let order = match f.stage {
        Some(crate::domain::case::SupervisionStage::Listed) => "s.list_deadline_at, s.case_id",
        _ => "s.updated_at DESC, s.case_id DESC",
    };
    let (limit, offset) = match limit {
        Some(l) => (l, 0),
        None => (SUPERVISION_PAGE, f.page.saturating_mul(SUPERVISION_PAGE)),
    };
    // The page is chosen on the list's own indexes first; only its rows visit their cases.
    let sql = format!(
        "SELECT s.case_id, c.code, c.title, c.status, u.name, c.deadline_at, s.stage, s.reminders, s.last_reminded_at,
            s.feedback_due_at, s.proposed_at, s.listed_at, s.list_deadline_at, s.leader, s.ticked_off_at
         FROM (SELECT * FROM supervisions s WHERE {cond} ORDER BY {order} LIMIT {limit} OFFSET {offset}) s
         JOIN cases c ON c.id = s.case_id LEFT JOIN units u ON u.id = c.lead_unit_id
         ORDER BY {order}"
    );
    let rows = bind_args(sqlx::query(&sql), &binds).fetch_all(&mut *conn).await?;
    let count_sql = format!("SELECT COUNT(*) FROM supervisions s WHERE {cond}");
    let total: i64 = bind_args(sqlx::query(&count_sql), &binds).fetch_one(&mut *conn).await?.get(0);
    Ok((rows.iter().filter_map(row_from).collect(), total))
}

fn row_from(r: &AnyRow) -> Option<SupervisionRow> {
    Some(SupervisionRow {
        case_id: r.get(0),
        code: r.get(1),
        title: r.get(2),
        status: r.get::<String, _>(3).parse().ok()?,
        lead_unit: r.get(4),
        deadline_ms: r.get(5),
        stage: r.get::<String, _>(6).parse().ok()?,
        reminders: r.get::<i64, _>(7),
        last_reminded_ms: r.get(8),
        feedback_due_ms: r.get(9),
        proposed_ms: r.get(10),
        listed_ms: r.get(11),
        list_deadline_ms: r.get(12),
        leader: r.get(13),
        ticked_off_ms: r.get(14),
    })
}
