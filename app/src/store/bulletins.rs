//! Bulletins (`bulletins`) and the records a bulletin's figures are read from: the lead
//! units' deadlines (`case_units`), the returns' daily tallies (migration 0018) and the
//! supervision list.
use super::StoreError;
use crate::domain::bulletin::{Bulletin, BulletinSummary, Figures, ListedLine, ListedState};
use crate::domain::case::UnitId;
use crate::domain::period::Period;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// At most this many listed cases in one bulletin: the list is for cases the center singles
/// out, and a page longer than this would not be read.
pub const LISTED_MAX: i64 = 500;

fn pairs(rows: &[AnyRow]) -> Vec<(UnitId, i64)> {
    rows.iter().map(|r| (r.get(0), r.get(1))).collect()
}

/// Per lead unit: its cases whose deadline fell in `[start, until)` and found them without a
/// result (still open, or stopped only after it).
pub async fn overdue_by_lead(conn: &mut AnyConnection, start: i64, until: i64) -> Result<Vec<(UnitId, i64)>, StoreError> {
    // `lead = 1 AND current = 1` literally, so either database uses the partial index.
    let rows = sqlx::query(
        "SELECT unit_id, COUNT(*) FROM case_units
         WHERE lead = 1 AND current = 1 AND deadline_at >= $1 AND deadline_at < $2 AND (stopped_at IS NULL OR stopped_at > deadline_at)
         GROUP BY unit_id",
    )
    .bind(start)
    .bind(until)
    .fetch_all(&mut *conn)
    .await?;
    Ok(pairs(&rows))
}

/// Per unit: the cases it sent back on the local days `[from_day, to_day)`.
pub async fn returned_by_unit(conn: &mut AnyConnection, from_day: i64, to_day: i64) -> Result<Vec<(UnitId, i64)>, StoreError> {
    let rows = sqlx::query("SELECT key, CAST(SUM(n) AS BIGINT) FROM case_tallies WHERE measure = 'returned' AND day >= $1 AND day < $2 GROUP BY key")
        .bind(from_day)
        .bind(to_day)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.iter().filter_map(|r| Some((r.get::<String, _>(0).parse().ok()?, r.get(1)))).collect())
}

/// On the list at some moment of `[start, end)`: listed before its end and not ticked off
/// before its start.
const ON_THE_LIST: &str = "s.stage IN ('listed', 'ticked_off') AND s.listed_at < $2 AND (s.ticked_off_at IS NULL OR s.ticked_off_at >= $1)";

/// The listed cases of the period with where each stood at `at` (the period's end, or now
/// while it runs), at most `LISTED_MAX`.
pub async fn listed_cases(conn: &mut AnyConnection, period: Period, at: i64) -> Result<Vec<ListedLine>, StoreError> {
    let sql = format!(
        "SELECT s.case_id, c.code, c.title, u.name, s.leader, s.listed_at, s.list_deadline_at, s.ticked_off_at, c.status, s.lead_unit_id
         FROM supervisions s JOIN cases c ON c.id = s.case_id LEFT JOIN units u ON u.id = s.lead_unit_id
         WHERE {ON_THE_LIST} ORDER BY s.list_deadline_at, s.case_id LIMIT {LISTED_MAX}"
    );
    let rows = sqlx::query(&sql).bind(period.start_ms).bind(period.end_ms).fetch_all(&mut *conn).await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let status = r.get::<String, _>(8).parse().ok()?;
            let (deadline_ms, ticked_off_ms): (i64, Option<i64>) = (r.get::<Option<i64>, _>(6)?, r.get(7));
            Some(ListedLine {
                case_id: r.get(0),
                code: r.get(1),
                title: r.get(2),
                unit: r.get(3),
                leader: r.get(4),
                listed_ms: r.get::<Option<i64>, _>(5)?,
                deadline_ms,
                ticked_off_ms,
                status,
                state: ListedState::of(ticked_off_ms, status, deadline_ms, at),
            })
        })
        .collect())
}

