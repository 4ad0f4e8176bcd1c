//! `/center/hazards` and `/field/hazards` (隐患清单): the register on a filter kept in the URL
//! (domain, township, state, supervision, overdue), the counts per domain and per township,
//! the hazards most urgent first, and the export of the same filter.
use super::api::fetch_register;
use super::texts::{domain_text, level_text, status_class, status_text, watch_text};
use crate::domain::hazard::{HazardDomain, HazardFilter, HazardLevel, HazardRow, HazardStatus, HazardTally, Register, Watch};
use crate::i18n::*;
use crate::ui::center::CenterLayout;
use crate::ui::components::{PageTitle, bad_count_class, format_instant};
use crate::ui::errors::ErrorAlert;
use crate::ui::field::FieldLayout;
use crate::ui::live::feed::{Live, LiveDot, use_live};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

const KEYS: [&str; 7] = ["domain", "township", "status", "open", "overdue", "watch", "page"];

fn filter_from(q: &ParamsMap) -> Result<HazardFilter, crate::error::AppError> {
    let pairs: Vec<(String, String)> = KEYS.into_iter().filter_map(|k| q.get(k).map(|v| (k.to_string(), v))).collect();
    Ok(HazardFilter::from_query(&pairs)?)
}

/// The live feed, and the id of the latest hazard notice: a page reloads on it.
pub fn pushed() -> (Live, Memo<Option<i64>>) {
    let live = use_live();
    (live, live.pushed_of(crate::domain::notice::kind::HAZARD))
}

#[component]
pub fn HazardRegisterPage() -> impl IntoView {
    view! {
        <PageTitle key=|l| td_string!(l, hazard.title).to_string() />
        <CenterLayout>
            <RegisterView base="/center/hazards" phone=false />
        </CenterLayout>
    }
}

#[component]
pub fn FieldHazardsPage() -> impl IntoView {
    view! {
        <PageTitle key=|l| td_string!(l, hazard.mine_title).to_string() />
        <FieldLayout>
            <RegisterView base="/field/hazards" phone=true />
        </FieldLayout>
    }
}

#[component]
fn RegisterView(base: &'static str, phone: bool) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let (live, pushed) = pushed();
    let register = Resource::new(move || (query.with(filter_from), pushed.get()), |(f, _)| async move { fetch_register(f?).await });
    let filter = move || query.with(filter_from).unwrap_or_default();
    let export_href = move || format!("/center/hazards/export.xlsx?{}", HazardFilter { page: 0, ..filter() }.to_query());
    view! {
        <div class="page-head">
            <h1 class=if phone {
                "field-h1"
            } else {
                ""
            }>{move || if phone { t_string!(i18n, hazard.mine_title) } else { t_string!(i18n, hazard.title) }} " " <LiveDot live /></h1>
            <div class="page-head-actions">
                <a class="btn btn-primary" href=format!("{base}/new") data-testid="hazard-new">
                    {t!(i18n, hazard.new)}
                </a>
                {(!phone)
                    .then(|| {
                        view! {
                            <a class="btn btn-secondary" href=export_href rel="external" download data-testid="hazard-export">
                                {t!(i18n, hazard.export)}
                            </a>
                        }
                    })}
            </div>
        </div>
        <p class="muted">{t!(i18n, hazard.intro)}</p>
        <Transition fallback=move || {
            view! { <p class="muted">{t!(i18n, common.loading)}</p> }
        }>
            {move || {
                register
                    .get()
                    .map(|r| match r {
                        Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                        Ok(reg) => {
                            let filters = if phone {
                                // On a phone the list comes first; the filters fold away.
                                view! {
                                    <details class="card hazard-filters-fold">
                                        <summary>{t!(i18n, hazard.apply)}</summary>
                                        <Filters reg=reg.clone() base />
                                    </details>
                                }
                                    .into_any()
                            } else {
                                view! { <Filters reg=reg.clone() base /> }.into_any()
                            };
                            view! {
                                {filters}
                                <Tallies
                                    title=t_string!(i18n, hazard.by_domain).to_string()
                                    rows=reg.by_domain.clone()
                                    domain=true
                                    phone
                                    testid="tally-domain"
                                />
                                <Rows reg=reg.clone() base phone />
                                <Tallies
                                    title=t_string!(i18n, hazard.by_township).to_string()
                                    rows=reg.by_township.clone()
                                    domain=false
                                    phone
                                    testid="tally-township"
                                />
                            }
                                .into_any()
                        }
                    })
            }}
        </Transition>
    }
}

