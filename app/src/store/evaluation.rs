//! The evaluation's records (migration 0019): the marks and their daily tallies, the
//! administrator's weights, and the closed periods' frozen scores.
use super::StoreError;
use super::placeholders::{Arg, bind_args};
use crate::domain::case::{CaseId, UnitId};
use crate::domain::clock::local_day;
use crate::domain::evaluation::{Mark, MarkRow, Measure, UnitScore, Weights};
use crate::domain::period::Period;
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;

/// Writes a change's marks and adds them to the daily tallies: two statements however many.
pub async fn record(conn: &mut AnyConnection, case_id: CaseId, marks: &[Mark]) -> Result<(), StoreError> {
    if marks.is_empty() {
        return Ok(());
    }
    let mut args = Vec::new();
    let mut rows = Vec::new();
    for m in marks {
        let n = args.len();
        rows.push(format!("(${}, ${}, ${}, ${}, ${}, ${})", n + 1, n + 2, n + 3, n + 4, n + 5, n + 6));
        args.extend([
            Arg::Int(m.unit),
            Arg::Int(case_id),
            Arg::Text(m.measure.code().into()),
            Arg::Int(m.at_ms),
            Arg::Int(local_day(m.at_ms)),
            Arg::Int(m.hit as i64),
        ]);
    }
    let sql = format!("INSERT INTO unit_marks (unit_id, case_id, measure, at, day, hit) VALUES {}", rows.join(", "));
    bind_args(sqlx::query(&sql), &args).execute(&mut *conn).await?;
    // One row per key: PostgreSQL refuses to update a row twice in one statement.
    let mut sums: BTreeMap<(i64, UnitId, &str), (i64, i64)> = BTreeMap::new();
    for m in marks {
        let e = sums.entry((local_day(m.at_ms), m.unit, m.measure.code())).or_default();
        *e = (e.0 + 1, e.1 + m.hit as i64);
    }
    let mut args = Vec::new();
    let mut rows = Vec::new();
    for ((day, unit, measure), (n, hits)) in sums {
        let k = args.len();
        rows.push(format!("(${}, ${}, ${}, ${}, ${})", k + 1, k + 2, k + 3, k + 4, k + 5));
        args.extend([Arg::Int(day), Arg::Int(unit), Arg::Text(measure.into()), Arg::Int(n), Arg::Int(hits)]);
    }
    let sql = format!(
        "INSERT INTO unit_tallies (day, unit_id, measure, n, hits) VALUES {}
         ON CONFLICT (day, unit_id, measure) DO UPDATE SET n = unit_tallies.n + excluded.n, hits = unit_tallies.hits + excluded.hits",
        rows.join(", ")
    );
    bind_args(sqlx::query(&sql), &args).execute(&mut *conn).await?;
    Ok(())
}

/// Every unit's (measure, marks, hits) in the period, from the daily tallies.
pub async fn counts(conn: &mut AnyConnection, period: Period) -> Result<Vec<(UnitId, Measure, i64, i64)>, StoreError> {
    let (from, to) = period.days();
    let rows = sqlx::query(
        "SELECT unit_id, measure, CAST(SUM(n) AS BIGINT), CAST(SUM(hits) AS BIGINT) FROM unit_tallies
         WHERE day >= $1 AND day < $2 GROUP BY unit_id, measure",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.iter().filter_map(|r| Some((r.get(0), r.get::<String, _>(1).parse().ok()?, r.get(2), r.get(3)))).collect())
}

/// A unit's marks of one measure in the period, oldest first (at most `limit`), with how
/// many there are; `hits_only` keeps the hits.
pub async fn marks(
    conn: &mut AnyConnection,
    unit: UnitId,
    measure: Measure,
    period: Period,
    hits_only: bool,
    limit: i64,
) -> Result<(Vec<MarkRow>, i64), StoreError> {
    let (from, to) = period.days();
    let hits = if hits_only { " AND m.hit = 1" } else { "" };
    let cond = format!("m.unit_id = $1 AND m.measure = $2 AND m.day >= $3 AND m.day < $4{hits}");
    let sql = format!(
        "SELECT m.case_id, c.code, c.title, m.at, m.hit FROM unit_marks m JOIN cases c ON c.id = m.case_id
         WHERE {cond} ORDER BY m.at, m.id LIMIT {limit}"
    );
    let count_sql = format!("SELECT COUNT(*) FROM unit_marks m WHERE {cond}");
    let rows = sqlx::query(&sql).bind(unit).bind(measure.code()).bind(from).bind(to).fetch_all(&mut *conn).await?;
    let total: i64 = sqlx::query(&count_sql).bind(unit).bind(measure.code()).bind(from).bind(to).fetch_one(&mut *conn).await?.get(0);
    let rows = rows.iter().map(|r| MarkRow { case_id: r.get(0), code: r.get(1), title: r.get(2), at_ms: r.get(3), hit: r.get::<i64, _>(4) == 1 }).collect();
    Ok((rows, total))
}

/// The administrator's weights; `None` before any were set.
pub async fn weights(conn: &mut AnyConnection) -> Result<Option<Weights>, StoreError> {
    let row = sqlx::query("SELECT weights FROM evaluation_settings WHERE id = 1").fetch_optional(&mut *conn).await?;
    Ok(row.and_then(|r| serde_json::from_str(&r.get::<String, _>(0)).ok()))
}

pub async fn set_weights(conn: &mut AnyConnection, w: &Weights, by: Option<i64>, now: i64) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO evaluation_settings (id, weights, updated_at, updated_by) VALUES (1, $1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET weights = excluded.weights, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(serde_json::to_string(w).expect("weights serialise"))
    .bind(now)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A closed period: its weights, scores, when and by whom it was closed.
pub struct Frozen {
    pub weights: Weights,
    pub scores: Vec<UnitScore>,
    pub at_ms: i64,
    pub by: Option<String>,
}

pub async fn frozen(conn: &mut AnyConnection, period: Period) -> Result<Option<Frozen>, StoreError> {
    let row = sqlx::query(
        "SELECT f.weights, f.scores, f.frozen_at, u.display_name FROM evaluation_periods f LEFT JOIN users u ON u.id = f.frozen_by WHERE f.period = $1",
    )
    .bind(period.code())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.and_then(|r| {
        Some(Frozen {
            weights: serde_json::from_str(&r.get::<String, _>(0)).ok()?,
            scores: serde_json::from_str(&r.get::<String, _>(1)).ok()?,
            at_ms: r.get(2),
            by: r.get(3),
        })
    }))
}

/// Closes a period with its scores; `Duplicate` when it was closed already.
pub async fn freeze(conn: &mut AnyConnection, period: Period, w: &Weights, scores: &[UnitScore], by: Option<i64>, now: i64) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO evaluation_periods (period, starts_at, ends_at, weights, scores, frozen_at, frozen_by) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(period.code())
        .bind(period.start_ms)
        .bind(period.end_ms)
        .bind(serde_json::to_string(w).expect("weights serialise"))
        .bind(serde_json::to_string(scores).expect("scores serialise"))
        .bind(now)
        .bind(by)
        .execute(&mut *conn)
        .await
        .map_err(StoreError::from_write)?;
    Ok(())
}
