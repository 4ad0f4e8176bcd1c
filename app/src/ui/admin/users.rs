use crate::domain::org::{Role, Staff};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::center::CenterLayout;
use crate::ui::components::{ActiveBadge, PageTitle, SaveCancel, role_text};
use crate::ui::errors::ErrorAlert;
use leptos::form::ActionForm;
use leptos::prelude::*;

#[server(endpoint = "admin/users/list")]
pub async fn list_staff() -> Result<Vec<Staff>, AppError> {
    crate::server_ctx::require(crate::domain::access::ADMIN).await?;
    crate::service::org::staff(&crate::server_ctx::db()?).await
}

/// Creates an account (with its first password) or edits one (password unchanged).
#[server(endpoint = "admin/users/save")]
pub async fn save_staff(
    id: Option<i64>,
    username: String,
    display_name: String,
    role: String,
    unit_id: String,
    phone: String,
    password: Option<String>,
) -> Result<i64, AppError> {
    use crate::server_ctx::{actor, db, require};
    let user = require(crate::domain::access::ADMIN).await?;
    let role: Role = role.parse()?;
    let input = crate::service::org::StaffInput {
        username: &username,
        display_name: &display_name,
        role,
        unit_id: crate::ui::forms::parse_optional_id(&unit_id)?,
        phone: &phone,
    };
    use crate::service::org::{FirstPassword, save_user};
    save_user(&db()?, &actor(&user).await, id, &input, password.as_deref(), FirstPassword::SetByAdmin).await
}

#[server(endpoint = "admin/users/active")]
pub async fn set_staff_active(id: i64, active: bool) -> Result<(), AppError> {
    use crate::server_ctx::{actor, db, require};
    let user = require(crate::domain::access::ADMIN).await?;
    crate::service::org::set_user_active(&db()?, &actor(&user).await, id, active).await
}

/// Clears the failed sign-ins slowing an account down (a stranger's guesses, say).
#[server(endpoint = "admin/users/unlock")]
pub async fn unlock_staff(username: String) -> Result<(), AppError> {
    use crate::server_ctx::{actor, db, require};
    let user = require(crate::domain::access::ADMIN).await?;
    crate::service::signin::unlock(&db()?, &actor(&user).await, &username).await
}

