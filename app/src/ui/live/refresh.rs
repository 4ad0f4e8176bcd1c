//! When a live page should read again: half a second after the first notice of a burst
//! (one read for many changes), after a reconnect, and every minute for figures that
//! change with the clock alone (overdue, today).
use super::feed::Live;
use leptos::prelude::*;

/// A counter that bumps when the page should read again.
pub fn use_refresh(live: Live) -> ReadSignal<u32> {
    let (version, set_version) = signal(0u32);
    #[cfg(feature = "hydrate")]
    {
        use std::time::Duration;
        let pending = RwSignal::new(false);
        let bump = move || set_version.update(|v| *v = v.wrapping_add(1));
        Effect::new(move |_| {
            if live.notice.with(|n| n.is_some()) && !pending.get_untracked() {
                pending.set(true);
                set_timeout(
                    move || {
                        pending.set(false);
                        bump();
                    },
                    Duration::from_millis(500),
                );
            }
        });
        // Catch up after a reconnect (a restart, a network loss): what was missed may be
        // more than the replayed notices say.
        Effect::new(move |was: Option<bool>| {
            let now = live.connected.get();
            if now && was == Some(false) {
                bump();
            }
            now
        });
        if let Ok(tick) = set_interval_with_handle(bump, Duration::from_secs(60)) {
            on_cleanup(move || tick.clear());
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (live, set_version);
    version
}
