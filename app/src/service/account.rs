//! What signed-in people do with their own account: choose their password.
use super::{password, signin};
use crate::domain::audit::AuditEvent;
use crate::domain::org::{OrgError, check_new_password};
use crate::domain::signin::SignInRefusal;
use crate::error::AppError;
use crate::store::users::{self, Account};
use crate::store::{Db, audit};

/// Replaces the password of account `id` after checking the current one (throttled like a
/// sign-in); clears the "must change" mark. Returns the account as it is now, for the
/// caller's session (the old password's sessions end: they carry its hash).
pub async fn change_password(db: &Db, id: i64, current: &str, new: &str, repeated: &str, ip: Option<&str>) -> Result<Account, AppError> {
    check_new_password(current, new, repeated)?;
    let username = users::account_by_id(&mut *db.read().await?, id).await?.ok_or(AppError::Unauthorized)?.username;
    match signin::check_current_password(db, &username, current, ip).await {
        Err(AppError::SignIn(SignInRefusal::BadCredentials)) => return Err(OrgError::WrongCurrentPassword.into()),
        other => other?,
    };
    let hash = password::hash(new.to_string()).await;
    let mut tx = db.begin_write().await?;
    users::set_password(&mut tx, id, &hash, false).await?;
    audit::append(&mut tx, Some(id), ip, &AuditEvent::PasswordChanged { user_id: id }).await?;
    let account = users::account_by_id(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(account)
}
