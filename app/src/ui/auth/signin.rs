use super::api::{SignIn, SignInError};
use crate::domain::signin::SignInRefusal;
use crate::i18n::*;
use crate::ui::components::{LangSwitch, PageTitle};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SignIn>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let error = move || action.value().get().and_then(|r| r.err());
    // A plain form posting to the server function (so it works without JavaScript), sent
    // by the action once hydrated. Not `ActionForm`: its generic form decoder (serde_qs)
    // would sit in the main bundle for this one form.
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            use leptos::wasm_bindgen::JsCast;
            let Some(form) = ev.target().and_then(|t| t.dyn_into::<leptos::web_sys::HtmlFormElement>().ok()) else { return };
            let Ok(data) = leptos::web_sys::FormData::new_with_form(&form) else { return };
            let field = |name: &str| data.get(name).as_string().unwrap_or_default();
            let next = Some(field("next")).filter(|n| !n.is_empty());
            action.dispatch(SignIn { username: field("username"), password: field("password"), next });
        }
    };
    view! {
        <PageTitle key=|l| td_string!(l, signin.title).to_string() />
        <div class="signin-page">
            <div class="signin-top">
                <LangSwitch />
            </div>
            <main class="signin-card card" aria-labelledby="signin-heading">
                <div class="brand">
                    <img src="/favicon.svg" alt="" width="48" height="48" />
                    <div>
                        <p class="brand-name">{t!(i18n, app_name)}</p>
                        <h1 id="signin-heading">{t!(i18n, signin.title)}</h1>
                    </div>
                </div>
                <form action=SignIn::url() method="post" class="form" novalidate="novalidate" on:submit=on_submit>
                    <input type="hidden" name="next" value=next />
                    <label class="field">
                        <span>{t!(i18n, signin.username)}</span>
                        <input name="username" autocomplete="username" required autocapitalize="none" spellcheck="false" />
                    </label>
                    <label class="field">
                        <span>{t!(i18n, signin.password)}</span>
                        <input name="password" type="password" autocomplete="current-password" required />
                    </label>
                    <Show when=move || error().is_some()>
                        <p class="alert alert-error" role="alert" data-testid="signin-error">
                            {move || error().map(|e| sign_in_error_text(i18n.get_locale(), &e))}
                        </p>
                    </Show>
                    <button type="submit" class="btn btn-primary btn-block" disabled=move || action.pending().get()>
                        {move || if action.pending().get() { t_string!(i18n, signin.submitting) } else { t_string!(i18n, signin.submit) }}
                    </button>
                </form>
                <p class="muted small">{t!(i18n, signin.help)}</p>
                <p class="small">
                    <a href="/">{t!(i18n, signin.back_to_portal)}</a>
                </p>
            </main>
        </div>
    }
}

/// The sign-in page's own wording of its errors (the same texts as `ui::errors::error_text`).
fn sign_in_error_text(l: Locale, e: &SignInError) -> String {
    match e {
        SignInError::Forbidden => td_string!(l, err.forbidden).to_string(),
        SignInError::SignIn(SignInRefusal::BadCredentials) => td_string!(l, err.bad_credentials).to_string(),
        SignInError::SignIn(SignInRefusal::Throttled(secs)) => format!("{}{secs}{}", td_string!(l, err.throttled), td_string!(l, err.seconds)),
        SignInError::SignIn(SignInRefusal::Busy) => td_string!(l, err.busy).to_string(),
        SignInError::TooManyRequests(secs) => format!("{}{secs}{}", td_string!(l, err.too_many_requests), td_string!(l, err.seconds)),
        SignInError::Internal => td_string!(l, err.internal).to_string(),
        SignInError::Transport(_) => td_string!(l, err.transport).to_string(),
    }
}
