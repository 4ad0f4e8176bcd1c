//! The wall's own stream (`/center/screen/events`): the whole screen when it connects, then
//! the deltas the server computes once for every wall, applied here. The browser reconnects
//! by itself after a restart or a network loss and is sent the whole screen again; a delta
//! that does not follow the reading held, or cannot be read (never expected), reopens the
//! stream.
use crate::domain::screen::Screen;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct WallFeed {
    /// The screen as last received; `None` until the stream has sent it.
    pub screen: RwSignal<Option<Screen>>,
    pub connected: ReadSignal<bool>,
}

pub fn use_wall_feed() -> WallFeed {
    let screen = RwSignal::new(None::<Screen>);
    let (connected, set_connected) = signal(false);
    #[cfg(feature = "hydrate")]
    {
        let restart = RwSignal::new(0u32);
        Effect::new(move |_| {
            restart.track();
            browser::open(screen, set_connected, restart);
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = set_connected;
    WallFeed { screen, connected }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::*;
    use crate::domain::screen_delta::ScreenDelta;
    use leptos::wasm_bindgen::{JsCast, closure::Closure};
    use send_wrapper::SendWrapper;
    use std::cell::Cell;
    use std::rc::Rc;

    #[derive(serde::Deserialize)]
    struct Whole {
        reading: u64,
        screen: Screen,
    }

    pub fn open(screen: RwSignal<Option<Screen>>, set_connected: WriteSignal<bool>, restart: RwSignal<u32>) {
        let Ok(es) = web_sys::EventSource::new("/center/screen/events") else { return };
        let reading = Rc::new(Cell::new(0u64));
        let held_reading = reading.clone();
        let on_whole = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            if let Some(w) = e.data().as_string().and_then(|d| serde_json::from_str::<Whole>(&d).ok()) {
                held_reading.set(w.reading);
                screen.set(Some(w.screen));
            }
        });
        let on_delta = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            // A delta this page cannot read is a change it would miss: start again from the whole.
            let Some(d) = e.data().as_string().and_then(|d| serde_json::from_str::<ScreenDelta>(&d).ok()) else {
                restart.update(|r| *r = r.wrapping_add(1));
                return;
            };
            let mut n = reading.get();
            let mut applied = false;
            screen.update(|s| applied = s.as_mut().is_some_and(|s| s.apply(d, &mut n)));
            reading.set(n);
            if !applied {
                restart.update(|r| *r = r.wrapping_add(1));
            }
        });
        let _ = es.add_event_listener_with_callback("screen", on_whole.as_ref().unchecked_ref());
        let _ = es.add_event_listener_with_callback("delta", on_delta.as_ref().unchecked_ref());
        let on_open = Closure::<dyn FnMut()>::new(move || set_connected.set(true));
        es.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        let on_error = Closure::<dyn FnMut()>::new(move || set_connected.set(false));
        es.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let held = SendWrapper::new((es, on_whole, on_delta, on_open, on_error));
        on_cleanup(move || held.0.close());
    }
}
