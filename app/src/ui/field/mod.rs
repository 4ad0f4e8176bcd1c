use crate::error::AppError;
use crate::i18n::*;
use crate::ui::auth::SignOut;
use crate::ui::components::{role_text, unit_kind_text, LangSwitch, PageTitle};
use crate::ui::errors::ErrorAlert;
use crate::domain::org::{Role, UnitKind};
use leptos::form::ActionForm;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The field worker's own card: who they are and which unit they answer for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldCard {
    pub display_name: String,
    pub role: Role,
    pub unit_name: Option<String>,
    pub unit_kind: Option<UnitKind>,
    pub area_name: Option<String>,
}

#[server(endpoint = "field/profile")]
pub async fn field_profile() -> Result<FieldCard, AppError> {
    use crate::domain::org::Role;
    let user = crate::server_ctx::require(Role::ALL).await?;
    let db = crate::server_ctx::db()?;
    let mut conn = db.pool.acquire().await?;
    let unit = match user.unit_id {
        Some(id) => crate::store::org::unit_by_id(&mut conn, id).await?,
        None => None,
    };
    Ok(FieldCard {
        display_name: user.display_name,
        role: user.role,
        unit_name: unit.as_ref().map(|u| u.name.clone()),
        unit_kind: unit.as_ref().map(|u| u.kind),
        area_name: unit.and_then(|u| u.area_name),
    })
}

/// The phone home: the inbox comes first; the profile card says whose inbox it is.
#[component]
pub fn FieldHome() -> impl IntoView {
    let i18n = use_i18n();
    let profile = Resource::new(|| (), |_| field_profile());
    let sign_out = ServerAction::<SignOut>::new();
    view! {
        <PageTitle key=|l| td_string!(l, field.title).to_string() />
        <div class="field-shell">
            <header class="field-top">
                <span class="field-title">{t!(i18n, field.title)}</span>
                <LangSwitch />
            </header>
            <main id="main" class="field-main">
                <Transition fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                    {move || profile.get().map(|r| match r {
                        Ok(p) => view! {
                            <section class="card profile" data-testid="field-profile">
                                <p class="profile-name">{p.display_name.clone()}</p>
                                <p class="muted">{move || role_text(i18n.get_locale(), p.role)}</p>
                                <p class="profile-unit">
                                    {p.unit_name.clone().unwrap_or_default()}
                                    {p.unit_kind.map(|k| view! { <span class="badge badge-blue">{move || unit_kind_text(i18n.get_locale(), k)}</span> })}
                                </p>
                                {p.area_name.clone().map(|a| view! { <p class="muted small">{a}</p> })}
                            </section>
                        }.into_any(),
                        Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                    })}
                </Transition>
                <section class="card inbox" aria-labelledby="inbox-heading">
                    <h2 id="inbox-heading">{t!(i18n, field.inbox)}</h2>
                    <p class="empty">{t!(i18n, field.inbox_empty)}</p>
                </section>
            </main>
            <nav class="field-bottom" aria-label=move || t_string!(i18n, nav.label).to_string()>
                <a href="/field" aria-current="page">{t!(i18n, field.nav_inbox)}</a>
                <ActionForm action=sign_out attr:class="inline">
                    <button type="submit" class="btn-nav">{t!(i18n, nav.sign_out)}</button>
                </ActionForm>
            </nav>
        </div>
    }
}
