//! Clocks on screen: they tick once a second in the browser, counted from the server's
//! "now" at render time, so a phone with a wrong clock still shows the right countdown.
//! The server alone decides when a deadline has passed; these only show it.
use leptos::prelude::*;

/// The server's time, ticking. Starts at `server_now_ms` (the same on the server's render
/// and at hydration, so both agree) and advances with the browser's clock from then on.
pub fn use_server_now(server_now_ms: i64) -> ReadSignal<i64> {
    let (now, set_now) = signal(server_now_ms);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        // Data kept from an earlier visit carries an old "now": count from this phone's clock.
        let offset = if is_stale(server_now_ms) { 0 } else { server_now_ms - js_now() };
        let tick = gloo_timers::callback::Interval::new(1000, move || set_now.set(js_now() + offset));
        let held = send_wrapper::SendWrapper::new(tick);
        on_cleanup(move || drop(held));
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = set_now;
    now
}

/// Data older than this when shown was kept from an earlier visit (a page opened offline),
/// not just read from the server.
pub const STALE_AFTER_MS: i64 = 60_000;

/// How old data stamped with the server's `server_now_ms` is by this phone's clock (0 on the
/// server, where data is read fresh).
pub fn age_of(server_now_ms: i64) -> i64 {
    #[cfg(feature = "hydrate")]
    {
        js_now() - server_now_ms
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = server_now_ms;
        0
    }
}

/// Whether the data was kept from an earlier visit: older than `STALE_AFTER_MS`.
pub fn is_stale(server_now_ms: i64) -> bool {
    age_of(server_now_ms) > STALE_AFTER_MS
}

#[cfg(feature = "hydrate")]
fn js_now() -> i64 {
    web_sys::js_sys::Date::now() as i64
}

/// `mm:ss`, or `h:mm:ss` from an hour on; negative amounts count as their size.
pub fn mmss(ms: i64) -> String {
    let s = ms.abs() / 1000;
    let (h, m, s) = (s / 3600, s % 3600 / 60, s % 60);
    if h > 0 { format!("{h}:{m:02}:{s:02}") } else { format!("{m:02}:{s:02}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countdowns_read_like_a_stopwatch() {
        assert_eq!(mmss(0), "00:00");
        assert_eq!(mmss(299_999), "04:59");
        assert_eq!(mmss(-61_000), "01:01");
        assert_eq!(mmss(3_600_000 + 5_000), "1:00:05");
    }
}
