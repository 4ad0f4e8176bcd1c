use super::password::{self, HashOutcome};
use crate::domain::audit::AuditEvent;
use crate::domain::org::clean_username;
use crate::domain::signin::{SignInRefusal, after_failure, is_locked};
use crate::error::AppError;
use crate::store::users::{self, Account};
use crate::store::{Db, audit, now_ms};

/// Checks a username and password, applying the lock-out policy, and records the attempt.
pub async fn sign_in(db: &Db, username: &str, password_given: &str, ip: Option<&str>) -> Result<Account, AppError> {
    let username = clean_username(username).unwrap_or_else(|_| username.trim().to_string());
    let account = users::account_by_username(&mut *db.read().await?, &username).await?;
    let now = now_ms();
    if let Some(a) = &account
        && a.active
        && is_locked(a.locked_until, now)
    {
        let mut tx = db.begin_write().await?;
        audit::append(&mut tx, Some(a.id), ip, &AuditEvent::SignInRefusedLocked { username }).await?;
        tx.commit().await?;
        return Err(AppError::SignIn(SignInRefusal::Locked));
    }
    let outcome = password::verify(password_given.to_string(), account.as_ref().map(|a| a.password_hash.clone())).await;
    if outcome == HashOutcome::Busy {
        return Err(AppError::SignIn(SignInRefusal::Busy));
    }
    let mut tx = db.begin_write().await?;
    match account {
        Some(a) if a.active && outcome == HashOutcome::Match => {
            users::record_sign_in_success(&mut tx, a.id).await?;
            audit::append(&mut tx, Some(a.id), ip, &AuditEvent::SignedIn { username }).await?;
            tx.commit().await?;
            Ok(a)
        }
        Some(a) if a.active => {
            // Counted atomically in the database so concurrent failures all count.
            let failed_now = users::count_sign_in_failure(&mut tx, a.id).await?;
            let next = after_failure(failed_now - 1, now);
            users::record_sign_in_failure(&mut tx, a.id, next.failed_attempts, next.locked_until).await?;
            let locked = next.locked_until.is_some();
            audit::append(&mut tx, Some(a.id), ip, &AuditEvent::SignInFailed { username, locked }).await?;
            tx.commit().await?;
            Err(AppError::SignIn(if locked { SignInRefusal::Locked } else { SignInRefusal::BadCredentials }))
        }
        _ => {
            audit::append(&mut tx, None, ip, &AuditEvent::SignInFailed { username, locked: false }).await?;
            tx.commit().await?;
            Err(AppError::SignIn(SignInRefusal::BadCredentials))
        }
    }
}

pub async fn record_sign_out(db: &Db, account_id: i64, username: String, ip: Option<&str>) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    audit::append(&mut tx, Some(account_id), ip, &AuditEvent::SignedOut { username }).await?;
    tx.commit().await?;
    Ok(())
}

/// The account behind a session, read on each request that needs the caller.
pub async fn account(db: &Db, id: i64) -> Result<Option<Account>, AppError> {
    Ok(users::account_by_id(&mut *db.read().await?, id).await?)
}