/// Returns the new password so the admin can hand it over; it is shown once.
#[server(endpoint = "admin/users/reset-password")]
pub async fn reset_staff_password(id: i64) -> Result<String, AppError> {
    use crate::server_ctx::{actor, db, require};
    let user = require(crate::domain::access::ADMIN).await?;
    crate::service::org::reset_password(&db()?, &actor(&user).await, id).await
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveStaff>::new();
    let toggle = ServerAction::<SetStaffActive>::new();
    let reset = ServerAction::<ResetStaffPassword>::new();
    let unlock = ServerAction::<UnlockStaff>::new();
    let staff = Resource::new(move || (save.version().get(), toggle.version().get(), unlock.version().get()), |_| list_staff());
    let units = Resource::new(|| (), |_| super::units::list_units());
    let filter = RwSignal::new(String::new());
    let editing = RwSignal::new(None::<Staff>);
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(_))) {
            editing.set(None);
        }
    });
    let error = move || {
        save.value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| toggle.value().get().and_then(|r| r.err()))
            .or_else(|| reset.value().get().and_then(|r| r.err()))
            .or_else(|| unlock.value().get().and_then(|r| r.err()))
    };
    let field = move |f: fn(&Staff) -> String| move || editing.get().map(|s| f(&s)).unwrap_or_default();
    view! {
        <PageTitle key=|l| td_string!(l, users.title).to_string() />
        <CenterLayout>
            <h1>{t!(i18n, users.title)}</h1>
            <section class="card">
                <h2>{move || if editing.get().is_some() { t_string!(i18n, users.edit) } else { t_string!(i18n, users.create) }}</h2>
                <ActionForm action=save attr:class="form form-row" attr:data-testid="user-form">
                    {move || editing.get().map(|s| view! { <input type="hidden" name="id" value=s.id /> })}
                    <label class="field">
                        <span>{t!(i18n, signin.username)}</span>
                        <input name="username" required autocapitalize="none" spellcheck="false" prop:value=field(|s| s.username.clone()) />
                    </label>
                    <label class="field">
                        <span>{t!(i18n, users.display_name)}</span>
                        <input name="display_name" required prop:value=field(|s| s.display_name.clone()) />
                    </label>
                    <label class="field">
                        <span>{t!(i18n, users.role)}</span>
                        <select name="role" prop:value=move || editing.get().map(|s| s.role.code()).unwrap_or("unit_staff")>
                            {Role::ALL.iter().map(|r| view! { <option value=r.code()>{move || role_text(i18n.get_locale(), *r)}</option> }).collect_view()}
                        </select>
                    </label>
                    <label class="field">
                        <span>{t!(i18n, users.unit)}</span>
                        <select name="unit_id" prop:value=field(|s| s.unit_id.map(|u| u.to_string()).unwrap_or_default())>
                            <option value="">{t!(i18n, users.no_unit)}</option>
                            <Transition fallback=|| ()>
                                {move || {
                                    units
                                        .get()
                                        .and_then(|r| r.ok())
                                        .unwrap_or_default()
                                        .into_iter()
                                        .filter(|u| u.active)
                                        .map(|u| view! { <option value=u.id>{u.name}</option> })
                                        .collect_view()
                                }}
                            </Transition>
                        </select>
                    </label>
                    <label class="field">
                        <span>{t!(i18n, common.phone)}</span>
                        <input name="phone" inputmode="tel" prop:value=field(|s| s.phone.clone().unwrap_or_default()) />
                    </label>
                    <Show when=move || editing.get().is_none()>
                        <label class="field">
                            <span>{t!(i18n, users.initial_password)}</span>
                            <input name="password" type="password" autocomplete="new-password" minlength="10" required />
                        </label>
                    </Show>
                    <SaveCancel editing />
                </ActionForm>
                {move || error().map(|e| view! { <ErrorAlert error=e /> })}
                {move || {
                    reset
                        .value()
                        .get()
                        .and_then(|r| r.ok())
                        .map(|pw| {
                            view! {
                                <p class="alert alert-info" role="status">
                                    {t!(i18n, users.new_password_is)}
                                    " "
                                    <code data-testid="new-password">{pw}</code>
                                </p>
                            }
                        })
                }}
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
                    staff
                        .get()
                        .map(|r| match r {
                            Ok(list) => {
                                view! {
                                    <div tabindex="0" class="table-wrap">
                                        <table class="table" data-testid="users-table">
                                            <thead>
                                                <tr>
                                                    <th scope="col">{t!(i18n, signin.username)}</th>
                                                    <th scope="col">{t!(i18n, users.display_name)}</th>
                                                    <th scope="col">{t!(i18n, users.role)}</th>
                                                    <th scope="col">{t!(i18n, users.unit)}</th>
                                                    <th scope="col">{t!(i18n, common.status)}</th>
                                                    <th scope="col">{t!(i18n, common.actions)}</th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {list
                                                    .into_iter()
                                                    .filter(|s| {
                                                        let f = filter.get();
                                                        f.is_empty() || s.username.contains(f.as_str()) || s.display_name.contains(f.as_str())
                                                            || s.unit_name.as_deref().unwrap_or_default().contains(f.as_str())
                                                    })
                                                    .map(|s| {
                                                        let edit = s.clone();
                                                        view! {
                                                            <tr>
                                                                <td class="mono">{s.username.clone()}</td>
                                                                <td>{s.display_name.clone()}</td>
                                                                <td>{move || role_text(i18n.get_locale(), s.role)}</td>
                                                                <td>{s.unit_name.clone().unwrap_or_default()}</td>
                                                                <td>
                                                                    <ActiveBadge active=s.active />
                                                                    {s
                                                                        .throttled
                                                                        .then(|| {
                                                                            view! {
                                                                                <span class="badge badge-red" data-testid="throttled">
                                                                                    "⚠ "
                                                                                    {t!(i18n, users.locked)}
                                                                                </span>
                                                                            }
                                                                        })}
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
                                                                        <input type="hidden" name="id" value=s.id />
                                                                        <input type="hidden" name="active" value=(!s.active).to_string() />
                                                                        <button type="submit" class="btn btn-small">
                                                                            {if s.active {
                                                                                t_string!(i18n, common.deactivate)
                                                                            } else {
                                                                                t_string!(i18n, common.activate)
                                                                            }}
                                                                        </button>
                                                                    </ActionForm>
                                                                    {s
                                                                        .throttled
                                                                        .then(|| {
                                                                            let username = s.username.clone();
                                                                            view! {
                                                                                <ActionForm action=unlock attr:class="inline">
                                                                                    <input type="hidden" name="username" value=username />
                                                                                    <button type="submit" class="btn btn-small">
                                                                                        {t!(i18n, users.unlock)}
                                                                                    </button>
                                                                                </ActionForm>
                                                                            }
                                                                        })}
                                                                    <ActionForm action=reset attr:class="inline">
                                                                        <input type="hidden" name="id" value=s.id />
                                                                        <button type="submit" class="btn btn-small">
                                                                            {t!(i18n, users.reset_password)}
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
