//! `/center/admin/categories`: each category's time terms — to resolve, to sign, the second
//! escalation of a palm command, the listing proposal — and whether it is in use. New cases take
//! the terms at intake; running cases keep theirs. And the department each category's cases
//! usually go to, which the palm command's launch suggests beside the place's own units.
use crate::domain::case::Category;
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::cases::texts::{duration_text, kind_text};
use crate::ui::center::CenterLayout;
use crate::ui::components::{ActiveBadge, PageTitle, SaveCancel};
use crate::ui::errors::ErrorAlert;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[server(endpoint = "admin/categories/list")]
pub async fn list_categories() -> Result<Vec<Category>, AppError> {
    crate::server_ctx::require(crate::domain::access::ADMIN).await?;
    crate::service::categories::all(&crate::server_ctx::db()?).await
}

/// The units a category may route to.
#[server(endpoint = "admin/categories/units")]
pub async fn list_departments() -> Result<Vec<crate::domain::org::UnitChoice>, AppError> {
    crate::server_ctx::require(crate::domain::access::ADMIN).await?;
    crate::service::org::unit_choices(&crate::server_ctx::db()?, |_| true).await
}

#[server(endpoint = "admin/categories/save")]
pub async fn save_category(
    code: String,
    allowed_hours: String,
    ack_minutes: String,
    again_minutes: String,
    list_after_hours: String,
    active: Option<String>,
    department: Option<String>,
) -> Result<(), AppError> {
    use crate::server_ctx::{actor, db, require};
    let user = require(crate::domain::access::ADMIN).await?;
    // Hours may have decimals (0.5 is half an hour); anything unreadable is refused whole.
    let ms = |raw: &str, unit_ms: f64| -> Result<i64, AppError> {
        match raw.trim().parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 && v * unit_ms < i64::MAX as f64 => Ok((v * unit_ms).round() as i64),
            _ => Err(crate::domain::case::CaseError::BadTimeLimit.into()),
        }
    };
    let input = crate::service::categories::TermsInput {
        allowed_ms: ms(&allowed_hours, 3_600_000.0)?,
        ack_ms: ms(&ack_minutes, 60_000.0)?,
        escalate_again_ms: ms(&again_minutes, 60_000.0)?,
        list_after_ms: ms(&list_after_hours, 3_600_000.0)?,
        active: active.is_some(),
        department_id: match department.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(d) => Some(d.parse().map_err(|_| crate::domain::case::CaseError::UnknownCode(d.chars().take(20).collect()))?),
        },
    };
    crate::service::categories::save_terms(&db()?, &actor(&user).await, &code, input).await.map(|_| ())
}

/// A number of `unit_ms` as the form shows it: whole when it is, else to two decimals.
fn amount(ms: i64, unit_ms: i64) -> String {
    if ms % unit_ms == 0 { (ms / unit_ms).to_string() } else { format!("{:.2}", ms as f64 / unit_ms as f64) }
}

