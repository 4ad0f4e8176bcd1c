//! Areas and units of the organisation.
use super::{StoreError, now_ms};
use crate::domain::org::{Area, AreaLevel, Unit, UnitKind};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

fn area_from(r: &AnyRow) -> Area {
    Area {
        id: r.get(0),
        parent_id: r.get(1),
        level: r.get::<String, _>(2).parse().unwrap_or(AreaLevel::Grid),
        name: r.get(3),
        code: r.get(4),
        active: r.get::<i64, _>(5) != 0,
    }
}

const AREA_COLS: &str = "id, parent_id, level, name, code, active";

/// Every area, parents before children (ordered by code, which encodes the path).
pub async fn all_areas(conn: &mut AnyConnection) -> Result<Vec<Area>, StoreError> {
    let rows = sqlx::query(&format!("SELECT {AREA_COLS} FROM areas ORDER BY code")).fetch_all(&mut *conn).await?;
    Ok(rows.iter().map(area_from).collect())
}

pub async fn area_by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<Area>, StoreError> {
    let row = sqlx::query(&format!("SELECT {AREA_COLS} FROM areas WHERE id = $1")).bind(id).fetch_optional(conn).await?;
    Ok(row.as_ref().map(area_from))
}

pub struct NewArea<'a> {
    pub parent_id: Option<i64>,
    pub level: AreaLevel,
    pub name: &'a str,
    pub code: &'a str,
}

pub async fn insert_area(conn: &mut AnyConnection, a: &NewArea<'_>) -> Result<i64, StoreError> {
    sqlx::query_scalar("INSERT INTO areas (parent_id, level, name, code, active, created_at) VALUES ($1, $2, $3, $4, 1, $5) RETURNING id")
        .bind(a.parent_id)
        .bind(a.level.code())
        .bind(a.name)
        .bind(a.code)
        .bind(now_ms())
        .fetch_one(conn)
        .await
        .map_err(StoreError::from_write)
}

pub async fn rename_area(conn: &mut AnyConnection, id: i64, name: &str) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE areas SET name = $1 WHERE id = $2").bind(name).bind(id).execute(conn).await?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

pub async fn set_area_active(conn: &mut AnyConnection, id: i64, active: bool) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE areas SET active = $1 WHERE id = $2").bind(active as i64).bind(id).execute(conn).await?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Number of direct children, used to make the next child's code.
pub async fn child_count(conn: &mut AnyConnection, parent_id: i64) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM areas WHERE parent_id = $1").bind(parent_id).fetch_one(conn).await?)
}

fn unit_from(r: &AnyRow) -> Unit {
    Unit {
        id: r.get(0),
        name: r.get(1),
        kind: r.get::<String, _>(2).parse().unwrap_or(UnitKind::ResidentDepartment),
        area_id: r.get(3),
        area_name: r.get(4),
        phone: r.get(5),
        active: r.get::<i64, _>(6) != 0,
    }
}

const UNIT_SELECT: &str = "SELECT u.id, u.name, u.kind, u.area_id, a.name, u.phone, u.active FROM units u LEFT JOIN areas a ON a.id = u.area_id";

pub async fn all_units(conn: &mut AnyConnection) -> Result<Vec<Unit>, StoreError> {
    let rows = sqlx::query(&format!("{UNIT_SELECT} ORDER BY u.id")).fetch_all(&mut *conn).await?;
    let mut units: Vec<Unit> = rows.iter().map(unit_from).collect();
    // Center first, then departments, then down the levels: the order people look for them.
    units.sort_by_key(|u| UnitKind::ALL.iter().position(|k| *k == u.kind).map(|p| (p + 1) % UnitKind::ALL.len()));
    Ok(units)
}

pub async fn unit_by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<Unit>, StoreError> {
    let row = sqlx::query(&format!("{UNIT_SELECT} WHERE u.id = $1")).bind(id).fetch_optional(conn).await?;
    Ok(row.as_ref().map(unit_from))
}

/// Active units by exact name, for the roster import.
pub async fn active_unit_ids_by_name(conn: &mut AnyConnection) -> Result<Vec<(String, i64)>, StoreError> {
    let rows = sqlx::query("SELECT name, id FROM units WHERE active = 1").fetch_all(conn).await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

pub struct UnitFields<'a> {
    pub name: &'a str,
    pub kind: UnitKind,
    pub area_id: Option<i64>,
    pub phone: Option<&'a str>,
}

pub async fn insert_unit(conn: &mut AnyConnection, u: &UnitFields<'_>) -> Result<i64, StoreError> {
    sqlx::query_scalar("INSERT INTO units (name, kind, area_id, phone, active, created_at) VALUES ($1, $2, $3, $4, 1, $5) RETURNING id")
        .bind(u.name)
        .bind(u.kind.code())
        .bind(u.area_id)
        .bind(u.phone)
        .bind(now_ms())
        .fetch_one(conn)
        .await
        .map_err(StoreError::from_write)
}

pub async fn update_unit(conn: &mut AnyConnection, id: i64, u: &UnitFields<'_>) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE units SET name = $1, kind = $2, area_id = $3, phone = $4 WHERE id = $5")
        .bind(u.name)
        .bind(u.kind.code())
        .bind(u.area_id)
        .bind(u.phone)
        .bind(id)
        .execute(conn)
        .await
        .map_err(StoreError::from_write)?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

pub async fn set_unit_active(conn: &mut AnyConnection, id: i64, active: bool) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE units SET active = $1 WHERE id = $2").bind(active as i64).bind(id).execute(conn).await?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}
