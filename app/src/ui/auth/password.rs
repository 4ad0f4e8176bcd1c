//! Changing one's own password: required first when someone else chose it (the seed, an
//! admin, a reset), open to every signed-in person at any time.
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::components::{LangSwitch, PageTitle};
use crate::ui::errors::ErrorAlert;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Checks the current password, stores the new one, keeps the caller signed in (on the new
/// password) and sends them on to `next` or their home.
#[server(endpoint = "account/password")]
pub async fn change_password(current: String, new_password: String, repeated: String, next: Option<String>) -> Result<(), AppError> {
    use crate::auth::SessionUser;
    use crate::server_ctx::{auth_session, client_ip, db};
    let mut session = auth_session().await?;
    let me = session.user.clone().ok_or(AppError::Unauthorized)?;
    let ip = client_ip().await;
    let account = crate::service::account::change_password(&db()?, me.id, &current, &new_password, &repeated, ip.as_deref()).await?;
    let user = SessionUser::from(account);
    // The session carried the old password's hash; it is renewed (a fresh id too), other
    // sessions of the old password end.
    session.login(&user).await.map_err(|_| AppError::Internal)?;
    leptos_axum::redirect(&crate::domain::access::after_sign_in(next.as_deref().filter(|n| !n.starts_with("/account/")), user.role));
    Ok(())
}

#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ChangePassword>::new();
    let sign_out = ServerAction::<super::SignOut>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    // Sent here by the guard (with `next`) means the password was someone else's.
    let forced = move || query.read().get("next").is_some();
    view! {
        <PageTitle key=|l| td_string!(l, password.title).to_string() />
        <div class="signin-page">
            <div class="signin-top">
                <LangSwitch />
            </div>
            <main class="signin-card card" aria-labelledby="password-heading">
                <h1 id="password-heading">{t!(i18n, password.title)}</h1>
                <Show when=forced>
                    <p class="alert alert-info alert-lead" role="status" data-testid="must-change">
                        {t!(i18n, password.must_change)}
                    </p>
                </Show>
                <ActionForm action=action attr:class="form" attr:data-testid="password-form">
                    <input type="hidden" name="next" value=next />
                    <label class="field">
                        <span>{t!(i18n, password.current)}</span>
                        <input name="current" type="password" autocomplete="current-password" required />
                    </label>
                    <label class="field">
                        <span>{t!(i18n, password.new)}</span>
                        <input name="new_password" type="password" autocomplete="new-password" minlength="10" required />
                    </label>
                    <label class="field">
                        <span>{t!(i18n, password.repeat)}</span>
                        <input name="repeated" type="password" autocomplete="new-password" minlength="10" required />
                    </label>
                    {move || action.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorAlert error=e /> })}
                    <button type="submit" class="btn btn-primary btn-block" disabled=move || action.pending().get()>
                        {move || if action.pending().get() { t_string!(i18n, password.submitting) } else { t_string!(i18n, password.submit) }}
                    </button>
                </ActionForm>
                <ActionForm action=sign_out attr:class="inline">
                    <button type="submit" class="btn btn-ghost">
                        {t!(i18n, nav.sign_out)}
                    </button>
                </ActionForm>
            </main>
        </div>
    }
}