#[component]
pub fn CategoriesPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveCategory>::new();
    let categories = Resource::new(move || save.version().get(), |_| list_categories());
    let units = Resource::new(|| (), |_| list_departments());
    let editing = RwSignal::new(None::<Category>);
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(_))) {
            editing.set(None);
        }
    });
    let field = move |f: fn(&Category) -> String| move || editing.get().map(|c| f(&c)).unwrap_or_default();
    let l = move || i18n.get_locale();
    view! {
        <PageTitle key=|l| td_string!(l, categories.title).to_string() />
        <CenterLayout>
            <h1>{t!(i18n, categories.title)}</h1>
            <p class="muted">{t!(i18n, categories.intro)}</p>
            <Show when=move || editing.with(Option::is_some)>
                <section class="card">
                    <h2>{t!(i18n, categories.edit)} " " {field(|c| c.name.clone())}</h2>
                    <ActionForm action=save attr:class="form form-row" attr:data-testid="category-form">
                        <input type="hidden" name="code" prop:value=field(|c| c.code.clone()) />
                        <label class="field">
                            <span>{t!(i18n, categories.allowed_hours)}</span>
                            <input name="allowed_hours" required inputmode="decimal" prop:value=field(|c| amount(c.allowed_ms, 3_600_000)) />
                        </label>
                        <label class="field">
                            <span>{t!(i18n, categories.ack_minutes)}</span>
                            <input name="ack_minutes" required inputmode="decimal" prop:value=field(|c| amount(c.ack_ms, 60_000)) />
                        </label>
                        <label class="field">
                            <span>{t!(i18n, categories.again_minutes)}</span>
                            <input name="again_minutes" required inputmode="decimal" prop:value=field(|c| amount(c.escalate_again_ms, 60_000)) />
                        </label>
                        <label class="field">
                            <span>{t!(i18n, categories.list_after_hours)}</span>
                            <input name="list_after_hours" required inputmode="decimal" prop:value=field(|c| amount(c.list_after_ms, 3_600_000)) />
                        </label>
                        <label class="field">
                            <span>{t!(i18n, categories.department)}</span>
                            <select
                                name="department"
                                data-testid="category-department"
                                prop:value=move || editing.get().and_then(|c| c.department_id).map(|d| d.to_string()).unwrap_or_default()
                            >
                                <option value="" selected=move || editing.get().is_some_and(|c| c.department_id.is_none())>
                                    {t!(i18n, categories.no_department)}
                                </option>
                                <Transition>
                                    {move || {
                                        units
                                            .get()
                                            .and_then(Result::ok)
                                            .map(|list| {
                                                list.into_iter()
                                                    .map(|u| {
                                                        let id = u.id;
                                                        view! {
                                                            <option value=id selected=move || editing.get().is_some_and(|c| c.department_id == Some(id))>
                                                                {u.name}
                                                            </option>
                                                        }
                                                    })
                                                    .collect_view()
                                            })
                                    }}
                                </Transition>
                            </select>
                        </label>
                        <label class="check">
                            <input type="checkbox" name="active" value="yes" prop:checked=move || editing.get().is_some_and(|c| c.active) />
                            {t!(i18n, categories.in_use)}
                        </label>
                        <SaveCancel editing />
                    </ActionForm>
                </section>
            </Show>
            {move || save.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorAlert error=e /> })}
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    categories
                        .get()
                        .map(|r| match r {
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                            Ok(list) => {
                                view! {
                                    <div tabindex="0" class="table-wrap card">
                                        <table class="table" data-testid="categories-table">
                                            <thead>
                                                <tr>
                                                    <th scope="col">{t!(i18n, common.name)}</th>
                                                    <th scope="col">{t!(i18n, case.kind)}</th>
                                                    <th scope="col">{t!(i18n, categories.allowed)}</th>
                                                    <th scope="col">{t!(i18n, categories.ack)}</th>
                                                    <th scope="col">{t!(i18n, categories.again)}</th>
                                                    <th scope="col">{t!(i18n, categories.list_after)}</th>
                                                    <th scope="col">{t!(i18n, categories.department)}</th>
                                                    <th scope="col">{t!(i18n, common.status)}</th>
                                                    <th scope="col">{t!(i18n, common.actions)}</th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {list
                                                    .into_iter()
                                                    .map(|c| {
                                                        let edit = c.clone();
                                                        let department = c.department_id;
                                                        view! {
                                                            <tr data-testid="category-row" data-code=c.code.clone()>
                                                                <td>{c.name.clone()}</td>
                                                                <td>{move || kind_text(l(), c.kind)}</td>
                                                                <td class="nowrap">{move || duration_text(l(), c.allowed_ms)}</td>
                                                                <td class="nowrap">{move || duration_text(l(), c.ack_ms)}</td>
                                                                <td class="nowrap">{move || duration_text(l(), c.escalate_again_ms)}</td>
                                                                <td class="nowrap">{move || duration_text(l(), c.list_after_ms)}</td>
                                                                <td data-testid="category-department-name">
                                                                    {move || {
                                                                        department
                                                                            .and_then(|d| {
                                                                                units
                                                                                    .get()
                                                                                    .and_then(Result::ok)
                                                                                    .and_then(|u| u.into_iter().find(|u| u.id == d))
                                                                                    .map(|u| u.name)
                                                                            })
                                                                            .unwrap_or_else(|| "—".into())
                                                                    }}
                                                                </td>
                                                                <td>
                                                                    <ActiveBadge active=c.active />
                                                                </td>
                                                                <td class="actions">
                                                                    <button
                                                                        type="button"
                                                                        class="btn btn-small"
                                                                        on:click=move |_| editing.set(Some(edit.clone()))
                                                                    >
                                                                        {t!(i18n, common.edit)}
                                                                    </button>
                                                                </td>
                                                            </tr>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
            <super::routing_model::RoutingModelCard />
        </CenterLayout>
    }
}
