//! Signing in: the throttle of `domain::signin`, checked before queueing for a hashing slot
//! and again (atomically, counting the attempt) once the slot is held; one answer whether the
//! name exists or not; the audit trail, at most a few rows a minute per address.
use super::{AuditActor, password};
use crate::domain::audit::AuditEvent;
use crate::domain::org::clean_username;
use crate::domain::signin::{self, PER_ADDRESS, PER_NAME, SignInRefusal, Tally};
use crate::error::AppError;
use crate::store::users::{self, Account};
use crate::store::{Db, WriteTx, audit, now_ms, sign_in_throttle as throttle};

/// Throttle rows quiet this long are dropped (a day: far beyond any wait or forgiveness
/// that matters).
const FORGET_AFTER_MS: i64 = 24 * 3600 * 1000;

/// The two keys an attempt is counted under.
struct Keys {
    name: String,
    address: String,
}

/// The key of an account name: the cleaned name whether or not an account has it.
pub fn name_key(username: &str) -> String {
    let name = clean_username(username).unwrap_or_else(|_| username.trim().to_lowercase());
    format!("name:{name}")
}

fn address_key(ip: Option<&str>) -> String {
    format!("addr:{}", ip.unwrap_or("unknown"))
}

/// Checks a username and password, applying the throttle, and records the attempt.
pub async fn sign_in(db: &Db, username: &str, password_given: &str, ip: Option<&str>) -> Result<Account, AppError> {
    sign_in_with_clock(db, username, password_given, ip, now_ms).await
}

/// `sign_in` on the given clock (tests move time instead of sleeping).
pub async fn sign_in_with_clock(db: &Db, username: &str, password_given: &str, ip: Option<&str>, clock: impl Fn() -> i64) -> Result<Account, AppError> {
    let result = check(db, username, password_given, ip, clock, Purpose::SignIn).await;
    super::counters::signed_in(&result);
    result
}

/// Checks a signed-in person's current password (before changing it) under the same
/// throttle as signing in, so a left-open session is no way around it.
pub async fn check_current_password(db: &Db, username: &str, password_given: &str, ip: Option<&str>) -> Result<Account, AppError> {
    check(db, username, password_given, ip, now_ms, Purpose::Reauthenticate).await
}

#[derive(PartialEq)]
enum Purpose {
    SignIn,
    Reauthenticate,
}

async fn check(db: &Db, username: &str, password_given: &str, ip: Option<&str>, clock: impl Fn() -> i64, purpose: Purpose) -> Result<Account, AppError> {
    // Before any work: the size alone refuses, whatever the name (so nothing is revealed).
    if signin::oversized(username, password_given) {
        return Err(AppError::SignIn(SignInRefusal::BadCredentials));
    }
    let name = clean_username(username).unwrap_or_else(|_| username.trim().to_lowercase());
    let keys = Keys { name: name_key(username), address: address_key(ip) };
    let (account, by_name, by_address) = look(db, &name, &keys).await?;
    // A throttled attempt is refused before it queues for a slot, password unchecked.
    refuse_if_throttled(by_name, by_address, clock())?;
    let Some(slot) = password::slot().await else {
        return Err(AppError::SignIn(SignInRefusal::Busy));
    };
    // Concurrent guesses all passed the look above; now, one at a time, each is checked again
    // and counted as a failure up front, so only as many are verified as the throttle allows.
    reserve(db, &keys, clock()).await?;
    let matches = password::verify_in(&slot, password_given.to_string(), account.as_ref().map(|a| a.password_hash.clone())).await;
    drop(slot);
    let now = clock();
    let mut tx = db.begin_write().await?;
    match account {
        Some(a) if a.active && matches => {
            // Right after all: the name starts afresh and the address gets its failure back.
            throttle::clear(&mut tx, &keys.name).await?;
            throttle::take_back_one(&mut tx, &keys.address).await?;
            if purpose == Purpose::SignIn {
                audit::append(&mut tx, Some(a.id), ip, &AuditEvent::SignedIn { username: name }).await?;
            }
            tx.commit().await?;
            Ok(a)
        }
        // Unknown, deactivated, or wrong: the same answer, after the same work.
        other => {
            record_failure(&mut tx, &keys, other.map(|a| a.id), ip, name, now).await?;
            tx.commit().await?;
            Err(AppError::SignIn(SignInRefusal::BadCredentials))
        }
    }
}

/// The account (if any) and both tallies, on one connection let go before anything else.
async fn look(db: &Db, name: &str, keys: &Keys) -> Result<(Option<Account>, Tally, Tally), AppError> {
    let mut conn = db.read().await?;
    let account = users::account_by_username(&mut conn, name).await?;
    Ok((account, throttle::tally(&mut conn, &keys.name).await?, throttle::tally(&mut conn, &keys.address).await?))
}

fn refuse_if_throttled(by_name: Tally, by_address: Tally, now: i64) -> Result<(), AppError> {
    let wait = PER_NAME.wait_ms(by_name, now).max(PER_ADDRESS.wait_ms(by_address, now));
    if wait > 0 { Err(AppError::SignIn(SignInRefusal::Throttled(signin::retry_after_secs(wait)))) } else { Ok(()) }
}

/// Checks both keys under their locks and counts the attempt as a failure of each.
async fn reserve(db: &Db, keys: &Keys, now: i64) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let (by_name, _) = throttle::lock(&mut tx, &keys.name).await?;
    let (by_address, _) = throttle::lock(&mut tx, &keys.address).await?;
    if let Err(refused) = refuse_if_throttled(by_name, by_address, now) {
        tx.rollback().await?;
        return Err(refused);
    }
    throttle::set_tally(&mut tx, &keys.name, PER_NAME.after_failure(by_name, now)).await?;
    throttle::set_tally(&mut tx, &keys.address, PER_ADDRESS.after_failure(by_address, now)).await?;
    tx.commit().await?;
    Ok(())
}

/// The failure is counted already; here it is written to the audit trail, unless the address
/// has used its rows for this minute (then it is counted for the next row).
async fn record_failure(tx: &mut WriteTx, keys: &Keys, account_id: Option<i64>, ip: Option<&str>, username: String, now: i64) -> Result<(), AppError> {
    let (_, budget) = throttle::lock(tx, &keys.address).await?;
    let (write, next) = signin::audit_failure(budget, now);
    throttle::set_audit_budget(tx, &keys.address, next).await?;
    if write {
        audit::append(tx, account_id, ip, &AuditEvent::SignInFailed { username, unlisted: budget.unlisted }).await?;
    }
    throttle::forget_quiet(tx, now - FORGET_AFTER_MS).await?;
    Ok(())
}

/// Clears the failures slowing an account's sign-in (an admin's page, or `server user unlock`).
pub async fn unlock(db: &Db, actor: &AuditActor, username: &str) -> Result<(), AppError> {
    let name = clean_username(username)?;
    let mut tx = db.begin_write().await?;
    users::account_by_username(&mut tx, &name).await?.ok_or(AppError::NotFound)?;
    throttle::clear(&mut tx, &name_key(&name)).await?;
    audit::append(&mut tx, actor.user_id, actor.ip.as_deref(), &AuditEvent::SignInUnlocked { username: name }).await?;
    tx.commit().await?;
    Ok(())
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
