//! Sign-in policy: a progressive delay after repeated failures (never a lock a stranger can
//! keep closed), the caps on what one attempt may cost, and session lifetimes.
//!
//! Failures are counted per account name (whether or not the account exists, so the answer
//! says nothing about existence) and per client address. A few failures are free; after
//! them each further attempt must wait twice as long as the one before, up to a cap, and
//! quiet time forgives failures one by one. A success clears the name's count.
use serde::{Deserialize, Serialize};

/// How one kind of key (a name, an address) is slowed down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttle {
    /// Failures before the first wait: the attempt after the last free one waits.
    pub free_failures: i64,
    /// The wait after the first failure beyond the free ones; doubled for each further one.
    pub first_delay_ms: i64,
    /// No attempt ever waits longer than this.
    pub max_delay_ms: i64,
    /// Each this much quiet after the last failure forgives one failure.
    pub forgive_ms: i64,
}

/// One account name: after 3 failures each further attempt waits 1 s, 2 s, 4 s … up to 15
/// minutes after the failure before it; a quarter of an hour of quiet forgives one failure.
pub const PER_NAME: Throttle = Throttle { free_failures: 3, first_delay_ms: 1000, max_delay_ms: 15 * 60 * 1000, forgive_ms: 15 * 60 * 1000 };

/// One client address: a whole office may sit behind it and mistype, so 20 failures are free
/// and a minute of quiet forgives one; a guesser trying many names still slows down.
pub const PER_ADDRESS: Throttle = Throttle { free_failures: 20, first_delay_ms: 1000, max_delay_ms: 15 * 60 * 1000, forgive_ms: 60 * 1000 };

/// Longer names are refused before any work (ours are at most 32 characters).
pub const MAX_USERNAME_CHARS: usize = 64;
/// Longer passwords are refused before hashing: hashing megabytes is a CPU attack.
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// Failed-sign-in audit rows one address may cause per minute; beyond them the failures are
/// counted and the count is written with the next row.
pub const AUDIT_ROWS_PER_MINUTE: i64 = 10;
pub const AUDIT_WINDOW_MS: i64 = 60 * 1000;

/// What is remembered about one key's failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub failures: i64,
    /// When the last failure was counted (Unix ms); meaningless while `failures` is 0.
    pub last_failure_at: i64,
}

impl Throttle {
    /// The wait owed after `failures` failures (0 while they are free).
    pub fn delay_ms(&self, failures: i64) -> i64 {
        if failures < self.free_failures {
            return 0;
        }
        // first × 2^(failures - free), without overflowing for absurd counts.
        let doublings = (failures - self.free_failures).min(40) as u32;
        self.first_delay_ms.saturating_mul(1i64 << doublings).min(self.max_delay_ms)
    }

    /// Milliseconds until an attempt is allowed (0: now). The wait runs from the last failure.
    pub fn wait_ms(&self, t: Tally, now_ms: i64) -> i64 {
        if t.failures <= 0 {
            return 0;
        }
        (t.last_failure_at + self.delay_ms(t.failures) - now_ms).max(0)
    }

    /// The failures still held against the key at `now_ms`, after quiet time forgave some.
    pub fn standing(&self, t: Tally, now_ms: i64) -> i64 {
        let quiet = (now_ms - t.last_failure_at).max(0);
        (t.failures - quiet / self.forgive_ms).max(0)
    }

    /// The tally after one more failure at `now_ms`.
    pub fn after_failure(&self, t: Tally, now_ms: i64) -> Tally {
        Tally { failures: self.standing(t, now_ms) + 1, last_failure_at: now_ms }
    }

    /// Whether quiet time has forgiven every failure, so the record may be forgotten.
    pub fn forgotten(&self, t: Tally, now_ms: i64) -> bool {
        self.standing(t, now_ms) == 0 && self.wait_ms(t, now_ms) == 0
    }
}

/// Whole seconds to tell the caller (rounded up, at least 1).
pub fn retry_after_secs(wait_ms: i64) -> u64 {
    ((wait_ms.max(1) + 999) / 1000) as u64
}

/// Whether an attempt is refused before any work for its size alone.
pub fn oversized(username: &str, password: &str) -> bool {
    username.chars().count() > MAX_USERNAME_CHARS || password.len() > MAX_PASSWORD_BYTES
}

/// One address's audit budget: rows written in the current window, and failures not written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AuditBudget {
    pub window_at: i64,
    pub rows: i64,
    pub unlisted: i64,
}

/// Whether one more failure from this address gets its own audit row, and the budget after.
/// When it does, the row also carries how many failures went unlisted before it.
pub fn audit_failure(b: AuditBudget, now_ms: i64) -> (bool, AuditBudget) {
    let b = if now_ms - b.window_at >= AUDIT_WINDOW_MS { AuditBudget { window_at: now_ms, rows: 0, ..b } } else { b };
    if b.rows < AUDIT_ROWS_PER_MINUTE {
        (true, AuditBudget { rows: b.rows + 1, unlisted: 0, ..b })
    } else {
        (false, AuditBudget { unlisted: b.unlisted + 1, ..b })
    }
}

/// Why a sign-in was refused. Deliberately does not say whether the username exists: a name
/// with no account is counted, slowed and answered exactly like one with an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignInRefusal {
    BadCredentials,
    /// Too many recent failures for this name or from this address: try again after this many seconds.
    Throttled(u64),
    Busy,
}

