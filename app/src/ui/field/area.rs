//! `/field/area` (辖区事件): a township government's, village committee's or grid team's staff
//! read every case of their area on the phone, newest first, by status, a page at a time.
//! Acting stays with the units a case is assigned to: a case the unit does not hold opens
//! read-only.
use crate::domain::case::{AreaPage, CaseStatus};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::cases::texts::{StatusBadge, sla_badge, status_text};
use crate::ui::components::{PageTitle, format_instant};
use crate::ui::errors::ErrorAlert;
use crate::ui::field::FieldLayout;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[server(endpoint = "field/area/list")]
pub async fn area_cases(status: String, after: String) -> Result<AreaPage, AppError> {
    use crate::server_ctx::{auth_session, case_actor, db};
    let user = auth_session().await?.user.ok_or(AppError::Unauthorized)?;
    let status = match status.trim() {
        "" => None,
        s => Some(s.parse::<CaseStatus>()?),
    };
    let after = match after.trim() {
        "" => None,
        raw => Some(crate::domain::case::Cursor::decode(raw).ok_or(AppError::NotFound)?),
    };
    crate::service::cases::area_list(&db()?, &case_actor(&user), status, after).await
}

#[component]
pub fn FieldAreaPage() -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    let args = move || q.with(|q| (q.get("status").unwrap_or_default(), q.get("after").unwrap_or_default()));
    let page = Resource::new(args, |(s, a)| area_cases(s, a));
    let status = move || q.with(|q| q.get("status").unwrap_or_default());
    view! {
        <PageTitle key=|l| td_string!(l, area.title).to_string() />
        <FieldLayout>
            <section class="card">
                <Transition fallback=move || {
                    view! { <p class="muted">{t!(i18n, common.loading)}</p> }
                }>
                    {move || {
                        page.get()
                            .map(|r| match r {
                                Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                                Ok(p) => {
                                    let now = p.page.now_ms;
                                    let next = p.page.next.map(|c| format!("/field/area?status={}&after={}", status(), c.encode()));
                                    view! {
                                        <h1 class="card-title" data-testid="area-name">
                                            {t!(i18n, area.title)}
                                            " · "
                                            {p.area_name}
                                        </h1>
                                        <form method="get" action="/field/area" class="filters">
                                            <label class="field">
                                                <span>{t!(i18n, area.status)}</span>
                                                <select name="status" data-testid="area-status">
                                                    <option value="">{t!(i18n, area.any_status)}</option>
                                                    {CaseStatus::ALL
                                                        .iter()
                                                        .map(|s| {
                                                            let s = *s;
                                                            view! {
                                                                <option value=s.code() selected=move || status() == s.code()>
                                                                    {move || status_text(i18n.get_locale(), s)}
                                                                </option>
                                                            }
                                                        })
                                                        .collect_view()}
                                                </select>
                                            </label>
                                            <button type="submit" class="btn btn-secondary">
                                                {t!(i18n, area.filter)}
                                            </button>
                                        </form>
                                        {if p.page.rows.is_empty() {
                                            view! {
                                                <p class="muted" data-testid="area-empty">
                                                    {t!(i18n, area.empty)}
                                                </p>
                                            }
                                                .into_any()
                                        } else {
                                            view! {
                                                <ul class="inbox-list" data-testid="area-cases">
                                                    {p
                                                        .page
                                                        .rows
                                                        .into_iter()
                                                        .map(|c| {
                                                            let level = c.sla_level(now);
                                                            view! {
                                                                <li class="inbox-entry" data-testid="area-case" data-case=c.id>
                                                                    <a class="inbox-item" href=format!("/field/cases/{}", c.id)>
                                                                        <span class="inbox-title">{c.title.clone()}</span>
                                                                        <span class="inbox-meta">
                                                                            <StatusBadge status=c.status />
                                                                            " "
                                                                            <span class=move || {
                                                                                sla_badge(i18n.get_locale(), level).0
                                                                            }>{move || sla_badge(i18n.get_locale(), level).1}</span>
                                                                        </span>
                                                                        <span class="muted small">
                                                                            {c.area_name.clone().unwrap_or_default()} " · " {c.category_name.clone()} " · "
                                                                            {c.lead_unit.clone().unwrap_or_default()}
                                                                        </span>
                                                                        <span class="muted small">{format_instant(c.received_ms)}</span>
                                                                    </a>
                                                                </li>
                                                            }
                                                        })
                                                        .collect_view()}
                                                </ul>
                                            }
                                                .into_any()
                                        }}
                                        {next
                                            .map(|href| {
                                                view! {
                                                    <p>
                                                        <a class="btn btn-secondary" href=href data-testid="area-more">
                                                            {t!(i18n, area.more)}
                                                        </a>
                                                    </p>
                                                }
                                            })}
                                    }
                                        .into_any()
                                }
                            })
                    }}
                </Transition>
            </section>
        </FieldLayout>
    }
}
