use crate::domain::org::{Unit, UnitKind};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::center::CenterLayout;
use crate::ui::components::{ActiveBadge, PageTitle, SaveCancel, unit_kind_text};
use crate::ui::errors::ErrorAlert;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[server(endpoint = "admin/units/list")]
pub async fn list_units() -> Result<Vec<Unit>, AppError> {
    crate::server_ctx::require(crate::domain::access::ADMIN).await?;
    crate::service::org::units(&crate::server_ctx::db()?).await
}

#[server(endpoint = "admin/units/save")]
pub async fn save_unit(id: Option<i64>, name: String, kind: String, area_id: String, phone: String) -> Result<i64, AppError> {
    use crate::server_ctx::{actor, db, require};
    let user = require(crate::domain::access::ADMIN).await?;
    let kind: UnitKind = kind.parse()?;
    let input = crate::service::org::UnitInput { name: &name, kind, area_id: crate::ui::forms::parse_optional_id(&area_id)?, phone: &phone };
    crate::service::org::save_unit(&db()?, &actor(&user).await, id, &input).await
}

#[server(endpoint = "admin/units/active")]
pub async fn set_unit_active(id: i64, active: bool) -> Result<(), AppError> {
    use crate::server_ctx::{actor, db, require};
    let user = require(crate::domain::access::ADMIN).await?;
    crate::service::org::set_unit_active(&db()?, &actor(&user).await, id, active).await
}

#[component]
pub fn UnitsPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveUnit>::new();
    let toggle = ServerAction::<SetUnitActive>::new();
    let units = Resource::new(move || (save.version().get(), toggle.version().get()), |_| list_units());
    let areas = Resource::new(|| (), |_| super::areas::list_areas());
    let filter = RwSignal::new(String::new());
    let editing = RwSignal::new(None::<Unit>);
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(_))) {
            editing.set(None);
        }
    });
    let error = move || save.value().get().and_then(|r| r.err()).or_else(|| toggle.value().get().and_then(|r| r.err()));
    let field = move |f: fn(&Unit) -> String| move || editing.get().map(|u| f(&u)).unwrap_or_default();
    view! {
        <PageTitle key=|l| td_string!(l, units.title).to_string() />
        <CenterLayout>
            <h1>{t!(i18n, units.title)}</h1>
            <section class="card">
                <h2>{move || if editing.get().is_some() { t_string!(i18n, units.edit) } else { t_string!(i18n, units.create) }}</h2>
                <ActionForm action=save attr:class="form form-row" attr:data-testid="unit-form">
                    {move || editing.get().map(|u| view! { <input type="hidden" name="id" value=u.id /> })}
                    <label class="field">
                        <span>{t!(i18n, common.name)}</span>
                        <input name="name" required maxlength="60" prop:value=field(|u| u.name.clone()) />
                    </label>
                    <label class="field">
                        <span>{t!(i18n, units.kind)}</span>
                        <select name="kind" prop:value=move || editing.get().map(|u| u.kind.code()).unwrap_or("resident_department")>
                            {UnitKind::ALL
                                .iter()
                                .map(|k| view! { <option value=k.code()>{move || unit_kind_text(i18n.get_locale(), *k)}</option> })
                                .collect_view()}
                        </select>
                    </label>
                    <label class="field">
                        <span>{t!(i18n, units.area)}</span>
                        <select name="area_id" prop:value=field(|u| u.area_id.map(|a| a.to_string()).unwrap_or_default())>
                            <option value="">{t!(i18n, units.no_area)}</option>
                            <Transition fallback=|| ()>
                                {move || {
                                    areas
                                        .get()
                                        .and_then(|r| r.ok())
                                        .unwrap_or_default()
                                        .into_iter()
                                        .filter(|a| a.active)
                                        .map(|a| view! { <option value=a.id>{a.name}</option> })
                                        .collect_view()
                                }}
                            </Transition>
                        </select>
                    </label>
                    <label class="field">
                        <span>{t!(i18n, common.phone)}</span>
                        <input name="phone" inputmode="tel" prop:value=field(|u| u.phone.clone().unwrap_or_default()) />
                    </label>
                    <SaveCancel editing />
                </ActionForm>
                {move || error().map(|e| view! { <ErrorAlert error=e /> })}
            </section>
            <input
                class="filter"
                type="search"
                aria-label=move || t_string!(i18n, common.filter).to_string()
                placeholder=move || t_string!(i18n, common.filter).to_string()
                on:input=move |ev| filter.set(event_target_value(&ev))
            />
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    units
                        .get()
                        .map(|r| match r {
                            Ok(list) => {
                                view! {
                                    <div tabindex="0" class="table-wrap">
                                        <table class="table" data-testid="units-table">
                                            <thead>
                                                <tr>
                                                    <th scope="col">{t!(i18n, common.name)}</th>
                                                    <th scope="col">{t!(i18n, units.kind)}</th>
                                                    <th scope="col">{t!(i18n, units.area)}</th>
                                                    <th scope="col">{t!(i18n, common.phone)}</th>
                                                    <th scope="col">{t!(i18n, common.status)}</th>
                                                    <th scope="col">{t!(i18n, common.actions)}</th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {list
                                                    .into_iter()
                                                    .filter(|u| {
                                                        let f = filter.get();
                                                        f.is_empty() || u.name.contains(f.as_str())
                                                            || u.area_name.as_deref().unwrap_or_default().contains(f.as_str())
                                                    })
                                                    .map(|u| {
                                                        let edit = u.clone();
                                                        view! {
                                                            <tr>
                                                                <td>{u.name.clone()}</td>
                                                                <td>{move || unit_kind_text(i18n.get_locale(), u.kind)}</td>
                                                                <td>{u.area_name.clone().unwrap_or_default()}</td>
                                                                <td>{u.phone.clone().unwrap_or_default()}</td>
                                                                <td>
                                                                    <ActiveBadge active=u.active />
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
                                                                        <input type="hidden" name="id" value=u.id />
                                                                        <input type="hidden" name="active" value=(!u.active).to_string() />
                                                                        <button type="submit" class="btn btn-small">
                                                                            {if u.active {
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
