//! SLA clock arithmetic. Instants are Unix milliseconds (UTC), durations milliseconds.
//! Nothing here reads the wall clock: callers pass `now`, so the server alone decides
//! when time is up and tests can walk through time freely.
use serde::{Deserialize, Serialize};

/// Warnings at 70 % and 90 % of the allowed time used (DESIGN.md).
pub const WARN_FIRST_PCT: i64 = 70;
pub const WARN_SECOND_PCT: i64 = 90;

coded_enum!(crate::domain::case::CaseError =>
    /// How far through its time a clock is; ordered from calm to late, so `max` finds the worst.
    SlaLevel { Normal => "normal", Warn70 => "warn70", Warn90 => "warn90", Overdue => "overdue" }
);

/// One countdown: a case's time to resolve, or an assignment's time to sign.
/// The deadline itself is still on time; overdue starts the millisecond after.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaClock {
    pub started_ms: i64,
    pub allowed_ms: i64,
    /// Sum of approved extensions.
    pub extended_ms: i64,
    /// Set when the work is done; the clock then reads as at that instant forever.
    pub stopped_ms: Option<i64>,
}

impl SlaClock {
    pub fn start(at_ms: i64, allowed_ms: i64) -> SlaClock {
        SlaClock { started_ms: at_ms, allowed_ms, extended_ms: 0, stopped_ms: None }
    }

    pub fn total_ms(&self) -> i64 {
        self.allowed_ms.saturating_add(self.extended_ms)
    }

    /// The last instant at which finishing still counts as on time.
    pub fn deadline_ms(&self) -> i64 {
        self.started_ms.saturating_add(self.total_ms())
    }

    /// The first instant at which `pct` % of the time is used. Computed in i128 and
    /// rounded up, so the level never turns a millisecond early.
    pub fn threshold_ms(&self, pct: i64) -> i64 {
        let part = (self.total_ms() as i128 * pct as i128 + 99) / 100;
        (self.started_ms as i128 + part).clamp(i64::MIN as i128, i64::MAX as i128) as i64
    }

    fn reading(&self, now_ms: i64) -> i64 {
        self.stopped_ms.map_or(now_ms, |s| s.min(now_ms))
    }

    pub fn used_ms(&self, now_ms: i64) -> i64 {
        self.reading(now_ms).saturating_sub(self.started_ms).max(0)
    }

    /// Time left; negative is how late it is.
    pub fn remaining_ms(&self, now_ms: i64) -> i64 {
        self.deadline_ms().saturating_sub(self.reading(now_ms))
    }

    /// Share of the time used in thousandths, for progress bars; above 1000 when late.
    pub fn used_permille(&self, now_ms: i64) -> i64 {
        let total = self.total_ms().max(1) as i128;
        (self.used_ms(now_ms) as i128 * 1000 / total).min(i64::MAX as i128) as i64
    }

    pub fn level(&self, now_ms: i64) -> SlaLevel {
        let t = self.reading(now_ms);
        if t > self.deadline_ms() {
            SlaLevel::Overdue
        } else if t >= self.threshold_ms(WARN_SECOND_PCT) {
            SlaLevel::Warn90
        } else if t >= self.threshold_ms(WARN_FIRST_PCT) {
            SlaLevel::Warn70
        } else {
            SlaLevel::Normal
        }
    }

    pub fn is_overdue(&self, now_ms: i64) -> bool {
        self.level(now_ms) == SlaLevel::Overdue
    }

    pub fn is_running(&self) -> bool {
        self.stopped_ms.is_none()
    }

    /// When the level next changes, so the scheduler can sleep until then rather than
    /// poll; None once the clock is stopped or already overdue.
    pub fn next_alarm_ms(&self, now_ms: i64) -> Option<i64> {
        if !self.is_running() {
            return None;
        }
        let due = self.deadline_ms().saturating_add(1);
        [self.threshold_ms(WARN_FIRST_PCT), self.threshold_ms(WARN_SECOND_PCT), due].into_iter().find(|t| *t > now_ms)
    }

    /// An approved extension: the same start, more time. Negative amounts are ignored
    /// because taking time away is not something an approval can do.
    pub fn extend(&mut self, ms: i64) {
        self.extended_ms = self.extended_ms.saturating_add(ms.max(0));
    }

    /// Stops once; a later stop keeps the first instant, so replaying is harmless.
    pub fn stop(&mut self, at_ms: i64) {
        if self.stopped_ms.is_none() {
            self.stopped_ms = Some(at_ms.max(self.started_ms));
        }
    }

    /// A fresh countdown of the same length from `at_ms` (a reopened case starts over).
    pub fn restart(&mut self, at_ms: i64) {
        *self = SlaClock::start(at_ms, self.allowed_ms);
    }

