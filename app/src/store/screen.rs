//! The command screen's aggregates. Counts of a filter come from the register's own
//! `cases::count`, so a figure and its list agree; these are the groupings that need
//! their own SQL, each served by an index (see the migrations 0003 and 0011).
use super::StoreError;
use crate::domain::case::{CaseId, CaseStatus};
use crate::domain::screen::{CaseDot, CommandTiming};
use sqlx::{AnyConnection, Row};

/// The statuses of unfinished cases, as an SQL list of literals.
fn open_statuses() -> String {
    let open: Vec<String> = CaseStatus::ALL.iter().filter(|s| !s.is_finished()).map(|s| format!("'{}'", s.code())).collect();
    open.join(", ")
}

/// Cases received on the local days (`clock::local_day`) `from_day` up to (not including)
/// `to_day`, from the tallies the triggers of migration 0013 keep.
pub async fn received_between(conn: &mut AnyConnection, from_day: i64, to_day: i64) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM case_tallies WHERE measure = 'received' AND day >= $1 AND day < $2")
        .bind(from_day)
        .bind(to_day)
        .fetch_one(&mut *conn)
        .await?)
}

/// Cases received per local day from `from_day` up to `to_day`.
pub async fn received_per_day(conn: &mut AnyConnection, from_day: i64, to_day: i64) -> Result<Vec<(i64, i64)>, StoreError> {
    let rows = sqlx::query("SELECT day, n FROM case_tallies WHERE measure = 'received' AND day >= $1 AND day < $2 ORDER BY day")
        .bind(from_day)
        .bind(to_day)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// Cases received on the local days `from_day` up to `to_day`, per value of one column
/// (`kind`, `channel`, `category` or `township_id`, as text).
pub async fn received_by(conn: &mut AnyConnection, by: ByColumn, from_day: i64, to_day: i64) -> Result<Vec<(String, i64)>, StoreError> {
    let rows = sqlx::query("SELECT key, CAST(SUM(n) AS BIGINT) FROM case_tallies WHERE measure = $1 AND day >= $2 AND day < $3 GROUP BY key HAVING SUM(n) > 0")
        .bind(by.measure())
        .bind(from_day)
        .bind(to_day)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

#[derive(Debug, Clone, Copy)]
pub enum ByColumn {
    Kind,
    Channel,
    Category,
    Township,
}

impl ByColumn {
    /// The tallies' name for the column.
    fn measure(self) -> &'static str {
        match self {
            ByColumn::Kind => "kind",
            ByColumn::Channel => "channel",
            ByColumn::Category => "category",
            ByColumn::Township => "township",
        }
    }
}

/// Open cases past their deadline per unit that holds or held them (the list's `unit`
/// filter), most first, from the deadlines the units' rows carry.
pub async fn overdue_by_unit(conn: &mut AnyConnection, now: i64, limit: i64) -> Result<Vec<(i64, i64)>, StoreError> {
    let rows = sqlx::query(
        "SELECT unit_id, COUNT(*) AS n FROM case_units WHERE stopped_at IS NULL AND deadline_at < $1
         GROUP BY unit_id ORDER BY n DESC, unit_id LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// The palm commands launched since `from`: when each case came in, was launched and was
/// fully signed.
pub async fn command_timings(conn: &mut AnyConnection, from: i64) -> Result<Vec<CommandTiming>, StoreError> {
    let rows = sqlx::query("SELECT received_at, command_at, command_signed_at FROM cases WHERE command_at >= $1").bind(from).fetch_all(&mut *conn).await?;
    Ok(rows.iter().map(|r| CommandTiming { received_ms: r.get(0), launched_ms: r.get(1), signed_ms: r.get(2) }).collect())
}

/// The cases in a live palm command, newest first; only those with a unit still to sign
/// when `unsigned`.
pub async fn live_commands(conn: &mut AnyConnection, unsigned: bool, limit: i64) -> Result<Vec<CaseId>, StoreError> {
    let waiting = if unsigned { " AND command_signed_at IS NULL" } else { "" };
    let sql = format!("SELECT id FROM cases WHERE command_open = 1{waiting} ORDER BY received_at DESC, id DESC LIMIT $1");
    Ok(sqlx::query_scalar(&sql).bind(limit).fetch_all(&mut *conn).await?)
}

/// Of the cases closed since `from` (and still closed), how many were resolved in time.
pub async fn closed_on_time(conn: &mut AnyConnection, from: i64) -> Result<(i64, i64), StoreError> {
    let row = sqlx::query(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN stopped_at <= deadline_at THEN 1 ELSE 0 END), 0) FROM cases WHERE status = $1 AND updated_at >= $2",
    )
    .bind(CaseStatus::Closed.code())
    .bind(from)
    .fetch_one(&mut *conn)
    .await?;
    Ok((row.get(1), row.get(0)))
}

/// Residents' ratings on the local days `from_day` up to `to_day`: (satisfied, answered),
/// from the tallies of migration 0014 (a follow-up without an answer is not a rating).
pub async fn ratings(conn: &mut AnyConnection, from_day: i64, to_day: i64) -> Result<(i64, i64), StoreError> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(CASE WHEN measure = 'satisfied' THEN n ELSE 0 END), 0) AS BIGINT),
                CAST(COALESCE(SUM(CASE WHEN measure = 'rated' THEN n ELSE 0 END), 0) AS BIGINT)
         FROM case_tallies WHERE measure IN ('rated', 'satisfied') AND day >= $1 AND day < $2",
    )
    .bind(from_day)
    .bind(to_day)
    .fetch_one(&mut *conn)
    .await?;
    Ok((row.get(0), row.get(1)))
}

