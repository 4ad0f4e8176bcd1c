//! The duty roster (migration 0022): shifts and swap requests.
use super::StoreError;
use crate::domain::duty::{CHECK_IN_GRACE_MS, Point, Shift, Swap};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

const SHIFT_COLUMNS: &str =
    "id, unit_id, post, user_id, starts_at, ends_at, checked_in_at, check_in_lat_e6, check_in_lng_e6, handover, handed_over_at, missed_at";

fn shift_of(r: &AnyRow) -> Option<Shift> {
    let point = match (r.get::<Option<i64>, _>(7), r.get::<Option<i64>, _>(8)) {
        (Some(lat), Some(lng)) => Some(Point { lat: lat as f64 / 1e6, lng: lng as f64 / 1e6 }),
        _ => None,
    };
    Some(Shift {
        id: r.get(0),
        unit_id: r.get(1),
        post: r.get::<String, _>(2).parse().ok()?,
        user_id: r.get(3),
        starts_ms: r.get(4),
        ends_ms: r.get(5),
        checked_in_ms: r.get(6),
        check_in_at: point,
        handover: r.get(9),
        handed_over_ms: r.get(10),
        missed_ms: r.get(11),
    })
}

pub async fn insert_shift(conn: &mut AnyConnection, s: &Shift, by: Option<i64>, now: i64) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO duty_shifts (unit_id, post, user_id, starts_at, ends_at, planned_by, planned_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(s.unit_id)
    .bind(s.post.code())
    .bind(s.user_id)
    .bind(s.starts_ms)
    .bind(s.ends_ms)
    .bind(by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.get(0))
}

/// The shift, locked for a change (PostgreSQL; SQLite's write turn already is).
pub async fn shift_for_update(conn: &mut AnyConnection, postgres: bool, id: i64) -> Result<Option<Shift>, StoreError> {
    let lock = if postgres { " FOR UPDATE" } else { "" };
    let row = sqlx::query(&format!("SELECT {SHIFT_COLUMNS} FROM duty_shifts WHERE id = $1{lock}")).bind(id).fetch_optional(&mut *conn).await?;
    Ok(row.as_ref().and_then(shift_of))
}

/// Writes what changes over a shift's life: its holder, check-in, handover and flag.
pub async fn save_shift(conn: &mut AnyConnection, s: &Shift) -> Result<(), StoreError> {
    let e6 = |v: f64| (v * 1e6).round() as i64;
    sqlx::query(
        "UPDATE duty_shifts SET user_id = $2, checked_in_at = $3, check_in_lat_e6 = $4, check_in_lng_e6 = $5, handover = $6, handed_over_at = $7, missed_at = $8
         WHERE id = $1",
    )
    .bind(s.id)
    .bind(s.user_id)
    .bind(s.checked_in_ms)
    .bind(s.check_in_at.map(|p| e6(p.lat)))
    .bind(s.check_in_at.map(|p| e6(p.lng)))
    .bind(s.handover.as_deref())
    .bind(s.handed_over_ms)
    .bind(s.missed_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn delete_shift(conn: &mut AnyConnection, id: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM duty_swaps WHERE shift_id = $1").bind(id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM duty_shifts WHERE id = $1").bind(id).execute(&mut *conn).await?;
    Ok(())
}

/// Shifts that overlap [from, to), optionally of one unit or one person, by start.
pub async fn shifts_between(conn: &mut AnyConnection, from: i64, to: i64, unit: Option<i64>, user: Option<i64>) -> Result<Vec<Shift>, StoreError> {
    // A shift lasts at most a day, so the start bound keeps the index useful.
    let rows = sqlx::query(&format!(
        "SELECT {SHIFT_COLUMNS} FROM duty_shifts
         WHERE starts_at < $2 AND starts_at >= $1 - 86400000 AND ends_at > $1
           AND ($3 = 0 OR unit_id = $3) AND ($4 = 0 OR user_id = $4)
         ORDER BY starts_at, unit_id, post, id"
    ))
    .bind(from)
    .bind(to)
    // 0 stands for "any": no row has id 0, and a typed number suits both databases.
    .bind(unit.unwrap_or(0))
    .bind(user.unwrap_or(0))
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.iter().filter_map(shift_of).collect())
}

