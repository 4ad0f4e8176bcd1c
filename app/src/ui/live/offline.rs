//! The field pages without network: the service worker `public/field-sw.js` keeps the field
//! pages last seen and the files they need, so `/field` opens with no signal and shows the
//! inbox it last had. The worker is registered by hand (scope `/field` only): leptos-use's
//! helper takes no scope and reloads the page when a worker takes over.
use leptos::prelude::*;

/// The service worker's cache, which `forget_field_pages` empties.
#[cfg(feature = "hydrate")]
const CACHE: &str = "shezhi-field-v1";

/// Registers the worker for the field pages, then hands it this page and the files it loaded,
/// so that even a first visit is kept.
pub fn keep_field_pages() {
    #[cfg(feature = "hydrate")]
    browser::register();
}

/// Where the inbox last read from the server is kept: the kept page holds the inbox of the
/// visit that kept it, which may be older.
#[cfg(feature = "hydrate")]
const INBOX_KEY: &str = "shezhi.field.inbox";

/// Keeps the inbox just read, for opening without network.
pub fn remember_inbox(inbox: &crate::domain::case::Inbox) {
    #[cfg(feature = "hydrate")]
    if let (Some(s), Ok(json)) = (local(), serde_json::to_string(inbox)) {
        let _ = s.set_item(INBOX_KEY, &json);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = inbox;
}

/// The inbox last read on this phone, if any.
pub fn remembered_inbox() -> Option<crate::domain::case::Inbox> {
    #[cfg(feature = "hydrate")]
    {
        serde_json::from_str(&local()?.get_item(INBOX_KEY).ok()??).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    None
}

#[cfg(feature = "hydrate")]
fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Forgets the kept field pages and inbox: on a shared phone, the next person must not open
/// the last one's inbox offline.
pub fn forget_field_pages() {
    #[cfg(feature = "hydrate")]
    {
        if let Some(c) = web_sys::window().and_then(|w| w.caches().ok()) {
            let _ = c.delete(CACHE);
        }
        if let Some(s) = local() {
            let _ = s.remove_item(INBOX_KEY);
        }
    }
}

/// Whether the browser says it has a network, updated as it changes.
pub fn use_online() -> Signal<bool> {
    let online = RwSignal::new(true);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(w) = web_sys::window() {
            online.set(w.navigator().on_line());
        }
    });
    let on = window_event_listener(leptos::ev::online, move |_| online.set(true));
    let off = window_event_listener(leptos::ev::offline, move |_| online.set(false));
    on_cleanup(move || {
        on.remove();
        off.remove();
    });
    online.into()
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::js_sys::{Array, Object, Reflect};

    pub fn register() {
        let Some(w) = web_sys::window() else { return };
        // Service workers exist only on https or this machine; elsewhere the outbox still works.
        if !w.is_secure_context() || Reflect::get(&w.navigator(), &JsValue::from_str("serviceWorker")).map(|v| v.is_undefined()).unwrap_or(true) {
            return;
        }
        let opts = web_sys::RegistrationOptions::new();
        opts.set_scope("/field");
        let registered = w.navigator().service_worker().register_with_options("/field-sw.js", &opts);
        leptos::task::spawn_local(async move {
            let reg = match JsFuture::from(registered).await.map(|r| r.dyn_into::<web_sys::ServiceWorkerRegistration>()) {
                Ok(Ok(r)) => r,
                // A browser whose workers are switched off (an automated one) answers nothing.
                Ok(Err(_)) => return,
                Err(e) => {
                    leptos::logging::warn!("the field pages' offline worker was not registered: {e:?}");
                    return;
                }
            };
            // Not `navigator.serviceWorker.ready`: it never settles for a page that came to
            // /field from the sign-in page in place (its document began outside the scope).
            // A worker still installing takes messages too.
            let Some(worker) = reg.active().or_else(|| reg.waiting()).or_else(|| reg.installing()) else { return };
            let msg = Object::new();
            let _ = Reflect::set(&msg, &"type".into(), &"warm".into());
            let _ = Reflect::set(&msg, &"urls".into(), &loaded(&w));
            let _ = worker.post_message(&msg);
        });
    }

    /// This page's address and the files it loaded from this site (bundle, chunks, styles, icons).
    fn loaded(w: &web_sys::Window) -> Array {
        let urls = Array::new();
        if let Ok(href) = w.location().href() {
            urls.push(&JsValue::from_str(&href));
        }
        let origin = w.location().origin().unwrap_or_default();
        if let Some(p) = w.performance() {
            for e in p.get_entries_by_type("resource").iter() {
                let name = e.unchecked_into::<web_sys::PerformanceEntry>().name();
                if name.starts_with(&origin) {
                    urls.push(&JsValue::from_str(&name));
                }
            }
        }
        urls
    }
}