/// Townships with their map point, open, overdue and commanded cases: three counts grouped
/// by township, each from an index that holds the township (a count per township would walk
/// each township's every case).
pub async fn township_loads(conn: &mut AnyConnection, now: i64) -> Result<Vec<TownshipRow>, StoreError> {
    let towns = sqlx::query("SELECT id, name, lat_e6, lng_e6 FROM areas WHERE level = 'township' AND active = 1 ORDER BY code").fetch_all(&mut *conn).await?;
    let grouped = async |conn: &mut AnyConnection, sql: String, bind_now: bool| -> Result<Vec<(i64, i64)>, StoreError> {
        let mut q = sqlx::query(&sql);
        if bind_now {
            q = q.bind(now);
        }
        let rows = q.fetch_all(&mut *conn).await?;
        Ok(rows.iter().filter_map(|r| Some((r.get::<Option<i64>, _>(0)?, r.get(1)))).collect())
    };
    let open = grouped(conn, format!("SELECT township_id, COUNT(*) FROM cases WHERE status IN ({}) GROUP BY township_id", open_statuses()), false).await?;
    let overdue =
        grouped(conn, "SELECT township_id, COUNT(*) FROM cases WHERE stopped_at IS NULL AND deadline_at < $1 GROUP BY township_id".into(), true).await?;
    let command = grouped(conn, "SELECT township_id, COUNT(*) FROM cases WHERE command_open = 1 GROUP BY township_id".into(), false).await?;
    let of = |counts: &[(i64, i64)], id: i64| counts.iter().find(|c| c.0 == id).map_or(0, |c| c.1);
    Ok(towns
        .iter()
        .map(|r| {
            let area_id: i64 = r.get(0);
            TownshipRow {
                area_id,
                name: r.get(1),
                lat_e6: r.get(2),
                lng_e6: r.get(3),
                open: of(&open, area_id),
                overdue: of(&overdue, area_id),
                in_command: of(&command, area_id),
            }
        })
        .collect())
}

pub struct TownshipRow {
    pub area_id: i64,
    pub name: String,
    pub lat_e6: Option<i64>,
    pub lng_e6: Option<i64>,
    pub open: i64,
    pub overdue: i64,
    pub in_command: i64,
}

/// Open cases with a location, at most `limit`, in the status index's order (by status,
/// newest first within each): sorting every open case by receipt would cost more than the
/// dots are worth at a million cases.
pub async fn open_dots(conn: &mut AnyConnection, now: i64, limit: i64) -> Result<Vec<CaseDot>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT id, lat_e6, lng_e6, CASE WHEN stopped_at IS NULL AND deadline_at < $1 THEN 1 ELSE 0 END, command_open
         FROM cases WHERE status IN ({}) AND lat_e6 IS NOT NULL LIMIT $2",
        open_statuses()
    ))
    .bind(now)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .iter()
        .map(|r| CaseDot { case_id: r.get(0), lat_e6: r.get(1), lng_e6: r.get(2), overdue: r.get::<i64, _>(3) == 1, in_command: r.get::<i64, _>(4) == 1 })
        .collect())
}

/// The seats of the townships in service, as (area id, name, lat_e6, lng_e6).
pub async fn township_seats(conn: &mut AnyConnection) -> Result<Vec<(i64, String, i64, i64)>, StoreError> {
    Ok(sqlx::query_as("SELECT id, name, lat_e6, lng_e6 FROM areas WHERE level = 'township' AND active = 1 AND lat_e6 IS NOT NULL AND lng_e6 IS NOT NULL")
        .fetch_all(&mut *conn)
        .await?)
}

/// Sets a township's (or any area's) point on the map.
pub async fn set_area_point(conn: &mut AnyConnection, area_id: i64, lat_e6: i64, lng_e6: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE areas SET lat_e6 = $1, lng_e6 = $2 WHERE id = $3").bind(lat_e6).bind(lng_e6).bind(area_id).execute(&mut *conn).await?;
    Ok(())
}