/// Per lead unit: its cases on the list at some moment of the period.
pub async fn listed_by_unit(conn: &mut AnyConnection, period: Period) -> Result<Vec<(UnitId, i64)>, StoreError> {
    let sql = format!("SELECT s.lead_unit_id, COUNT(*) FROM supervisions s WHERE {ON_THE_LIST} AND s.lead_unit_id IS NOT NULL GROUP BY s.lead_unit_id");
    let rows = sqlx::query(&sql).bind(period.start_ms).bind(period.end_ms).fetch_all(&mut *conn).await?;
    Ok(pairs(&rows))
}

/// A new draft; `Duplicate` when the period has its bulletin already.
pub async fn insert(conn: &mut AnyConnection, period: Period, figures: &Figures, by: i64, now: i64) -> Result<i64, StoreError> {
    let json = serde_json::to_string(figures).expect("figures serialise");
    let row = sqlx::query(
        "INSERT INTO bulletins (period, starts_at, ends_at, figures, comment, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, '', $5, $6, $6) RETURNING id",
    )
    .bind(period.code())
    .bind(period.start_ms)
    .bind(period.end_ms)
    .bind(json)
    .bind(by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from_write)?;
    Ok(row.get(0))
}

const COLUMNS: &str = "b.id, b.period, b.figures, b.comment, b.created_at, b.published_at, p.display_name";

fn bulletin_from(r: &AnyRow) -> Option<Bulletin> {
    Some(Bulletin {
        id: r.get(0),
        period: Period::parse(&r.get::<String, _>(1)).ok()?,
        figures: serde_json::from_str(&r.get::<String, _>(2)).ok()?,
        comment: r.get(3),
        created_ms: r.get(4),
        published_ms: r.get(5),
        published_by: r.get(6),
    })
}

/// One bulletin; with `published_only`, a draft is as absent as a missing one.
pub async fn get(conn: &mut AnyConnection, id: i64, published_only: bool, lock: bool) -> Result<Option<Bulletin>, StoreError> {
    let only = if published_only { " AND b.published_at IS NOT NULL" } else { "" };
    let lock = if lock && super::Backend::of(conn) == super::Backend::Postgres { " FOR UPDATE OF b" } else { "" };
    let sql = format!("SELECT {COLUMNS} FROM bulletins b LEFT JOIN users p ON p.id = b.published_by WHERE b.id = $1{only}{lock}");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut *conn).await?;
    Ok(row.as_ref().and_then(bulletin_from))
}

/// The newest `limit` bulletins by period, drafts too unless `published_only`.
pub async fn list(conn: &mut AnyConnection, published_only: bool, limit: i64) -> Result<Vec<BulletinSummary>, StoreError> {
    let only = if published_only { "WHERE b.published_at IS NOT NULL" } else { "" };
    let sql = format!("SELECT {COLUMNS} FROM bulletins b LEFT JOIN users p ON p.id = b.published_by {only} ORDER BY b.starts_at DESC, b.id DESC LIMIT {limit}");
    let rows = sqlx::query(&sql).fetch_all(&mut *conn).await?;
    Ok(rows
        .iter()
        .filter_map(bulletin_from)
        .map(|b| BulletinSummary {
            id: b.id,
            period: b.period,
            published_ms: b.published_ms,
            overdue: b.figures.overdue,
            returned: b.figures.returned,
            listed: b.figures.listed,
        })
        .collect())
}

/// A draft's new figures or comment (a published bulletin is left as it is: 0 rows).
pub async fn update_draft(conn: &mut AnyConnection, id: i64, figures: Option<&Figures>, comment: Option<&str>, now: i64) -> Result<u64, StoreError> {
    let json = figures.map(|f| serde_json::to_string(f).expect("figures serialise"));
    let done = sqlx::query(
        "UPDATE bulletins SET figures = COALESCE($1, figures), comment = COALESCE($2, comment), updated_at = $3
         WHERE id = $4 AND published_at IS NULL",
    )
    .bind(json)
    .bind(comment)
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// Publishes a draft (0 rows when it was published already).
pub async fn publish(conn: &mut AnyConnection, id: i64, by: i64, now: i64) -> Result<u64, StoreError> {
    let done = sqlx::query("UPDATE bulletins SET published_at = $1, published_by = $2, updated_at = $1 WHERE id = $3 AND published_at IS NULL")
        .bind(now)
        .bind(by)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}
