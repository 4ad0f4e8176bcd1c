//! Whether a long-lived connection (an open `/events` stream) still belongs to a session
//! that may receive: requests are checked by the guard one by one, a stream only here.
use crate::domain::org::Role;
use crate::domain::signin::session_expired;
use crate::error::AppError;
use crate::store::{Db, sessions, users};

/// Who a stream was opened for, as they were signed in then.
#[derive(Debug, Clone)]
pub struct Holder {
    pub session_id: String,
    pub user_id: i64,
    pub role: Role,
    pub unit_id: Option<i64>,
    pub signed_in_at: i64,
}

/// Whether `h` may still receive at `now`: the session neither signed out nor idle too long,
/// within its absolute lifetime, and the account active, with the role and unit it had.
pub async fn still_holds(db: &Db, h: &Holder, absolute_ms: i64, now: i64) -> Result<bool, AppError> {
    if session_expired(h.signed_in_at, now, absolute_ms) {
        return Ok(false);
    }
    let mut conn = db.read().await?;
    if !sessions::alive(&mut conn, &h.session_id, now).await? {
        return Ok(false);
    }
    let account = users::account_by_id(&mut conn, h.user_id).await?;
    Ok(account.is_some_and(|a| a.active && a.role == h.role && a.unit_id == h.unit_id))
}
