use super::api::SignIn;
use crate::i18n::*;
use crate::ui::components::{LangSwitch, PageTitle};
use crate::ui::errors::ErrorText;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SignIn>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let error = move || action.value().get().and_then(|r| r.err());
    view! {
        <PageTitle key=|l| td_string!(l, signin.title).to_string() />
        <div class="signin-page">
            <div class="signin-top"><LangSwitch /></div>
            <main class="signin-card card" aria-labelledby="signin-heading">
                <div class="brand">
                    <img src="/favicon.svg" alt="" width="48" height="48" />
                    <div>
                        <p class="brand-name">{t!(i18n, app_name)}</p>
                        <h1 id="signin-heading">{t!(i18n, signin.title)}</h1>
                    </div>
                </div>
                <ActionForm action=action attr:class="form" attr:novalidate="novalidate">
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
                            {move || error().map(|e| view! { <ErrorText error=e /> })}
                        </p>
                    </Show>
                    <button type="submit" class="btn btn-primary btn-block" disabled=move || action.pending().get()>
                        {move || if action.pending().get() { t_string!(i18n, signin.submitting) } else { t_string!(i18n, signin.submit) }}
                    </button>
                </ActionForm>
                <p class="muted small">{t!(i18n, signin.help)}</p>
                <p class="small"><a href="/">{t!(i18n, signin.back_to_portal)}</a></p>
            </main>
        </div>
    }
}
