//! A staff session's life on the server: it slides with activity and ends after the idle
//! time without any, or after the absolute lifetime whatever the activity (`signin`).

/// Whether a request at `now` should renew the session's idle deadline. Renewing is a write,
/// so it is done once a quarter of the idle time rather than on every request: the deadline
/// then never falls more than a quarter short of a full idle time after the last activity.
pub fn touch_due(last_touch_ms: Option<i64>, now_ms: i64, idle_ms: i64) -> bool {
    last_touch_ms.is_none_or(|t| now_ms - t >= idle_ms / 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activity_renews_the_session_once_a_quarter_of_the_idle_time() {
        let idle = 30 * 60 * 1000;
        assert!(touch_due(None, 0, idle));
        assert!(!touch_due(Some(0), idle / 4 - 1, idle));
        assert!(touch_due(Some(0), idle / 4, idle));
    }
}
