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

/// The phone frame: a title bar, the page, and the bottom navigation within thumb reach.
#[component]
pub fn FieldLayout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let sign_out = ServerAction::<SignOut>::new();
    let path = leptos_router::hooks::use_location().pathname;
    let current = move |href: &'static str| move || (path.get() == href).then_some("page");
    view! {
        <div class="field-shell">
            <header class="field-top">
                <span class="field-title">{t!(i18n, field.title)}</span>
                <LangSwitch />
            </header>
            <main id="main" class="field-main">{children()}</main>
            <nav class="field-bottom" aria-label=move || t_string!(i18n, nav.label).to_string()>
                <a href="/field" aria-current=current("/field")>{t!(i18n, field.nav_inbox)}</a>
                <a href="/field/report" aria-current=current("/field/report")>{t!(i18n, field.nav_report)}</a>
                <a href="/field/suggestions" aria-current=current("/field/suggestions")>{t!(i18n, field.nav_suggestions)}</a>
                <ActionForm action=sign_out attr:class="inline">
                    <button type="submit" class="btn-nav">{t!(i18n, nav.sign_out)}</button>
                </ActionForm>
            </nav>
        </div>
    }
}

/// The phone home: the inbox first, most urgent on top; the profile card says whose it is.
#[component]
pub fn FieldHome() -> impl IntoView {
    let i18n = use_i18n();
    let profile = Resource::new(|| (), |_| field_profile());
    view! {
        <PageTitle key=|l| td_string!(l, field.title).to_string() />
        <FieldLayout>
            <Inbox />
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
        </FieldLayout>
    }
}

/// The unit's cases still in its hands: to sign first, then to work on.
#[component]
fn Inbox() -> impl IntoView {
    use crate::domain::case::{CaseFilter, CaseStatus};
    use crate::ui::cases::api::list_cases;
    use crate::ui::cases::texts::{sla_badge, StatusBadge};
    let i18n = use_i18n();
    let cases = Resource::new(|| (), |_| list_cases(CaseFilter::default(), None));
    view! {
        <section class="card inbox" aria-labelledby="inbox-heading">
            <h2 id="inbox-heading">{t!(i18n, field.inbox)}</h2>
            <Transition fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
                {move || cases.get().map(|r| match r {
                    Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                    Ok(page) => {
                        let now = page.now_ms;
                        let mut open: Vec<_> = page.rows.into_iter().filter(|c| matches!(c.status, CaseStatus::Dispatched | CaseStatus::InProgress)).collect();
                        // Waiting for signatures first, then the nearest deadline.
                        open.sort_by_key(|c| (c.status != CaseStatus::Dispatched, c.deadline_ms));
                        if open.is_empty() {
                            return view! { <p class="empty">{t!(i18n, field.inbox_empty)}</p> }.into_any();
                        }
                        view! {
                            <ul class="inbox-list" data-testid="inbox">
                                {open.into_iter().map(|c| {
                                    let level = c.sla_level(now);
                                    view! {
                                        <li>
                                            <a class="inbox-item" href=format!("/field/cases/{}", c.id)>
                                                <span class="inbox-title">{c.title.clone()}</span>
                                                <span class="inbox-meta">
                                                    <StatusBadge status=c.status />
                                                    " "
                                                    <span class=move || sla_badge(i18n.get_locale(), level).0>{move || sla_badge(i18n.get_locale(), level).1}</span>
                                                </span>
                                                <span class="muted small">{c.area_name.clone().unwrap_or_default()} " · " {c.category_name.clone()}</span>
                                            </a>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                })}
            </Transition>
        </section>
    }
}