/// Absolute session lifetime, whatever the activity (idle timeout is separate).
pub fn session_expired(signed_in_at_ms: i64, now_ms: i64, absolute_ms: i64) -> bool {
    now_ms - signed_in_at_ms > absolute_ms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fail(th: &Throttle, n: usize, at: i64) -> Tally {
        (0..n).fold(Tally::default(), |t, _| th.after_failure(t, at))
    }

    #[test]
    fn three_failures_are_free_then_the_wait_doubles_up_to_fifteen_minutes() {
        let delays: Vec<i64> = (0..8).map(|n| PER_NAME.delay_ms(n)).collect();
        assert_eq!(delays, vec![0, 0, 0, 1000, 2000, 4000, 8000, 16000]);
        assert_eq!(PER_NAME.delay_ms(1_000_000), 15 * 60 * 1000);
        let t = fail(&PER_NAME, 2, 5_000);
        assert_eq!(PER_NAME.wait_ms(t, 5_000), 0, "the third attempt may come at once");
        let t = PER_NAME.after_failure(t, 5_000);
        assert_eq!(PER_NAME.wait_ms(t, 5_000), 1000, "the fourth waits a second");
        assert_eq!(PER_NAME.wait_ms(t, 5_999), 1);
        assert_eq!(PER_NAME.wait_ms(t, 6_000), 0);
    }

    #[test]
    fn quiet_time_forgives_failures_one_by_one() {
        let t = fail(&PER_NAME, 6, 0);
        assert_eq!(PER_NAME.standing(t, PER_NAME.forgive_ms - 1), 6);
        assert_eq!(PER_NAME.standing(t, PER_NAME.forgive_ms), 5);
        assert!(PER_NAME.forgotten(t, 6 * PER_NAME.forgive_ms));
        assert!(!PER_NAME.forgotten(t, 5 * PER_NAME.forgive_ms));
        assert_eq!(PER_NAME.after_failure(t, 2 * PER_NAME.forgive_ms).failures, 5);
    }

    #[test]
    fn retry_after_is_whole_seconds_rounded_up() {
        assert_eq!(retry_after_secs(1), 1);
        assert_eq!(retry_after_secs(1000), 1);
        assert_eq!(retry_after_secs(1001), 2);
        assert_eq!(retry_after_secs(0), 1);
    }

    #[test]
    fn oversized_names_and_passwords_are_refused_before_work() {
        assert!(!oversized(&"a".repeat(64), &"p".repeat(1024)));
        assert!(oversized(&"a".repeat(65), "p"));
        assert!(oversized("a", &"p".repeat(1025)));
        // Characters for names, bytes for passwords: 64 Chinese characters are still a name.
        assert!(!oversized(&"名".repeat(64), "p"));
    }

    #[test]
    fn an_address_writes_ten_rows_a_minute_and_counts_the_rest() {
        let mut b = AuditBudget::default();
        let mut written = 0;
        for _ in 0..25 {
            let (write, next) = audit_failure(b, 1_000);
            written += write as i64;
            b = next;
        }
        assert_eq!((written, b.unlisted), (10, 15));
        let (write, b) = audit_failure(b, 1_000 + AUDIT_WINDOW_MS);
        assert!(write, "a new minute writes again");
        assert_eq!(b.unlisted, 0, "the row carried the count");
    }

    #[test]
    fn absolute_timeout_applies_even_to_active_sessions() {
        assert!(!session_expired(0, 1000, 1000));
        assert!(session_expired(0, 1001, 1000));
    }

    proptest::proptest! {
        /// Whatever the failures and their timing, an attempt is never made to wait more than
        /// the cap, and once the cap has passed since the last failure it is always allowed:
        /// nobody can keep an account closed for ever, only slow its guessing down.
        #[test]
        fn no_failure_pattern_locks_for_longer_than_the_cap(
            gaps in proptest::collection::vec(0i64..2_000_000, 1..60),
            which in 0usize..2,
        ) {
            let th = [PER_NAME, PER_ADDRESS][which];
            let (mut t, mut now) = (Tally::default(), 1_000_000_000i64);
            for gap in gaps {
                now += gap;
                let wait = th.wait_ms(t, now);
                proptest::prop_assert!(wait <= th.max_delay_ms);
                proptest::prop_assert_eq!(th.wait_ms(t, t.last_failure_at + th.max_delay_ms), 0);
                if wait == 0 {
                    t = th.after_failure(t, now);
                }
            }
        }

        /// Back-to-back failures: the free ones never wait, each further one waits at least as
        /// long as the one before, and the waits double until the cap.
        #[test]
        fn waits_grow_and_double_after_the_free_failures(n in 1usize..80, at in 0i64..1_000_000_000) {
            let mut prev = 0;
            for i in 1..=n as i64 {
                let t = fail(&PER_NAME, i as usize, at);
                let wait = PER_NAME.wait_ms(t, at);
                if i < PER_NAME.free_failures {
                    proptest::prop_assert_eq!(wait, 0);
                } else {
                    proptest::prop_assert!(wait >= prev);
                    proptest::prop_assert!(wait == PER_NAME.max_delay_ms || prev == 0 || wait == 2 * prev);
                }
                prev = wait;
            }
        }
    }
}
