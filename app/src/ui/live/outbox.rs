//! Reports and signatures written without network. Each is kept on the phone's disk
//! (IndexedDB, photos included), under the key its form gave it, until the server has
//! answered it; closing the tab or the browser loses nothing. They are sent oldest first as
//! soon as the network is back (when the page opens, on the browser's "online", and every
//! 10 s). A send whose answer is lost is sent again under the same key and filed once.
use crate::domain::case::CommandKind;
use crate::error::AppError;
use leptos::prelude::*;

/// One submission waiting for the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub case_id: i64,
    pub command: CommandKind,
}

/// A kept submission the server refused once it arrived (the case moved on meanwhile).
#[derive(Debug, Clone, PartialEq)]
pub struct Refused {
    pub command: CommandKind,
    pub error: AppError,
}

/// What waits, for the field frame's line, the inbox and the sign-out button.
#[derive(Clone)]
pub struct Outbox {
    /// Reference-counted rather than owned by a page, so it outlives every route.
    pub waiting: ArcRwSignal<Vec<Waiting>>,
    pub refused: ArcRwSignal<Vec<Refused>>,
    /// The session ended while the phone was offline: what waits goes after signing in again.
    pub signed_out: ArcRwSignal<bool>,
}

/// Whether a send that failed with `e` is tried again later rather than counted as answered:
/// no network, a session that lapsed while offline, a server restarting or busy. Anything
/// else is the server's answer to this very submission.
pub fn try_again_later(e: &AppError) -> bool {
    use crate::domain::signin::SignInRefusal;
    matches!(
        e,
        AppError::Transport(_)
            | AppError::Unauthorized
            | AppError::MustChangePassword
            | AppError::Internal
            | AppError::TooManyRequests(_)
            | AppError::SignIn(SignInRefusal::Busy)
    )
}

impl Outbox {
    fn new() -> Self {
        Outbox { waiting: ArcRwSignal::new(Vec::new()), refused: ArcRwSignal::new(Vec::new()), signed_out: ArcRwSignal::new(false) }
    }
}

/// The page's outbox. In the browser there is one for the page's whole life (the queue
/// outlives any one form or route), loaded from the phone's disk and watching the network.
pub fn use_outbox() -> Outbox {
    #[cfg(feature = "hydrate")]
    {
        browser::outbox()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Outbox::new()
    }
}

