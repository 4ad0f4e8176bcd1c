//! `/center/supervision`: the supervision list (督办清单). Filters live in the URL, so a view
//! can be bookmarked and exported as it is; listed cases come by their deadline.
use super::api::list_supervision;
use super::texts::{stage_class, stage_text};
use crate::domain::case::SupervisionStage;
use crate::domain::supervision::SupervisionFilter;
use crate::i18n::*;
use crate::ui::cases::api::fetch_case_options;
use crate::ui::cases::texts::StatusBadge;
use crate::ui::center::CenterLayout;
use crate::ui::components::{PageTitle, format_instant};
use crate::ui::errors::ErrorAlert;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

fn filter_from(q: &ParamsMap) -> Result<SupervisionFilter, crate::error::AppError> {
    let pairs: Vec<(String, String)> = ["stage", "due", "unit", "page"].into_iter().filter_map(|k| q.get(k).map(|v| (k.to_string(), v))).collect();
    Ok(SupervisionFilter::from_query(&pairs)?)
}

#[component]
pub fn SupervisionListPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let options = Resource::new(|| (), |_| fetch_case_options());
    let page = Resource::new(move || query.with(filter_from), |f| async move { list_supervision(f?).await });
    let filter = move || query.with(filter_from).unwrap_or_else(|_| SupervisionFilter::listed());
    let stage_value = move || filter().stage.map_or("all", |s| s.code()).to_string();
    let due_value = move || filter().due_days.map(|d| d.to_string()).unwrap_or_default();
    let unit_value = move || filter().unit_id.map(|d| d.to_string()).unwrap_or_default();
    let export_href = move || format!("/center/supervision/export.xlsx?{}", SupervisionFilter { page: 0, ..filter() }.to_query());
    let page_href = move |p: i64| format!("/center/supervision?{}", SupervisionFilter { page: p, ..filter() }.to_query());
    view! {
        <PageTitle key=|l| td_string!(l, supervision.list_title).to_string() />
        <CenterLayout>
            <div class="page-head">
                <h1>{t!(i18n, supervision.list_title)}</h1>
                <div class="page-head-actions">
                    <a class="btn btn-secondary" href="/center/supervision/bulletins">
                        {t!(i18n, bulletin.title)}
                    </a>
                    <a class="btn btn-secondary" href=export_href rel="external" download data-testid="supervision-export">
                        {t!(i18n, supervision.export)}
                    </a>
                </div>
            </div>
            <p class="muted">{t!(i18n, supervision.intro)}</p>
            <form class="card filters" method="get" action="/center/supervision" data-testid="supervision-filters">
                <label class="field">
                    <span>{t!(i18n, supervision.stage)}</span>
                    <select name="stage">
                        <option value="all" selected=move || stage_value() == "all">
                            {t!(i18n, supervision.all)}
                        </option>
                        {SupervisionStage::ALL
                            .iter()
                            .rev()
                            .map(|s| {
                                let s = *s;
                                view! {
                                    <option value=s.code() selected=move || stage_value() == s.code()>
                                        {move || stage_text(i18n.get_locale(), s)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{t!(i18n, supervision.due)}</span>
                    <select name="due">
                        <option value="" selected=move || due_value().is_empty()>
                            {t!(i18n, supervision.due_any)}
                        </option>
                        <option value="0" selected=move || due_value() == "0">
                            {t!(i18n, supervision.due_today)}
                        </option>
                        <option value="7" selected=move || due_value() == "7">
                            {t!(i18n, supervision.due_week)}
                        </option>
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
                                        <span>{t!(i18n, supervision.unit)}</span>
                                        <select name="unit">
                                            <option value="">{t!(i18n, supervision.any_unit)}</option>
                                            {o
                                                .units
                                                .iter()
                                                .map(|u| {
                                                    let id = u.id.to_string();
                                                    let sel = unit_value() == id;
                                                    view! {
                                                        <option value=id selected=sel>
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
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary">
                        {t!(i18n, supervision.filter)}
                    </button>
                </div>
            </form>
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    page.get()
                        .map(|r| match r {
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                            Ok(p) => {
                                let now = p.now_ms;
                                let (current, pages) = (p.filter.page, p.pages());
                                let listed = p.filter.stage == Some(SupervisionStage::Listed);
                                let table = if p.rows.is_empty() {
                                    view! {
                                        <p class="card empty" data-testid="no-supervision">
                                            {t!(i18n, supervision.empty)}
                                        </p>
                                    }
                                        .into_any()
                                } else {
                                    view! {
                                        <div tabindex="0" class="table-wrap card">
                                            <table class="table" data-testid="supervision-table">
                                                <thead>
                                                    <tr>
                                                        <th scope="col">{t!(i18n, supervision.case)}</th>
                                                        <th scope="col">{t!(i18n, supervision.unit)}</th>
                                                        <th scope="col">{t!(i18n, supervision.stage)}</th>
                                                        <th scope="col">{t!(i18n, supervision.held_to)}</th>
                                                        <th scope="col">{t!(i18n, supervision.leader)}</th>
                                                        <th scope="col">{t!(i18n, supervision.reminders)}</th>
                                                        <th scope="col">{t!(i18n, supervision.status)}</th>
                                                        <th scope="col">{t!(i18n, supervision.case_deadline)}</th>
                                                    </tr>
                                                </thead>
                                                <tbody>
                                                    {p
                                                        .rows
                                                        .into_iter()
                                                        .map(|r| {
                                                            let href = format!("/center/cases/{}", r.case_id);
                                                            let late = r.is_late(now);
                                                            let held_to = match (r.due_ms(), r.ticked_off_ms) {
                                                                (_, Some(t)) => format!("{} {}", t_string!(i18n, supervision.ticked_off_at), format_instant(t)),
                                                                (Some(d), _) => format_instant(d),
                                                                _ => "—".into(),
                                                            };
                                                            let stage = r.stage;
                                                            view! {
                                                                <tr data-testid="supervision-row" data-code=r.code.clone() data-stage=stage.code()>
                                                                    <td>
                                                                        <a class="mono" href=href.clone()>
                                                                            {r.code.clone()}
                                                                        </a>
                                                                        <br />
                                                                        <a href=href>{r.title.clone()}</a>
                                                                    </td>
                                                                    <td>{r.lead_unit.clone().unwrap_or_else(|| "—".into())}</td>
                                                                    <td>
                                                                        <span class=stage_class(stage)>{move || stage_text(i18n.get_locale(), stage)}</span>
                                                                    </td>
                                                                    <td class="nowrap">
                                                                        {held_to}
                                                                        {late
                                                                            .then(|| {
                                                                                view! {
                                                                                    " "
                                                                                    <span class="badge badge-red">{t!(i18n, supervision.late)}</span>
                                                                                }
                                                                            })}
                                                                    </td>
                                                                    <td>{r.leader.clone().unwrap_or_else(|| "—".into())}</td>
                                                                    <td class="num">{r.reminders}</td>
                                                                    <td>
                                                                        <StatusBadge status=r.status />
                                                                    </td>
                                                                    <td class="nowrap">
                                                                        {format_instant(r.deadline_ms)}
                                                                        {r
                                                                            .case_overdue(now)
                                                                            .then(|| {
                                                                                view! {
                                                                                    " "
                                                                                    <span class="badge badge-red">{t!(i18n, sla.overdue)}</span>
                                                                                }
                                                                            })}
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
                                };
                                view! {
                                    <p class="list-total" data-testid="supervision-total" data-total=p.total data-listed=listed>
                                        {t!(i18n, supervision.count_prefix)}
                                        <strong>{p.total}</strong>
                                        {t!(i18n, supervision.count_suffix)}
                                    </p>
                                    {table}
                                    {(pages > 1)
                                        .then(|| {
                                            view! {
                                                <nav class="pager">
                                                    {(current > 0)
                                                        .then(|| {
                                                            view! {
                                                                <a class="btn btn-secondary" href=page_href(current - 1)>
                                                                    {t!(i18n, supervision.prev)}
                                                                </a>
                                                            }
                                                        })} <span class="muted">{t!(i18n, supervision.page)} " " {current + 1} " / " {pages}</span>
                                                    {(current + 1 < pages)
                                                        .then(|| {
                                                            view! {
                                                                <a class="btn btn-secondary" href=page_href(current + 1)>
                                                                    {t!(i18n, supervision.next)}
                                                                </a>
                                                            }
                                                        })}
                                                </nav>
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
