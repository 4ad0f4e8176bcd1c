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

/// Verifies a password against a stored hash. `None` hash still spends the same work,
/// so an unknown username takes as long as a wrong password.
pub async fn verify(password: String, hash: Option<String>) -> HashOutcome {
    let Ok(Ok(_permit)) = tokio::time::timeout(QUEUE_WAIT, slots().acquire()).await else {
        return HashOutcome::Busy;
    };
    let result = tokio::task::spawn_blocking(move || match hash {
        Some(h) => password_auth::verify_password(password, &h).is_ok(),
        None => {
            let _ = password_auth::verify_password(password, dummy_hash());
            false
        }
    })
    .await;
    match result {
        Ok(true) => HashOutcome::Match,
        _ => HashOutcome::NoMatch,
    }
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
