//! Sign-in policy: lock-out after repeated failures, session lifetimes.
use serde::{Deserialize, Serialize};

pub const MAX_FAILED_ATTEMPTS: i64 = 5;
pub const LOCKOUT_MS: i64 = 15 * 60 * 1000;

/// What the register must remember after one failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AfterFailure {
    pub failed_attempts: i64,
    pub locked_until: Option<i64>,
}

/// The fifth failure in a row locks the account; the count starts again after the lock.
pub fn after_failure(failed_before: i64, now_ms: i64) -> AfterFailure {
    let failed = failed_before + 1;
    if failed >= MAX_FAILED_ATTEMPTS {
        AfterFailure { failed_attempts: 0, locked_until: Some(now_ms + LOCKOUT_MS) }
    } else {
        AfterFailure { failed_attempts: failed, locked_until: None }
    }
}

pub fn is_locked(locked_until: Option<i64>, now_ms: i64) -> bool {
    locked_until.is_some_and(|t| t > now_ms)
}

/// Why a sign-in was refused. Deliberately does not say whether the username exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignInRefusal {
    BadCredentials,
    Locked,
    Busy,
}

/// Absolute session lifetime, whatever the activity (idle timeout is separate).
pub fn session_expired(signed_in_at_ms: i64, now_ms: i64, absolute_ms: i64) -> bool {
    now_ms - signed_in_at_ms > absolute_ms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifth_failure_locks_for_fifteen_minutes() {
        let mut failed = 0;
        for _ in 0..4 {
            let a = after_failure(failed, 1_000);
            assert_eq!(a.locked_until, None);
            failed = a.failed_attempts;
        }
        let a = after_failure(failed, 1_000);
        assert_eq!(a.locked_until, Some(1_000 + 15 * 60 * 1000));
        assert!(is_locked(a.locked_until, 1_000 + 15 * 60 * 1000 - 1));
        assert!(!is_locked(a.locked_until, 1_000 + 15 * 60 * 1000));
    }

    #[test]
    fn absolute_timeout_applies_even_to_active_sessions() {
        assert!(!session_expired(0, 1000, 1000));
        assert!(session_expired(0, 1001, 1000));
    }

    proptest::proptest! {
        /// However failures interleave, an account is never locked before its fifth
        /// consecutive failure and always is at it.
        #[test]
        fn lock_comes_exactly_at_the_fifth_failure(start in 0i64..1_000_000_000, n in 1usize..30) {
            let mut failed = 0;
            for i in 1..=n {
                let a = after_failure(failed, start);
                let expect_lock = i % 5 == 0;
                proptest::prop_assert_eq!(a.locked_until.is_some(), expect_lock);
                failed = a.failed_attempts;
            }
        }
    }
}
