//! The register as a list: filters in the URL (so a filtered view can be bookmarked,
//! shared and exported), newest first, one page at a time by keyset.
use super::api::{count_cases, fetch_case_options, list_cases};
use super::remembered;
use super::texts::{StatusBadge, channel_text, kind_text, sla_badge, status_text};
use crate::domain::case::{CaseFilter, CaseKind, CaseStatus, Channel};
use crate::i18n::*;
use crate::ui::center::CenterLayout;
use crate::ui::components::{PageTitle, format_instant};
use crate::ui::errors::ErrorAlert;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

pub fn filter_from(q: &ParamsMap) -> CaseFilter {
    CaseFilter::from_query(|k| q.get(k))
}

#[component]
pub fn CaseListPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let options = Resource::new(|| (), |_| fetch_case_options());
    let page = Resource::new(move || query.get(), |q| async move { list_cases(filter_from(&q), q.get("after")).await });
    // Apart from the rows, so a broad filter's count never holds the first page up.
    let total = Resource::new(move || query.with(filter_from), count_cases);
    // Kept in this browser for the desk's link to the list and for `j` (see `remembered`).
    Effect::new(move |_| query.with(remembered::remember_filters));
    Effect::new(move |_| {
        page.with(|p| {
            if let Some(Ok(p)) = p {
                remembered::remember_ids(p.rows.iter().map(|c| c.id));
            }
        })
    });
    let value = move |k: &'static str| query.with(|q| q.get(k).unwrap_or_default());
    let export_href = move |ext: &str| {
        let qs = query.with(|q| q.to_query_string());
        format!("/center/cases/export.{ext}{qs}")
    };
    let next_href = move |after: String| {
        let mut q = query.get();
        q.replace("after", after);
        format!("/center/cases{}", q.to_query_string())
    };
    view! {
        <PageTitle key=|l| td_string!(l, cases.title).to_string() />
        <CenterLayout>
            <div class="page-head">
                <h1>{t!(i18n, cases.title)}</h1>
                <div class="page-head-actions">
                    <a class="btn btn-primary" href="/center/cases/new">
                        "＋ "
                        {t!(i18n, intake.title)}
                    </a>
                    <a class="btn btn-secondary" href=move || export_href("xlsx") rel="external" download>
                        {t!(i18n, cases.export_xlsx)}
                    </a>
                    <a class="btn btn-secondary" href=move || export_href("csv") rel="external" download>
                        {t!(i18n, cases.export_csv)}
                    </a>
                </div>
            </div>
            <form class="card filters" method="get" action="/center/cases" data-testid="case-filters">
                <label class="field grow">
                    <span>{t!(i18n, cases.search)}</span>
                    <input type="search" name="q" value=move || value("q") placeholder=move || t_string!(i18n, cases.search_hint) />
                </label>
                <label class="field">
                    <span>{t!(i18n, common.status)}</span>
                    <select name="status">
                        <option value="">{t!(i18n, cases.any)}</option>
                        {CaseStatus::ALL
                            .iter()
                            .map(|s| {
                                let s = *s;
                                view! {
                                    <option value=s.code() selected=move || value("status") == s.code()>
                                        {move || status_text(i18n.get_locale(), s)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{t!(i18n, case.kind)}</span>
                    <select name="kind">
                        <option value="">{t!(i18n, cases.any)}</option>
                        {CaseKind::ALL
                            .iter()
                            .map(|k| {
                                let k = *k;
                                view! {
                                    <option value=k.code() selected=move || value("kind") == k.code()>
                                        {move || kind_text(i18n.get_locale(), k)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{t!(i18n, case.channel)}</span>
                    <select name="channel">
                        <option value="">{t!(i18n, cases.any)}</option>
                        {Channel::ALL
                            .iter()
                            .map(|c| {
                                let c = *c;
                                view! {
                                    <option value=c.code() selected=move || value("channel") == c.code()>
                                        {move || channel_text(i18n.get_locale(), c)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <Transition fallback=|| ()>
                    {move || {
                        options
                            .get()
                            .and_then(|r| r.ok())
                            .map(|o| {
                                view! {
                                    <label class="field">
                                        <span>{t!(i18n, case.category)}</span>
                                        <select name="category">
                                            <option value="">{t!(i18n, cases.any)}</option>
                                            {o
                                                .categories
                                                .iter()
                                                .map(|c| {
                                                    let code = c.code.clone();
                                                    let sel = value("category") == code;
                                                    view! {
                                                        <option value=code selected=sel>
                                                            {c.name.clone()}
                                                        </option>
                                                    }
                                                })
                                                .collect_view()}
                                        </select>
                                    </label>
                                    <label class="field">
                                        <span>{t!(i18n, case.place)}</span>
                                        <select name="area">
                                            <option value="">{t!(i18n, cases.any)}</option>
                                            {o
                                                .places
                                                .iter()
                                                .map(|p| {
                                                    let sel = value("area") == p.id.to_string();
                                                    view! {
                                                        <option value=p.id selected=sel>
                                                            {p.path.clone()}
                                                        </option>
                                                    }
                                                })
                                                .collect_view()}
                                        </select>
                                    </label>
                                    <label class="field">
                                        <span>{t!(i18n, cases.unit)}</span>
                                        <select name="unit">
                                            <option value="">{t!(i18n, cases.any)}</option>
                                            {o
                                                .units
                                                .iter()
                                                .map(|u| {
                                                    let sel = value("unit") == u.id.to_string();
                                                    view! {
                                                        <option value=u.id selected=sel>
                                                            {u.name.clone()}
                                                        </option>
                                                    }
                                                })
                                                .collect_view()}
                                        </select>
                                    </label>
                                }
                            })
                    }}
                </Transition>
                <label class="field">
                    <span>{t!(i18n, cases.from)}</span>
                    <input type="date" name="from" value=move || value("from") />
                </label>
                <label class="field">
                    <span>{t!(i18n, cases.to)}</span>
                    <input type="date" name="to" value=move || value("to") />
                </label>
                <label class="check">
                    <input type="checkbox" name="overdue" value="1" checked=move || value("overdue") == "1" />
                    {t!(i18n, cases.overdue_only)}
                </label>
                <label class="check">
                    <input type="checkbox" name="open" value="1" checked=move || value("open") == "1" />
                    {t!(i18n, cases.open_only)}
                </label>
                <label class="check">
                    <input type="checkbox" name="command" value="1" checked=move || value("command") == "1" />
                    {t!(i18n, cases.command_only)}
                </label>
                // The closing dates come from the command screen's figures; kept while other
                // filters change, cleared by "reset".
                {move || {
                    ["closed_from", "closed_to"]
                        .into_iter()
                        .filter(|k| !value(k).is_empty())
                        .map(|k| view! { <input type="hidden" name=k value=value(k) /> })
                        .collect_view()
                }}
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary">
                        {t!(i18n, cases.apply)}
                    </button>
                    <a class="btn btn-ghost" href="/center/cases" on:click=|_| remembered::forget_filters()>
                        {t!(i18n, cases.reset)}
                    </a>
                </div>
            </form>
            <Transition fallback=|| ()>
                {move || {
                    total
                        .get()
                        .and_then(|r| r.ok())
                        .map(|n| {
                            view! {
                                <p class="list-total" data-testid="case-total" data-total=n>
                                    {t!(i18n, cases.total_prefix)}
                                    " "
                                    <strong>{n}</strong>
                                    " "
                                    {t!(i18n, cases.total_suffix)}
                                </p>
                            }
                        })
                }}
            </Transition>
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    page.get()
                        .map(|r| match r {
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                            Ok(p) if p.rows.is_empty() => {
                                view! {
                                    <p class="card empty" data-testid="no-cases">
                                        {t!(i18n, cases.empty)}
                                    </p>
                                }
                                    .into_any()
                            }
                            Ok(p) => {
                                let now = p.now_ms;
                                view! {
                                    <div tabindex="0" class="table-wrap card">
                                        <table class="table cases" data-testid="case-table">
                                            <thead>
                                                <tr>
                                                    <th scope="col">{t!(i18n, cases.code)}</th>
                                                    <th scope="col">{t!(i18n, case_field.title)}</th>
                                                    <th scope="col">{t!(i18n, case.category)}</th>
                                                    <th scope="col">{t!(i18n, case.place)}</th>
                                                    <th scope="col">{t!(i18n, case.lead_unit)}</th>
                                                    <th scope="col">{t!(i18n, common.status)}</th>
                                                    <th scope="col">{t!(i18n, case.deadline)}</th>
                                                    <th scope="col">{t!(i18n, case.received_at)}</th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {p
                                                    .rows
                                                    .into_iter()
                                                    .map(|c| {
                                                        let level = c.sla_level(now);
                                                        let open = c.stopped_ms.is_none();
                                                        view! {
                                                            <tr>
                                                                <td class="mono">
                                                                    <a href=format!("/center/cases/{}", c.id)>{c.code.clone()}</a>
                                                                </td>
                                                                <td>
                                                                    <a href=format!("/center/cases/{}", c.id)>{c.title.clone()}</a>
                                                                </td>
                                                                <td>{c.category_name.clone()}</td>
                                                                <td>{c.area_name.clone().unwrap_or_default()}</td>
                                                                <td>{c.lead_unit.clone().unwrap_or_default()}</td>
                                                                <td>
                                                                    <StatusBadge status=c.status />
                                                                </td>
                                                                <td>
                                                                    {open
                                                                        .then(|| {
                                                                            view! {
                                                                                <span class=move || {
                                                                                    sla_badge(i18n.get_locale(), level).0
                                                                                }>{move || sla_badge(i18n.get_locale(), level).1}</span>
                                                                            }
                                                                        })}
                                                                </td>
                                                                <td class="nowrap">{format_instant(c.received_ms)}</td>
                                                            </tr>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                    {p
                                        .next
                                        .map(|n| {
                                            view! {
                                                <p class="more">
                                                    <a class="btn btn-secondary" href=next_href(n.encode())>
                                                        {t!(i18n, cases.next_page)}
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
        </CenterLayout>
    }
}