    /// Finished in time? Known only once stopped.
    pub fn on_time(&self) -> Option<bool> {
        self.stopped_ms.map(|s| s <= self.deadline_ms())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const H: i64 = 3_600_000;
    const T0: i64 = 1_700_000_000_000;

    #[test]
    fn deadline_is_the_received_instant_plus_the_allowed_time() {
        let c = SlaClock::start(T0, 2 * H);
        assert_eq!(c.deadline_ms(), T0 + 2 * H);
        assert_eq!(c.remaining_ms(T0 + H), H);
        assert_eq!(c.used_permille(T0 + H), 500);
    }

    #[test]
    fn an_emergency_warns_at_84_and_108_minutes() {
        let c = SlaClock::start(T0, 2 * H);
        let min = 60_000;
        assert_eq!(c.level(T0 + 84 * min - 1), SlaLevel::Normal);
        assert_eq!(c.level(T0 + 84 * min), SlaLevel::Warn70);
        assert_eq!(c.level(T0 + 108 * min - 1), SlaLevel::Warn70);
        assert_eq!(c.level(T0 + 108 * min), SlaLevel::Warn90);
    }

    #[test]
    fn the_deadline_itself_is_on_time_and_the_next_millisecond_is_overdue() {
        let c = SlaClock::start(T0, 2 * H);
        assert_eq!(c.level(T0 + 2 * H), SlaLevel::Warn90);
        assert!(c.is_overdue(T0 + 2 * H + 1));
        assert_eq!(c.remaining_ms(T0 + 3 * H), -H);
    }

    #[test]
    fn an_approved_extension_moves_the_deadline_and_can_lift_a_warning() {
        let mut c = SlaClock::start(T0, 10 * H);
        let now = T0 + 9 * H + 30 * 60_000;
        assert_eq!(c.level(now), SlaLevel::Warn90);
        c.extend(10 * H);
        assert_eq!(c.deadline_ms(), T0 + 20 * H);
        assert_eq!(c.level(now), SlaLevel::Normal);
        c.extend(-5 * H);
        assert_eq!(c.deadline_ms(), T0 + 20 * H, "an extension never shortens");
    }

    #[test]
    fn a_stopped_clock_reads_as_at_the_stop_forever() {
        let mut c = SlaClock::start(T0, 2 * H);
        c.stop(T0 + H);
        c.stop(T0 + 3 * H);
        assert_eq!(c.level(T0 + 100 * H), SlaLevel::Normal);
        assert_eq!(c.on_time(), Some(true));
        assert_eq!(c.next_alarm_ms(T0), None);
        let mut late = SlaClock::start(T0, 2 * H);
        late.stop(T0 + 2 * H + 1);
        assert_eq!(late.on_time(), Some(false));
        assert_eq!(SlaClock::start(T0, H).on_time(), None);
    }

    #[test]
    fn the_scheduler_is_woken_at_each_threshold_then_at_overdue() {
        let c = SlaClock::start(T0, 100_000);
        assert_eq!(c.next_alarm_ms(T0), Some(T0 + 70_000));
        assert_eq!(c.next_alarm_ms(T0 + 70_000), Some(T0 + 90_000));
        assert_eq!(c.next_alarm_ms(T0 + 90_000), Some(T0 + 100_001));
        assert_eq!(c.next_alarm_ms(T0 + 100_001), None);
    }

    #[test]
    fn a_restart_gives_the_full_time_again_without_old_extensions() {
        let mut c = SlaClock::start(T0, H);
        c.extend(H);
        c.stop(T0 + 3 * H);
        c.restart(T0 + 10 * H);
        assert_eq!(c, SlaClock::start(T0 + 10 * H, H));
    }

    proptest! {
        /// Time only makes things worse: the level never falls as `now` grows, and it
        /// turns exactly at the threshold instants the scheduler is told about.
        #[test]
        fn level_rises_with_time_and_turns_at_the_thresholds(
            start in -1_000_000_000_000i64..4_000_000_000_000,
            allowed in 1i64..400 * 86_400_000,
            a in 0i64..800 * 86_400_000,
            b in 0i64..800 * 86_400_000,
        ) {
            let c = SlaClock::start(start, allowed);
            let (early, late) = (start + a.min(b), start + a.max(b));
            prop_assert!(c.level(early) <= c.level(late));
            for t in [c.threshold_ms(WARN_FIRST_PCT), c.threshold_ms(WARN_SECOND_PCT), c.deadline_ms() + 1] {
                prop_assert!(c.level(t - 1) < c.level(t));
            }
            if let Some(alarm) = c.next_alarm_ms(early) {
                prop_assert!(alarm > early);
                prop_assert_eq!(c.level(early), c.level(alarm - 1));
                prop_assert!(c.level(alarm) > c.level(early));
            } else {
                prop_assert!(c.is_overdue(early));
            }
        }

        /// An approved extension never makes a clock look worse at any instant.
        #[test]
        fn an_extension_never_raises_the_level(
            allowed in 1i64..30 * 86_400_000,
            extra in 0i64..30 * 86_400_000,
            at in 0i64..90 * 86_400_000,
        ) {
            let c = SlaClock::start(T0, allowed);
            let mut e = c;
            e.extend(extra);
            prop_assert!(e.level(T0 + at) <= c.level(T0 + at));
            prop_assert_eq!(e.deadline_ms(), c.deadline_ms() + extra);
        }
    }
}
