use crate::domain::org::{Area, AreaLevel};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::center::CenterLayout;
use crate::ui::components::{ActiveBadge, PageTitle, SaveCancel, area_level_text};
use crate::ui::errors::ErrorAlert;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[server(endpoint = "admin/areas/list")]
pub async fn list_areas() -> Result<Vec<Area>, AppError> {
    crate::server_ctx::require(crate::domain::access::ADMIN).await?;
    crate::service::org::areas(&crate::server_ctx::db()?).await
}

/// Creates an area under `parent_id` (its level follows the parent's), or renames area `id`.
#[server(endpoint = "admin/areas/save")]
pub async fn save_area(id: Option<i64>, parent_id: String, name: String) -> Result<i64, AppError> {
    use crate::server_ctx::{actor, db, require};
    let user = require(crate::domain::access::ADMIN).await?;
    let db = db()?;
    let parent_id = crate::ui::forms::parse_optional_id(&parent_id)?;
    crate::service::org::save_area(&db, &actor(&user).await, id, parent_id, None, &name).await
}

#[server(endpoint = "admin/areas/active")]
pub async fn set_area_active(id: i64, active: bool) -> Result<(), AppError> {
    use crate::server_ctx::{actor, db, require};
    let user = require(crate::domain::access::ADMIN).await?;
    crate::service::org::set_area_active(&db()?, &actor(&user).await, id, active).await
}

fn depth(level: AreaLevel) -> usize {
    match level {
        AreaLevel::District => 0,
        AreaLevel::Township => 1,
        AreaLevel::Village => 2,
        AreaLevel::Grid => 3,
    }
}

#[component]
pub fn AreasPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveArea>::new();
    let toggle = ServerAction::<SetAreaActive>::new();
    let areas = Resource::new(move || (save.version().get(), toggle.version().get()), |_| list_areas());
    let editing = RwSignal::new(None::<Area>);
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(_))) {
            editing.set(None);
        }
    });
    let error = move || save.value().get().and_then(|r| r.err()).or_else(|| toggle.value().get().and_then(|r| r.err()));
    view! {
        <PageTitle key=|l| td_string!(l, areas.title).to_string() />
        <CenterLayout>
            <h1>{t!(i18n, areas.title)}</h1>
            <section class="card">
                <h2>{move || if editing.get().is_some() { t_string!(i18n, areas.edit) } else { t_string!(i18n, areas.create) }}</h2>
                <ActionForm action=save attr:class="form form-row">
                    {move || editing.get().map(|a| view! { <input type="hidden" name="id" value=a.id /> })}
                    <label class="field">
                        <span>{t!(i18n, areas.parent)}</span>
                        <select name="parent_id" disabled=move || editing.get().is_some()>
                            <option value="">{t!(i18n, areas.no_parent)}</option>
                            <Transition fallback=|| ()>
                                {move || {
                                    areas
                                        .get()
                                        .and_then(|r| r.ok())
                                        .unwrap_or_default()
                                        .into_iter()
                                        .filter(|a| a.active && a.level.child().is_some())
                                        .map(|a| view! { <option value=a.id>{"\u{3000}".repeat(depth(a.level))}{a.name}</option> })
                                        .collect_view()
                                }}
                            </Transition>
                        </select>
                    </label>
                    <label class="field">
                        <span>{t!(i18n, common.name)}</span>
                        <input name="name" required maxlength="60" prop:value=move || editing.get().map(|a| a.name).unwrap_or_default() />
                    </label>
                    <SaveCancel editing />
                </ActionForm>
                {move || error().map(|e| view! { <ErrorAlert error=e /> })}
            </section>
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    areas
                        .get()
                        .map(|r| match r {
                            Ok(list) => {
                                view! {
                                    <div tabindex="0" class="table-wrap">
                                        <table class="table">
                                            <thead>
                                                <tr>
                                                    <th scope="col">{t!(i18n, common.name)}</th>
                                                    <th scope="col">{t!(i18n, areas.level)}</th>
                                                    <th scope="col">{t!(i18n, areas.code)}</th>
                                                    <th scope="col">{t!(i18n, common.status)}</th>
                                                    <th scope="col">{t!(i18n, common.actions)}</th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {list
                                                    .into_iter()
                                                    .map(|a| {
                                                        let edit = a.clone();
                                                        view! {
                                                            <tr>
                                                                <td style=format!("padding-left:{}em", 0.75 + depth(a.level) as f32 * 1.5)>{a.name.clone()}</td>
                                                                <td>{move || area_level_text(i18n.get_locale(), a.level)}</td>
                                                                <td class="mono">{a.code.clone()}</td>
                                                                <td>
                                                                    <ActiveBadge active=a.active />
                                                                </td>
                                                                <td class="actions">
                                                                    <button
                                                                        type="button"
                                                                        class="btn btn-small"
                                                                        on:click=move |_| editing.set(Some(edit.clone()))
                                                                    >
                                                                        {t!(i18n, common.edit)}
                                                                    </button>
                                                                    <ActionForm action=toggle attr:class="inline">
                                                                        <input type="hidden" name="id" value=a.id />
                                                                        <input type="hidden" name="active" value=(!a.active).to_string() />
                                                                        <button type="submit" class="btn btn-small">
                                                                            {if a.active {
                                                                                t_string!(i18n, common.deactivate)
                                                                            } else {
                                                                                t_string!(i18n, common.activate)
                                                                            }}
                                                                        </button>
                                                                    </ActionForm>
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
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                        })
                }}
            </Transition>
        </CenterLayout>
    }
}
