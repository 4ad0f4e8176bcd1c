//! Progress reports written without network: kept on the phone (in this page's memory,
//! photos included) and sent, oldest first, as soon as the browser says it is back online.
//! The count is shown in the field's frame, so nobody thinks a report was lost.
use leptos::prelude::*;

/// Reports waiting to be sent, for the field frame's line and the forms.
#[derive(Clone)]
pub struct Outbox {
    /// Reference-counted rather than owned by a page, so it outlives every route.
    pub waiting: ArcRwSignal<usize>,
}

/// The page's outbox. In the browser there is one for the page's whole life (the queue
/// outlives any one form or route), watching for the network to come back.
pub fn use_outbox() -> Outbox {
    #[cfg(feature = "hydrate")]
    {
        browser::outbox()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Outbox { waiting: ArcRwSignal::new(0) }
    }
}

/// Keeps a report whose sending failed for lack of network.
pub fn keep(form: &crate::ui::forms::Form) {
    #[cfg(feature = "hydrate")]
    browser::keep(form);
    #[cfg(not(feature = "hydrate"))]
    let _ = form;
}

/// A line in the frame while reports wait.
#[component]
pub fn OutboxStatus() -> impl IntoView {
    use crate::i18n::*;
    let i18n = use_i18n();
    let waiting = use_outbox().waiting;
    let shown = waiting.clone();
    view! {
        <p class="alert alert-warn outbox" class:hidden=move || shown.get() == 0 role="status" data-testid="outbox">
            {t!(i18n, palm.queued)}
            " · "
            {t!(i18n, palm.queued_count)}
            {move || waiting.get()}
        </p>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::*;
    use crate::error::AppError;
    use leptos::wasm_bindgen::{JsCast, closure::Closure};
    use std::cell::RefCell;

    thread_local! {
        static QUEUE: RefCell<Vec<web_sys::FormData>> = const { RefCell::new(Vec::new()) };
        static OUTBOX: RefCell<Option<Outbox>> = const { RefCell::new(None) };
    }

    /// Made once, outside any page's owner, so it lives as long as the page.
    pub fn outbox() -> Outbox {
        if let Some(o) = OUTBOX.with(|o| o.borrow().clone()) {
            return o;
        }
        let o = Outbox { waiting: ArcRwSignal::new(0) };
        OUTBOX.with(|cell| *cell.borrow_mut() = Some(o.clone()));
        watch();
        o
    }

    fn set_count() {
        let n = QUEUE.with(|q| q.borrow().len());
        if let Some(o) = OUTBOX.with(|o| o.borrow().clone()) {
            o.waiting.set(n);
        }
    }

    pub fn keep(form: &crate::ui::forms::Form) {
        QUEUE.with(|q| q.borrow_mut().push(form.raw().clone()));
        set_count();
    }

    /// Sends what waits, one after the other; stops at the first that fails for the network.
    fn flush() {
        let Some(next) = QUEUE.with(|q| q.borrow().first().cloned()) else { return };
        leptos::task::spawn_local(async move {
            match crate::ui::cases::api::act_on_case(next.into()).await {
                Err(AppError::Transport(_)) => {}
                // Sent, or refused for a reason the network does not change (shown nowhere
                // better than the case's history, which the feed redraws): either way done.
                _ => {
                    QUEUE.with(|q| {
                        let mut q = q.borrow_mut();
                        if !q.is_empty() {
                            q.remove(0);
                        }
                    });
                    set_count();
                    flush();
                }
            }
        });
    }

    fn watch() {
        let Some(w) = web_sys::window() else { return };
        let online = Closure::<dyn FnMut()>::new(flush);
        let _ = w.add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
        online.forget();
        // Also every 10 s: a phone may miss the event when the network comes back weakly.
        gloo_timers::callback::Interval::new(10_000, flush).forget();
    }
}