/// A fresh key for a submission: 128 random bits in hex (`domain::case::CommandKey`).
pub fn new_key() -> String {
    #[cfg(feature = "hydrate")]
    {
        let mut bytes = [0u8; 16];
        if let Some(c) = web_sys::window().and_then(|w| w.crypto().ok()) {
            let _ = c.get_random_values_with_u8_array(&mut bytes);
        }
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}

/// Keeps a submission whose sending failed for lack of network (the form carries its key).
pub fn keep(form: &crate::ui::forms::Form) {
    #[cfg(feature = "hydrate")]
    browser::keep(form);
    #[cfg(not(feature = "hydrate"))]
    let _ = form;
}

/// A line in the frame while submissions wait, and what the server refused of them.
#[component]
pub fn OutboxStatus() -> impl IntoView {
    use crate::i18n::*;
    use crate::ui::cases::texts::command_text;
    use crate::ui::errors::ErrorAlert;
    let i18n = use_i18n();
    let outbox = use_outbox();
    let (waiting, refused, signed_out) = (outbox.waiting.clone(), outbox.refused.clone(), outbox.signed_out.clone());
    let shown = waiting.clone();
    let count = waiting.clone();
    view! {
        <p class="alert alert-warn outbox" class:hidden=move || shown.with(|w| w.is_empty()) role="status" data-testid="outbox">
            {t!(i18n, palm.queued)}
            " · "
            {t!(i18n, palm.queued_count)}
            {move || count.with(|w| w.len())}
            {move || {
                (signed_out.get() && waiting.with(|w| !w.is_empty()))
                    .then(|| {
                        view! {
                            " · "
                            <a href="/signin?next=/field" data-testid="outbox-sign-in">
                                {t!(i18n, palm.queued_sign_in)}
                            </a>
                        }
                    })
            }}
        </p>
        {move || {
            refused
                .get()
                .into_iter()
                .map(|Refused { command, error }| {
                    view! {
                        <div class="outbox-refused" data-testid="outbox-refused">
                            <p class="small">{t!(i18n, palm.queued_refused)} " " {move || command_text(i18n.get_locale(), command)}</p>
                            <ErrorAlert error />
                        </div>
                    }
                })
                .collect_view()
        }}
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::*;
    use crate::ui::live::idb;
    use leptos::wasm_bindgen::{JsCast, JsValue, closure::Closure};
    use std::cell::{Cell, RefCell};
    use web_sys::js_sys::{Array, Object, Reflect};

    /// A submission as kept: its key, what it is for, and the form's fields in order (text,
    /// or the photo files themselves).
    #[derive(Clone)]
    struct Entry {
        key: String,
        at: f64,
        waiting: Waiting,
        fields: Array,
    }

    thread_local! {
        static QUEUE: RefCell<Vec<Entry>> = const { RefCell::new(Vec::new()) };
        static OUTBOX: RefCell<Option<Outbox>> = const { RefCell::new(None) };
        static SENDING: Cell<bool> = const { Cell::new(false) };
    }

    impl Entry {
        fn from_form(form: &web_sys::FormData) -> Option<Self> {
            let text = |n: &str| form.get(n).as_string().unwrap_or_default();
            let key = text("key");
            let waiting = Waiting { case_id: text("id").parse().ok()?, command: text("command").parse().ok()? };
            let fields = Array::new();
            for pair in web_sys::js_sys::try_iter(form).ok()??.flatten() {
                fields.push(&pair);
            }
            (!key.is_empty()).then(|| Entry { key, at: web_sys::js_sys::Date::now(), waiting, fields })
        }

        fn to_js(&self) -> JsValue {
            let o = Object::new();
            let set = |k: &str, v: &JsValue| {
                let _ = Reflect::set(&o, &JsValue::from_str(k), v);
            };
            set("key", &JsValue::from_str(&self.key));
            set("at", &JsValue::from_f64(self.at));
            set("case_id", &JsValue::from_f64(self.waiting.case_id as f64));
            set("command", &JsValue::from_str(self.waiting.command.code()));
            set("fields", &self.fields);
            o.into()
        }

        fn from_js(v: &JsValue) -> Option<Self> {
            let get = |k: &str| Reflect::get(v, &JsValue::from_str(k)).ok();
            Some(Entry {
                key: get("key")?.as_string()?,
                at: get("at")?.as_f64()?,
                waiting: Waiting { case_id: get("case_id")?.as_f64()? as i64, command: get("command")?.as_string()?.parse().ok()? },
                fields: get("fields")?.dyn_into().ok()?,
            })
        }

        /// The form again, files with their names.
        fn form(&self) -> web_sys::FormData {
            let f = web_sys::FormData::new().expect("FormData");
            for pair in self.fields.iter() {
                let pair: Array = pair.unchecked_into();
                let (name, value) = (pair.get(0).as_string().unwrap_or_default(), pair.get(1));
                let _ = match value.dyn_ref::<web_sys::File>() {
                    Some(file) => f.append_with_blob_and_filename(&name, file, &file.name()),
                    None => f.append_with_str(&name, &value.as_string().unwrap_or_default()),
                };
            }
            f
        }
    }

    /// Made once, outside any page's owner, so it lives as long as the page.
    pub fn outbox() -> Outbox {
        if let Some(o) = OUTBOX.with(|o| o.borrow().clone()) {
            return o;
        }
        let o = Outbox::new();
        OUTBOX.with(|cell| *cell.borrow_mut() = Some(o.clone()));
        leptos::task::spawn_local(async {
            // What an earlier visit kept (the tab was closed before the network came back).
            match idb::all().await {
                Ok(kept) => {
                    let mut kept: Vec<Entry> = kept.iter().filter_map(Entry::from_js).collect();
                    kept.sort_by(|a, b| a.at.total_cmp(&b.at));
                    QUEUE.with(|q| {
                        let mut q = q.borrow_mut();
                        for e in kept {
                            if !q.iter().any(|x| x.key == e.key) {
                                q.push(e);
                            }
                        }
                        q.sort_by(|a, b| a.at.total_cmp(&b.at));
                    });
                }
                Err(e) => leptos::logging::warn!("the phone's outbox could not be read: {e:?}"),
            }
            show();
            flush();
        });
        watch();
        o
    }

    fn show() {
        let w: Vec<Waiting> = QUEUE.with(|q| q.borrow().iter().map(|e| e.waiting.clone()).collect());
        if let Some(o) = OUTBOX.with(|o| o.borrow().clone()) {
            o.waiting.set(w);
        }
    }

    pub fn keep(form: &crate::ui::forms::Form) {
        let Some(entry) = Entry::from_form(form.raw()) else { return };
        let js = entry.to_js();
        QUEUE.with(|q| q.borrow_mut().push(entry));
        show();
        leptos::task::spawn_local(async move {
            if let Err(e) = idb::put(&js).await {
                // Still in this page's memory, and sent from there while the tab stays open.
                leptos::logging::warn!("the phone's outbox could not be written: {e:?}");
            }
        });
    }

    /// Sends what waits, one after the other; stops at the first that fails for the network.
    fn flush() {
        if SENDING.with(|s| s.replace(true)) {
            return;
        }
        leptos::task::spawn_local(async {
            while let Some(next) = QUEUE.with(|q| q.borrow().first().cloned()) {
                let answer = crate::ui::cases::api::act_on_case(next.form().into()).await;
                if let Some(o) = OUTBOX.with(|o| o.borrow().clone()) {
                    o.signed_out.set(matches!(answer, Err(AppError::Unauthorized | AppError::MustChangePassword)));
                }
                match answer {
                    Err(e) if try_again_later(&e) => break,
                    answer => {
                        // Filed, or refused for a reason the network does not change: either way
                        // answered, and never sent again. A refusal is shown to whoever kept it.
                        if let Err(error) = answer
                            && let Some(o) = OUTBOX.with(|o| o.borrow().clone())
                        {
                            o.refused.update(|r| r.push(Refused { command: next.waiting.command, error }));
                        }
                        QUEUE.with(|q| q.borrow_mut().retain(|e| e.key != next.key));
                        if let Err(e) = idb::delete(&next.key).await {
                            leptos::logging::warn!("a sent report stays on the phone's disk: {e:?}");
                        }
                        show();
                    }
                }
            }
            SENDING.with(|s| s.set(false));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::CaseError;

    #[test]
    fn only_the_servers_answer_to_the_submission_ends_it() {
        for later in [AppError::Transport("offline".into()), AppError::Unauthorized, AppError::Internal, AppError::TooManyRequests(3)] {
            assert!(try_again_later(&later), "{later:?}");
        }
        for answered in [
            AppError::NotFound,
            AppError::Forbidden,
            AppError::Case(CaseError::BadCommandKey),
            AppError::Case(CaseError::Finished(crate::domain::case::CaseStatus::Closed)),
        ] {
            assert!(!try_again_later(&answered), "{answered:?}");
        }
    }
}
