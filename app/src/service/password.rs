//! Argon2id hashing with bounded concurrency: a flood of sign-ins queues for a few
//! hashing slots instead of eating every core, so pages keep being served.
use std::sync::OnceLock;
use std::time::Duration;
use tokio::sync::Semaphore;

fn slots() -> &'static Semaphore {
    static SLOTS: OnceLock<Semaphore> = OnceLock::new();
    SLOTS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        Semaphore::new((cores / 2).max(1))
    })
}

/// How long a sign-in waits for a hashing slot before the caller is told to retry.
const QUEUE_WAIT: Duration = Duration::from_secs(10);

#[derive(Debug, PartialEq, Eq)]
pub enum HashOutcome {
    Match,
    NoMatch,
    Busy,
}

/// A hashing slot held: while it is, the holder may hash once without queueing again.
pub struct Slot(#[allow(dead_code)] tokio::sync::SemaphorePermit<'static>);

/// Waits for a hashing slot; `None` when none came free in time (the caller answers "busy").
pub async fn slot() -> Option<Slot> {
    match tokio::time::timeout(QUEUE_WAIT, slots().acquire()).await {
        Ok(Ok(permit)) => Some(Slot(permit)),
        _ => None,
    }
}

/// Verifies a password against a stored hash, queueing for a slot first.
pub async fn verify(password: String, hash: Option<String>) -> HashOutcome {
    let Some(slot) = slot().await else {
        return HashOutcome::Busy;
    };
    if verify_in(&slot, password, hash).await { HashOutcome::Match } else { HashOutcome::NoMatch }
}

/// Verifies in a slot the caller holds (sign-in re-checks its throttle once the slot is
/// its own, before this). A `None` hash still spends the same work, so an unknown username
/// takes as long as a wrong password.
pub async fn verify_in(_slot: &Slot, password: String, hash: Option<String>) -> bool {
    let result = tokio::task::spawn_blocking(move || match hash {
        Some(h) => password_auth::verify_password(password, &h).is_ok(),
        None => {
            let _ = password_auth::verify_password(password, dummy_hash());
            false
        }
    })
    .await;
    matches!(result, Ok(true))
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| password_auth::generate_hash("not-a-real-password"))
}

pub async fn hash(password: String) -> String {
    let _permit = slots().acquire().await.expect("hashing semaphore is never closed");
    tokio::task::spawn_blocking(move || password_auth::generate_hash(password)).await.expect("hashing task panicked")
}

/// A readable one-time password: 12 characters without look-alikes (0/O, 1/l/I).
pub fn generate() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..12).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}
