//! Staff accounts: the register of who may sign in.
use super::{StoreError, now_ms};
use crate::domain::org::{Role, Staff};
use crate::domain::signin::{PER_NAME, Tally};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// Everything sign-in needs about one account, password hash included. Server-side only.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: Option<i64>,
    pub password_hash: String,
    pub active: bool,
    /// Someone else chose the password: its owner must change it before anything else.
    pub must_change_password: bool,
}

const ACCOUNT_COLS: &str = "id, username, display_name, role, unit_id, password_hash, active, must_change_password";

fn account_from(r: &AnyRow) -> Account {
    Account {
        id: r.get(0),
        username: r.get(1),
        display_name: r.get(2),
        role: r.get::<String, _>(3).parse().unwrap_or(Role::UnitStaff),
        unit_id: r.get(4),
        password_hash: r.get(5),
        active: r.get::<i64, _>(6) != 0,
        must_change_password: r.get::<i64, _>(7) != 0,
    }
}

pub async fn account_by_username(conn: &mut AnyConnection, username: &str) -> Result<Option<Account>, StoreError> {
    let row = sqlx::query(&format!("SELECT {ACCOUNT_COLS} FROM users WHERE username = $1")).bind(username).fetch_optional(&mut *conn).await?;
    Ok(row.as_ref().map(account_from))
}

pub async fn account_by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<Account>, StoreError> {
    let row = sqlx::query(&format!("SELECT {ACCOUNT_COLS} FROM users WHERE id = $1")).bind(id).fetch_optional(&mut *conn).await?;
    Ok(row.as_ref().map(account_from))
}

fn staff_from(r: &AnyRow, now: i64) -> Staff {
    let tally = Tally { failures: r.get::<Option<i64>, _>(8).unwrap_or(0), last_failure_at: r.get::<Option<i64>, _>(9).unwrap_or(0) };
    Staff {
        id: r.get(0),
        username: r.get(1),
        display_name: r.get(2),
        role: r.get::<String, _>(3).parse().unwrap_or(Role::UnitStaff),
        unit_id: r.get(4),
        unit_name: r.get(5),
        phone: r.get(6),
        active: r.get::<i64, _>(7) != 0,
        throttled: PER_NAME.wait_ms(tally, now) > 0 || PER_NAME.standing(tally, now) >= PER_NAME.free_failures,
    }
}

/// With the sign-in failures held against each name (see `sign_in_throttle`).
const STAFF_SELECT: &str = "SELECT s.id, s.username, s.display_name, s.role, s.unit_id, n.name, s.phone, s.active, t.failures, t.last_failure_at
     FROM users s LEFT JOIN units n ON n.id = s.unit_id LEFT JOIN sign_in_throttle t ON t.key = 'name:' || s.username";

pub async fn all_staff(conn: &mut AnyConnection) -> Result<Vec<Staff>, StoreError> {
    let now = now_ms();
    let rows = sqlx::query(&format!("{STAFF_SELECT} ORDER BY s.id")).fetch_all(&mut *conn).await?;
    Ok(rows.iter().map(|r| staff_from(r, now)).collect())
}

pub async fn staff_by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<Staff>, StoreError> {
    let row = sqlx::query(&format!("{STAFF_SELECT} WHERE s.id = $1")).bind(id).fetch_optional(conn).await?;
    Ok(row.map(|r| staff_from(&r, now_ms())))
}

/// The center's leaders in service: who hears of a palm command's unit still unsigned at
/// the second step when the duty roster names no leader on duty (`service::duty::escalation_leaders`).
pub async fn center_leaders(conn: &mut AnyConnection) -> Result<Vec<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT s.id FROM users s JOIN units n ON n.id = s.unit_id WHERE s.role = 'leader' AND s.active = 1 AND n.kind = 'center' ORDER BY s.id",
    )
    .fetch_all(conn)
    .await?)
}

/// The display names of staff `ids`, in one query.
pub async fn display_names(conn: &mut AnyConnection, ids: &[i64]) -> Result<HashMap<i64, String>, StoreError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!("SELECT id, display_name FROM users WHERE id IN ({})", super::placeholders::marks(1, ids.len()));
    let rows = super::placeholders::bind_ids(sqlx::query(&sql), ids).fetch_all(&mut *conn).await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

pub async fn all_usernames(conn: &mut AnyConnection) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar("SELECT username FROM users").fetch_all(conn).await?)
}

pub struct StaffFields<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub unit_id: Option<i64>,
    pub phone: Option<&'a str>,
}

/// `must_change_password`: the password was chosen by someone else than the account's owner.
pub async fn insert_user(conn: &mut AnyConnection, f: &StaffFields<'_>, password_hash: &str, must_change_password: bool) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO users (username, display_name, role, unit_id, phone, password_hash, active, must_change_password, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8) RETURNING id",
    )
    .bind(f.username)
    .bind(f.display_name)
    .bind(f.role.code())
    .bind(f.unit_id)
    .bind(f.phone)
    .bind(password_hash)
    .bind(must_change_password as i64)
    .bind(now_ms())
    .fetch_one(conn)
    .await
    .map_err(StoreError::from_write)
}

pub async fn update_user(conn: &mut AnyConnection, id: i64, f: &StaffFields<'_>) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE users SET username = $1, display_name = $2, role = $3, unit_id = $4, phone = $5 WHERE id = $6")
        .bind(f.username)
        .bind(f.display_name)
        .bind(f.role.code())
        .bind(f.unit_id)
        .bind(f.phone)
        .bind(id)
        .execute(conn)
        .await
        .map_err(StoreError::from_write)?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Sessions end because sign-in checks `active` on every request.
pub async fn set_user_active(conn: &mut AnyConnection, id: i64, active: bool) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE users SET active = $1 WHERE id = $2").bind(active as i64).bind(id).execute(conn).await?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// `must_change_password`: set by someone else (a reset), so the owner changes it next.
pub async fn set_password(conn: &mut AnyConnection, id: i64, password_hash: &str, must_change_password: bool) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE users SET password_hash = $1, must_change_password = $2 WHERE id = $3")
        .bind(password_hash)
        .bind(must_change_password as i64)
        .bind(id)
        .execute(conn)
        .await?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

pub async fn count_users(conn: &mut AnyConnection) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&mut *conn).await?)
}
