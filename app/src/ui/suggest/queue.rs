//! `/center/campaigns/:id`: one call's suggestions for review, filtered in the URL
//! (status, category, area, or "not yet handled"), its statistics by category and area,
//! the Excel export, and publishing the adopted list.
use super::api::{PublishCampaign, campaign_queue};
use super::texts::{SuggestionBadge, phase_text, status_text};
use crate::domain::campaign::{StatLine, SuggestionStatus};
use crate::i18n::*;
use crate::ui::center::CenterLayout;
use crate::ui::components::{PageTitle, format_instant};
use crate::ui::errors::ErrorAlert;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn CampaignQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let q = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let value = move |k: &'static str| q.with(|q| q.get(k).unwrap_or_default());
    let publish = ServerAction::<PublishCampaign>::new();
    let data = Resource::new(
        move || (id(), value("status"), value("category"), value("area"), value("waiting") == "1", publish.version().get()),
        |(id, status, category, area, waiting, _)| campaign_queue(id, status, category, area, waiting),
    );
    let tab = move |waiting: bool| {
        let cur = value("waiting") == "1";
        if cur == waiting { Some("page") } else { None }
    };
    view! {
        <PageTitle key=|l| td_string!(l, campaigns.queue_title).to_string() />
        <CenterLayout>
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    data.get()
                        .map(|r| match r {
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                            Ok(d) => {
                                let cid = d.campaign.campaign.id;
                                let phase = d.campaign.phase;
                                let (status, cat, area) = (value("status"), value("category"), value("area"));
                                view! {
                                    <div class="page-head">
                                        <h1>{d.campaign.campaign.title.clone()}</h1>
                                        <div class="page-head-actions">
                                            <a
                                                class="btn btn-secondary"
                                                href=format!("/center/campaigns/{cid}/export.xlsx")
                                                rel="external"
                                                download
                                                data-testid="campaign-export"
                                            >
                                                {t!(i18n, cases.export_xlsx)}
                                            </a>
                                            <ActionForm action=publish attr:class="inline">
                                                <input type="hidden" name="campaign" value=cid />
                                                <button type="submit" class="btn btn-primary" data-testid="publish-adopted">
                                                    {t!(i18n, campaigns.publish)}
                                                </button>
                                            </ActionForm>
                                        </div>
                                    </div>
                                    <p class="muted">
                                        {format!("{} — {} · ", d.campaign.opens_day, d.campaign.closes_day)}{move || phase_text(i18n.get_locale(), phase)}
                                    </p>
                                    {move || {
                                        publish
                                            .value()
                                            .get()
                                            .map(|r| match r {
                                                Ok(n) => {
                                                    view! {
                                                        <p class="alert alert-ok" role="status" data-testid="published-count">
                                                            {t!(i18n, campaigns.published)}
                                                            {n}
                                                        </p>
                                                    }
                                                        .into_any()
                                                }
                                                Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                                            })
                                    }}
                                    <nav class="tabs">
                                        <a href=format!("/center/campaigns/{cid}") aria-current=move || tab(false)>
                                            {t!(i18n, campaigns.all)}
                                        </a>
                                        <a href=format!("/center/campaigns/{cid}?waiting=1") aria-current=move || tab(true) data-testid="waiting-tab">
                                            {t!(i18n, campaigns.waiting)}
                                        </a>
                                    </nav>
                                    <form class="card filters" method="get" action=format!("/center/campaigns/{cid}") data-testid="queue-filters">
                                        <label class="field">
                                            <span>{t!(i18n, common.status)}</span>
                                            <select name="status">
                                                <option value="">{t!(i18n, cases.any)}</option>
                                                {SuggestionStatus::ALL
                                                    .iter()
                                                    .map(|s| {
                                                        let s = *s;
                                                        let sel = status == s.code();
                                                        view! {
                                                            <option value=s.code() selected=sel>
                                                                {move || status_text(i18n.get_locale(), s)}
                                                            </option>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </select>
                                        </label>
                                        <label class="field">
                                            <span>{t!(i18n, suggestion_field.category)}</span>
                                            <select name="category">
                                                <option value="">{t!(i18n, cases.any)}</option>
                                                {d
                                                    .campaign
                                                    .campaign
                                                    .categories
                                                    .iter()
                                                    .map(|k| {
                                                        let sel = *k == cat;
                                                        view! {
                                                            <option value=k.clone() selected=sel>
                                                                {k.clone()}
                                                            </option>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </select>
                                        </label>
                                        <label class="field">
                                            <span>{t!(i18n, suggest.area)}</span>
                                            <select name="area">
                                                <option value="">{t!(i18n, cases.any)}</option>
                                                {d
                                                    .places
                                                    .iter()
                                                    .map(|p| {
                                                        let sel = p.id.to_string() == area;
                                                        view! {
                                                            <option value=p.id selected=sel>
                                                                {p.path.clone()}
                                                            </option>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </select>
                                        </label>
                                        <div class="form-actions">
                                            <button type="submit" class="btn btn-primary">
                                                {t!(i18n, cases.apply)}
                                            </button>
                                            <a class="btn btn-ghost" href=format!("/center/campaigns/{cid}")>
                                                {t!(i18n, cases.reset)}
                                            </a>
                                        </div>
                                    </form>
                                    {if d.rows.is_empty() {
                                        view! {
                                            <p class="card empty" data-testid="queue-empty">
                                                {t!(i18n, suggest.list_empty)}
                                            </p>
                                        }
                                            .into_any()
                                    } else {
                                        view! {
                                            <div tabindex="0" class="table-wrap card">
                                                <table class="table" data-testid="queue-table">
                                                    <thead>
                                                        <tr>
                                                            <th scope="col">{t!(i18n, cases.code)}</th>
                                                            <th scope="col">{t!(i18n, suggestion_field.name)}</th>
                                                            <th scope="col">{t!(i18n, suggestion_field.category)}</th>
                                                            <th scope="col">{t!(i18n, suggest.area)}</th>
                                                            <th scope="col">{t!(i18n, common.status)}</th>
                                                            <th scope="col">{t!(i18n, suggest.supports)}</th>
                                                            <th scope="col">{t!(i18n, case.received_at)}</th>
                                                        </tr>
                                                    </thead>
                                                    <tbody>
                                                        {d
                                                            .rows
                                                            .into_iter()
                                                            .map(|r| {
                                                                view! {
                                                                    <tr>
                                                                        <td class="mono">
                                                                            <a href=format!("/center/suggestions/{}", r.id)>{r.code.clone()}</a>
                                                                        </td>
                                                                        <td>
                                                                            <a href=format!("/center/suggestions/{}", r.id)>{r.name.clone()}</a>
                                                                        </td>
                                                                        <td>{r.category.clone()}</td>
                                                                        <td>{r.area_name.clone().unwrap_or_default()}</td>
                                                                        <td>
                                                                            <SuggestionBadge status=r.status />
                                                                        </td>
                                                                        <td>{r.supports}</td>
                                                                        <td class="nowrap">{format_instant(r.created_ms)}</td>
                                                                    </tr>
                                                                }
                                                            })
                                                            .collect_view()}
                                                    </tbody>
                                                </table>
                                            </div>
                                        }
                                            .into_any()
                                    }}
                                    <h2>{t!(i18n, campaigns.stats)}</h2>
                                    <div class="stats-grid">
                                        <StatTable
                                            heading=|l| td_string!(l, suggestion_field.category).to_string()
                                            lines=d.stats.by_category.clone()
                                            total=d.stats.total.clone()
                                            testid="stats-category"
                                        />
                                        <StatTable
                                            heading=|l| td_string!(l, suggest.area).to_string()
                                            lines=d.stats.by_area.clone()
                                            total=d.stats.total.clone()
                                            testid="stats-area"
                                        />
                                    </div>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
        </CenterLayout>
    }
}

#[component]
fn StatTable(heading: fn(Locale) -> String, lines: Vec<StatLine>, total: StatLine, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let row = move |l: StatLine, strong: bool| {
        let label = if strong {
            t_string!(i18n, campaigns.sum).to_string()
        } else if l.label.is_empty() {
            t_string!(i18n, suggest.area_whole).to_string()
        } else {
            l.label.clone()
        };
        view! {
            <tr class=if strong { "total" } else { "" }>
                <th scope="row">{label}</th>
                <td>{l.total}</td>
                <td>{l.waiting}</td>
                <td>{l.accepted}</td>
                <td>{l.rejected}</td>
                <td>{l.adopted}</td>
                <td>{l.removed}</td>
            </tr>
        }
    };
    view! {
        <div tabindex="0" class="table-wrap card">
            <table class="table stat-table" data-testid=testid>
                <thead>
                    <tr>
                        <th scope="col">{move || heading(i18n.get_locale())}</th>
                        <th scope="col">{t!(i18n, campaigns.total)}</th>
                        <th scope="col">{t!(i18n, campaigns.waiting)}</th>
                        <th scope="col">{t!(i18n, suggestion_status.accepted)}</th>
                        <th scope="col">{t!(i18n, suggestion_status.rejected)}</th>
                        <th scope="col">{t!(i18n, suggestion_status.adopted)}</th>
                        <th scope="col">{t!(i18n, campaigns.removed)}</th>
                    </tr>
                </thead>
                <tbody>{lines.into_iter().map(|l| row(l, false)).collect_view()} {row(total, true)}</tbody>
            </table>
        </div>
    }
}