#[component]
fn Filters(reg: Register, base: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let f = reg.filter.clone();
    let selected = move |v: Option<String>, code: &str| v.as_deref() == Some(code);
    view! {
        <form class="card filters" method="get" action=base data-testid="hazard-filters">
            <label class="field">
                <span>{t!(i18n, hazard.domain)}</span>
                <select name="domain">
                    <option value="all">{t!(i18n, hazard.all)}</option>
                    {HazardDomain::ALL
                        .iter()
                        .map(|d| {
                            let d = *d;
                            view! {
                                <option value=d.code() selected=selected(f.domain.map(|x| x.code().to_string()), d.code())>
                                    {move || domain_text(i18n.get_locale(), d)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{t!(i18n, hazard.township)}</span>
                <select name="township">
                    <option value="all">{t!(i18n, hazard.all)}</option>
                    {reg
                        .townships
                        .iter()
                        .map(|(id, name)| {
                            view! {
                                <option value=*id selected=f.township_id == Some(*id)>
                                    {name.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{t!(i18n, hazard.status)}</span>
                <select name="status">
                    <option value="all">{t!(i18n, hazard.all)}</option>
                    {HazardStatus::ALL
                        .iter()
                        .map(|s| {
                            let s = *s;
                            view! {
                                <option value=s.code() selected=f.status == Some(s)>
                                    {move || status_text(i18n.get_locale(), s)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{t!(i18n, hazard.watch)}</span>
                <select name="watch">
                    <option value="all">{t!(i18n, hazard.all)}</option>
                    {Watch::ALL
                        .iter()
                        .map(|w| {
                            let w = *w;
                            view! {
                                <option value=w.code() selected=f.watch == Some(w)>
                                    {move || watch_text(i18n.get_locale(), w)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="check">
                <input type="checkbox" name="overdue" value="1" checked=f.overdue data-testid="filter-overdue" />
                {t!(i18n, hazard.only_overdue)}
            </label>
            <label class="check">
                <input type="checkbox" name="open" value="0" checked=!f.open data-testid="filter-closed" />
                {t!(i18n, hazard.with_ticked_off)}
            </label>
            <div class="form-actions">
                <button type="submit" class="btn btn-secondary">
                    {t!(i18n, hazard.apply)}
                </button>
            </div>
        </form>
    }
}

#[component]
fn Tallies(title: String, rows: Vec<HazardTally>, domain: bool, phone: bool, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let name = move |t: &HazardTally| match (domain, t.key.parse::<HazardDomain>()) {
        (true, Ok(d)) => domain_text(i18n.get_locale_untracked(), d),
        _ if t.name.is_empty() => t_string!(i18n, hazard.no_township).to_string(),
        _ => t.name.clone(),
    };
    // A phone lists only what has hazards; the desk's table keeps every domain in its place.
    let rows: Vec<HazardTally> = rows.into_iter().filter(|t| !phone || t.total > 0).collect();
    let body = if rows.is_empty() {
        view! { <p class="muted">{t!(i18n, hazard.none)}</p> }.into_any()
    } else if phone {
        view! {
            <ul class="hazard-tally-list" data-testid=testid>
                {rows
                    .iter()
                    .map(|t| {
                        view! {
                            <li data-testid="tally-row">
                                <strong>{name(t)}</strong>
                                <span class="muted small">
                                    {t!(i18n, hazard.open)} " " {t.open} " · " {t!(i18n, hazard.overdue)} " " {t.overdue} " · " {t!(i18n, hazard.ticked_off)}
                                    " " {t.ticked_off}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    } else {
        view! {
            <div class="table-wrap" tabindex="0">
                <table class="table" data-testid=testid>
                    <thead>
                        <tr>
                            <th scope="col">{if domain { t!(i18n, hazard.domain).into_any() } else { t!(i18n, hazard.township).into_any() }}</th>
                            <th scope="col" class="num">
                                {t!(i18n, hazard.total)}
                            </th>
                            <th scope="col" class="num">
                                {t!(i18n, hazard.open)}
                            </th>
                            <th scope="col" class="num">
                                {t!(i18n, hazard.major_open)}
                            </th>
                            <th scope="col" class="num">
                                {t!(i18n, hazard.overdue)}
                            </th>
                            <th scope="col" class="num">
                                {t!(i18n, hazard.listed)}
                            </th>
                            <th scope="col" class="num">
                                {t!(i18n, hazard.ticked_off)}
                            </th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .iter()
                            .map(|t| {
                                view! {
                                    <tr data-testid="tally-row" data-key=t.key.clone()>
                                        <th scope="row">{name(t)}</th>
                                        <td class="num">{t.total}</td>
                                        <td class="num">{t.open}</td>
                                        <td class=bad_count_class(t.major_open)>{t.major_open}</td>
                                        <td class=bad_count_class(t.overdue)>{t.overdue}</td>
                                        <td class=bad_count_class(t.listed)>{t.listed}</td>
                                        <td class="num">{t.ticked_off}</td>
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
        <section class="card">
            <h2 class="card-title">{title}</h2>
            {body}
        </section>
    }
}

#[component]
fn Rows(reg: Register, base: &'static str, phone: bool) -> impl IntoView {
    let i18n = use_i18n();
    let now = reg.now_ms;
    let f = reg.filter.clone();
    let pages = (reg.total + crate::domain::hazard::HAZARD_PAGE - 1) / crate::domain::hazard::HAZARD_PAGE;
    let page_href = move |p: i64| format!("{base}?{}", HazardFilter { page: p, ..f.clone() }.to_query());
    let (prev, next) = (page_href(reg.filter.page - 1), page_href(reg.filter.page + 1));
    view! {
        <section class="card" aria-labelledby="hazard-list-title">
            <h2 class="card-title" id="hazard-list-title">
                {t!(i18n, hazard.list_title)}
                " "
                <span class="muted small">"(" {reg.total} ")"</span>
            </h2>
            {if reg.rows.is_empty() {
                view! {
                    <p class="muted" data-testid="hazard-none">
                        {t!(i18n, hazard.none)}
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ul class="hazard-rows" data-testid="hazard-list">
                        {reg.rows.into_iter().map(|row| view! { <HazardLine row base now phone /> }).collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            {(pages > 1)
                .then(|| {
                    view! {
                        <nav class="pager" aria-label=move || t_string!(i18n, hazard.pages)>
                            {(reg.filter.page > 0).then(|| view! { <a href=prev.clone()>{t!(i18n, hazard.prev)}</a> })}
                            <span class="muted">{reg.filter.page + 1} " / " {pages}</span>
                            {(reg.filter.page + 1 < pages).then(|| view! { <a href=next.clone()>{t!(i18n, hazard.next)}</a> })}
                        </nav>
                    }
                })}
        </section>
    }
}

/// One hazard in the list: what, where, whose, by when, and its marks.
#[component]
pub fn HazardLine(row: HazardRow, base: &'static str, now: i64, phone: bool) -> impl IntoView {
    let i18n = use_i18n();
    let h = row.hazard;
    let overdue = h.is_overdue(now);
    let (domain, status, level, watch) = (h.facts.domain, h.status, h.facts.level, h.watch);
    let deadline = format_instant(h.facts.deadline_ms);
    let deadline = if phone { deadline[5..10].to_string() } else { deadline[..10].to_string() };
    view! {
        <li class="hazard-row" data-testid="hazard-row" data-id=h.id data-status=status.code()>
            <div class="hazard-head">
                <a href=format!("{base}/{}", h.id)>
                    <strong>{h.facts.title.clone()}</strong>
                </a>
                <span class=status_class(status) data-testid="hazard-status">
                    {move || status_text(i18n.get_locale(), status)}
                </span>
                {(level == HazardLevel::Major).then(|| view! { <span class="badge badge-red">{move || level_text(i18n.get_locale(), level)}</span> })}
                {watch.map(|w| view! { <span class="badge badge-amber">{move || watch_text(i18n.get_locale(), w)}</span> })}
                {overdue
                    .then(|| {
                        view! {
                            <span class="badge badge-red" data-testid="hazard-overdue">
                                {t!(i18n, hazard.overdue)}
                            </span>
                        }
                    })}
            </div>
            <p class="muted small hazard-meta">
                {move || domain_text(i18n.get_locale(), domain)} " · " {row.township.clone()} " " {h.facts.place.clone()} " · " {row.unit.clone()} " · "
                {t!(i18n, hazard.deadline)} " " {deadline}
            </p>
        </li>
    }
}
