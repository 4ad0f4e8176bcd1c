//! Staff accounts: the register of who may sign in, and their lock-out state.
use super::{StoreError, now_ms};
use crate::domain::org::{Role, Staff};
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
    pub failed_attempts: i64,
    pub locked_until: Option<i64>,
}

const ACCOUNT_COLS: &str = "id, username, display_name, role, unit_id, password_hash, active, failed_attempts, locked_until";

fn account_from(r: &AnyRow) -> Account {
    Account {
        id: r.get(0),
        username: r.get(1),
        display_name: r.get(2),
        role: r.get::<String, _>(3).parse().unwrap_or(Role::UnitStaff),
        unit_id: r.get(4),
        password_hash: r.get(5),
        active: r.get::<i64, _>(6) != 0,
        failed_attempts: r.get(7),
        locked_until: r.get(8),
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

pub async fn record_sign_in_failure(conn: &mut AnyConnection, id: i64, failed_attempts: i64, locked_until: Option<i64>) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET failed_attempts = $1, locked_until = $2 WHERE id = $3")
        .bind(failed_attempts)
        .bind(locked_until)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Adds one failed attempt and returns the new count.
pub async fn count_sign_in_failure(conn: &mut AnyConnection, id: i64) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("UPDATE users SET failed_attempts = failed_attempts + 1 WHERE id = $1 RETURNING failed_attempts").bind(id).fetch_one(conn).await?)
}

pub async fn record_sign_in_success(conn: &mut AnyConnection, id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = $1").bind(id).execute(conn).await?;
    Ok(())
}

fn staff_from(r: &AnyRow, now: i64) -> Staff {
    let locked_until: Option<i64> = r.get(8);
    Staff {
        id: r.get(0),
        username: r.get(1),
        display_name: r.get(2),
        role: r.get::<String, _>(3).parse().unwrap_or(Role::UnitStaff),
        unit_id: r.get(4),
        unit_name: r.get(5),
        phone: r.get(6),
        active: r.get::<i64, _>(7) != 0,
        locked: locked_until.is_some_and(|t| t > now),
    }
}

const STAFF_SELECT: &str =
    "SELECT s.id, s.username, s.display_name, s.role, s.unit_id, n.name, s.phone, s.active, s.locked_until FROM users s LEFT JOIN units n ON n.id = s.unit_id";

pub async fn all_staff(conn: &mut AnyConnection) -> Result<Vec<Staff>, StoreError> {
    let now = now_ms();
    let rows = sqlx::query(&format!("{STAFF_SELECT} ORDER BY s.id")).fetch_all(&mut *conn).await?;
    Ok(rows.iter().map(|r| staff_from(r, now)).collect())
}

pub async fn staff_by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<Staff>, StoreError> {
    let row = sqlx::query(&format!("{STAFF_SELECT} WHERE s.id = $1")).bind(id).fetch_optional(conn).await?;
    Ok(row.map(|r| staff_from(&r, now_ms())))
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

pub async fn insert_user(conn: &mut AnyConnection, f: &StaffFields<'_>, password_hash: &str) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO users (username, display_name, role, unit_id, phone, password_hash, active, failed_attempts, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 1, 0, $7) RETURNING id",
    )
    .bind(f.username)
    .bind(f.display_name)
    .bind(f.role.code())
    .bind(f.unit_id)
    .bind(f.phone)
    .bind(password_hash)
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

/// Deactivating also clears the lock; sessions end because sign-in checks `active` on every request.
pub async fn set_user_active(conn: &mut AnyConnection, id: i64, active: bool) -> Result<(), StoreError> {
    let done =
        sqlx::query("UPDATE users SET active = $1, failed_attempts = 0, locked_until = NULL WHERE id = $2").bind(active as i64).bind(id).execute(conn).await?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

pub async fn set_password(conn: &mut AnyConnection, id: i64, password_hash: &str) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE users SET password_hash = $1, failed_attempts = 0, locked_until = NULL WHERE id = $2")
        .bind(password_hash)
        .bind(id)
        .execute(conn)
        .await?;
    if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

pub async fn count_users(conn: &mut AnyConnection) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&mut *conn).await?)
}