/// When the next missing check-in falls due, if any shift waits for one.
pub async fn next_check_in_due(conn: &mut AnyConnection) -> Result<Option<i64>, StoreError> {
    let row = sqlx::query("SELECT MIN(starts_at) FROM duty_shifts WHERE checked_in_at IS NULL AND missed_at IS NULL").fetch_one(&mut *conn).await?;
    Ok(row.get::<Option<i64>, _>(0).map(|s| s + CHECK_IN_GRACE_MS))
}

/// Shifts due to be flagged at `now`: no check-in, no flag, the grace period over.
pub async fn unflagged_due(conn: &mut AnyConnection, now: i64, limit: i64) -> Result<Vec<Shift>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {SHIFT_COLUMNS} FROM duty_shifts WHERE checked_in_at IS NULL AND missed_at IS NULL AND starts_at <= $1 ORDER BY starts_at LIMIT $2"
    ))
    .bind(now - CHECK_IN_GRACE_MS)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.iter().filter_map(shift_of).collect())
}

const SWAP_COLUMNS: &str = "id, shift_id, from_user, to_user, reason, status, requested_at, decided_at";

fn swap_of(r: &AnyRow) -> Option<Swap> {
    Some(Swap {
        id: r.get(0),
        shift_id: r.get(1),
        from_user: r.get(2),
        to_user: r.get(3),
        reason: r.get(4),
        status: r.get::<String, _>(5).parse().ok()?,
        requested_ms: r.get(6),
        decided_ms: r.get(7),
    })
}

pub async fn insert_swap(conn: &mut AnyConnection, w: &Swap) -> Result<i64, StoreError> {
    let row = sqlx::query("INSERT INTO duty_swaps (shift_id, from_user, to_user, reason, status, requested_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(w.shift_id)
        .bind(w.from_user)
        .bind(w.to_user)
        .bind(&w.reason)
        .bind(w.status.code())
        .bind(w.requested_ms)
        .fetch_one(&mut *conn)
        .await?;
    Ok(row.get(0))
}

pub async fn swap(conn: &mut AnyConnection, id: i64) -> Result<Option<Swap>, StoreError> {
    let row = sqlx::query(&format!("SELECT {SWAP_COLUMNS} FROM duty_swaps WHERE id = $1")).bind(id).fetch_optional(&mut *conn).await?;
    Ok(row.as_ref().and_then(swap_of))
}

pub async fn save_swap(conn: &mut AnyConnection, w: &Swap, by: Option<i64>) -> Result<(), StoreError> {
    sqlx::query("UPDATE duty_swaps SET status = $2, decided_at = $3, decided_by = $4 WHERE id = $1")
        .bind(w.id)
        .bind(w.status.code())
        .bind(w.decided_ms)
        .bind(by)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The shifts that swap requests still waiting are about, in one read.
pub async fn pending_swap_shifts(conn: &mut AnyConnection) -> Result<Vec<Shift>, StoreError> {
    let columns: Vec<String> = SHIFT_COLUMNS.split(", ").map(|c| format!("d.{c}")).collect();
    let rows = sqlx::query(&format!(
        "SELECT {} FROM duty_shifts d JOIN duty_swaps w ON w.shift_id = d.id WHERE w.status = 'pending' ORDER BY w.requested_at, w.id",
        columns.join(", ")
    ))
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.iter().filter_map(shift_of).collect())
}

/// Swap requests still waiting, oldest first.
pub async fn pending_swaps(conn: &mut AnyConnection) -> Result<Vec<Swap>, StoreError> {
    let rows = sqlx::query(&format!("SELECT {SWAP_COLUMNS} FROM duty_swaps WHERE status = 'pending' ORDER BY requested_at, id")).fetch_all(&mut *conn).await?;
    Ok(rows.iter().filter_map(swap_of).collect())
}

/// The holders of the center's leader-on-duty shifts at `now`.
pub async fn center_leaders_on_duty(conn: &mut AnyConnection, now: i64) -> Result<Vec<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT d.user_id FROM duty_shifts d JOIN units n ON n.id = d.unit_id JOIN users s ON s.id = d.user_id
         WHERE n.kind = 'center' AND d.post = 'leader' AND d.starts_at <= $1 AND d.ends_at > $1 AND d.starts_at > $1 - 86400000 AND s.active = 1
         ORDER BY d.user_id",
    )
    .bind(now)
    .fetch_all(conn)
    .await?)
}
