//! The live feed in the browser: one `EventSource` on `/events` per page. The browser
//! reconnects by itself after a network loss and sends `Last-Event-ID`, so the server
//! replays what was missed. Pages refetch what they show when a notice arrives; the
//! server renders without a feed (nothing is live before hydration).
use crate::domain::notice::Notice;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Live {
    /// The latest notice, `None` before the first.
    pub notice: ReadSignal<Option<Notice>>,
    /// Whether the stream is open right now.
    pub connected: ReadSignal<bool>,
}

impl Live {
    /// The id of the latest notice `ours` accepts: a page refetches what it shows when it changes.
    pub fn pushed(self, ours: impl Fn(&Notice) -> bool + Send + Sync + 'static) -> Memo<Option<i64>> {
        Memo::new(move |_| self.notice.get().filter(|n| ours(n)).map(|n| n.id))
    }

    /// The id of the latest notice of `kind`.
    pub fn pushed_of(self, kind: &'static str) -> Memo<Option<i64>> {
        self.pushed(move |n| n.kind == kind)
    }
}

/// Opens the feed for the current page; it closes when the page goes away.
pub fn use_live() -> Live {
    let (notice, set_notice) = signal(None::<Notice>);
    let (connected, set_connected) = signal(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| browser::open(set_notice, set_connected));
    #[cfg(not(feature = "hydrate"))]
    let _ = (set_notice, set_connected);
    Live { notice, connected }
}

/// "Live" or "reconnecting", so an officer knows whether the screen can be trusted.
#[component]
pub fn LiveDot(live: Live) -> impl IntoView {
    use crate::i18n::*;
    let i18n = use_i18n();
    view! {
        <span class="live-dot" class:on=move || live.connected.get() data-testid="live" data-connected=move || live.connected.get().to_string() role="status">
            {move || if live.connected.get() { t_string!(i18n, palm.live) } else { t_string!(i18n, palm.offline) }}
        </span>
    }
}

/// Tells the person on the phone that something needs them now: vibration, a short tone
/// and, when they allowed it, a system notification.
pub fn ring(n: &Notice, heading: &str) {
    #[cfg(feature = "hydrate")]
    browser::ring(n, heading);
    #[cfg(not(feature = "hydrate"))]
    let _ = (n, heading);
}

/// Asks the browser for permission to show notifications (from a button: browsers want a gesture).
pub fn ask_notification_permission() {
    #[cfg(feature = "hydrate")]
    {
        let _ = web_sys::Notification::request_permission();
    }
}

/// Whether notifications are allowed already (false on the server and where unsupported).
pub fn notifications_allowed() -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::Notification::permission() == web_sys::NotificationPermission::Granted
    }
    #[cfg(not(feature = "hydrate"))]
    {
        false
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::*;
    use leptos::wasm_bindgen::{JsCast, closure::Closure};
    use send_wrapper::SendWrapper;

    pub fn open(set_notice: WriteSignal<Option<Notice>>, set_connected: WriteSignal<bool>) {
        let Ok(es) = web_sys::EventSource::new("/events") else { return };
        let on_notice = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            if let Some(n) = e.data().as_string().and_then(|d| serde_json::from_str::<Notice>(&d).ok()) {
                set_notice.set(Some(n));
            }
        });
        let _ = es.add_event_listener_with_callback("notice", on_notice.as_ref().unchecked_ref());
        let on_open = Closure::<dyn FnMut()>::new(move || set_connected.set(true));
        es.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        let on_error = Closure::<dyn FnMut()>::new(move || set_connected.set(false));
        es.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let held = SendWrapper::new((es, on_notice, on_open, on_error));
        on_cleanup(move || held.0.close());
    }

    pub fn ring(n: &Notice, heading: &str) {
        let Some(w) = web_sys::window() else { return };
        let _ = w.navigator().vibrate_with_duration(400);
        beep();
        if web_sys::Notification::permission() == web_sys::NotificationPermission::Granted {
            let opts = web_sys::NotificationOptions::new();
            let body = match &n.text {
                Some(t) => format!("{}\n{t}", n.title),
                None => n.title.clone(),
            };
            opts.set_body(&body);
            opts.set_tag(&format!("case-{}", n.case_id));
            let _ = web_sys::Notification::new_with_options(heading, &opts);
        }
    }

    /// Two short tones; silently nothing where audio is not allowed yet.
    fn beep() {
        let Ok(ctx) = web_sys::AudioContext::new() else { return };
        let (Ok(osc), Ok(gain)) = (ctx.create_oscillator(), ctx.create_gain()) else { return };
        osc.frequency().set_value(880.0);
        gain.gain().set_value(0.15);
        let t = ctx.current_time();
        let _ = osc.connect_with_audio_node(&gain).and_then(|_| gain.connect_with_audio_node(&ctx.destination()));
        let _ = osc.start_with_when(t);
        let _ = osc.stop_with_when(t + 0.35);
    }
}
