//! `/center/mediation`: the first-time resolution rate (初次化解成功率) of a period, as a
//! whole and by township, mediator and category, each figure opening the mediations behind
//! it below (`?by=township&key=…`, `?first=1` for those that count as first-time).
use super::api::fetch_rate;
use super::card::outcome_text;
use crate::domain::mediation::{ClosedLine, RateReport};
use crate::domain::screen::Rate;
use crate::i18n::*;
use crate::ui::center::CenterLayout;
use crate::ui::components::{PageTitle, format_instant};
use crate::ui::errors::ErrorAlert;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[derive(Clone, PartialEq)]
struct Drill {
    by: String,
    key: String,
    first: bool,
}

impl Drill {
    fn keeps(&self, l: &ClosedLine) -> bool {
        let group = match self.by.as_str() {
            "township" => l.township.clone().unwrap_or_default(),
            "mediator" => mediator_key(l),
            "category" => l.category_name.clone(),
            _ => self.key.clone(),
        };
        group == self.key && (!self.first || l.counts_as_first_time())
    }
}

fn mediator_key(l: &ClosedLine) -> String {
    format!("{}（{}）", l.mediator, l.mediator_org)
}

#[component]
pub fn MediationRatePage() -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    let period = Memo::new(move |_| q.with(|q| (q.get("from").unwrap_or_default(), q.get("to").unwrap_or_default())));
    let drill = Memo::new(move |_| {
        q.with(|q| Drill { by: q.get("by").unwrap_or_default(), key: q.get("key").unwrap_or_default(), first: q.get("first").is_some_and(|v| v == "1") })
    });
    let report = Resource::new(move || period.get(), |(f, t)| fetch_rate(f, t));
    view! {
        <PageTitle key=|l| td_string!(l, mediation.rate_title).to_string() />
        <CenterLayout>
            <h1>{t!(i18n, mediation.rate_title)}</h1>
            <p class="muted">{t!(i18n, mediation.rate_formula)}</p>
            <form class="filters" method="get">
                <label class="field field-inline">
                    <span>{t!(i18n, risk_admin.from)}</span>
                    <input type="date" name="from" value=move || period.get().0 />
                </label>
                <label class="field field-inline">
                    <span>{t!(i18n, risk_admin.to)}</span>
                    <input type="date" name="to" value=move || period.get().1 />
                </label>
                <button type="submit" class="btn btn-secondary">
                    {t!(i18n, mediation.show)}
                </button>
            </form>
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    report
                        .get()
                        .map(|r| match r {
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                            Ok(r) => view! { <Report r drill=drill.get() period=period.get() /> }.into_any(),
                        })
                }}
            </Transition>
        </CenterLayout>
    }
}

#[component]
fn Report(r: RateReport, drill: Drill, period: (String, String)) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let base = format!("/center/mediation?from={}&to={}", period.0, period.1);
    let href = move |by: &str, key: &str, first: bool| format!("{base}&by={by}&key={}{}", urlencoding(key), if first { "&first=1" } else { "" });
    let table = |title: String, by: &'static str, rows: Vec<(String, Rate)>, testid: &'static str| {
        let href = href.clone();
        view! {
            <section class="card">
                <h2>{title}</h2>
                <table class="table" data-testid=testid>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|(k, rate)| {
                                view! {
                                    <tr>
                                        <th scope="row">{k.clone()}</th>
                                        <td class="num">
                                            <a href=href(by, &k, true) data-part=rate.part>
                                                {rate.part}
                                            </a>
                                            " / "
                                            <a href=href(by, &k, false) data-whole=rate.whole>
                                                {rate.whole}
                                            </a>
                                        </td>
                                        <td class="num">{rate.percent_text()}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </section>
        }
    };
    let all_first = href("all", "", true);
    let all = href("all", "", false);
    let drilled = !drill.by.is_empty();
    let lines: Vec<ClosedLine> = r.lines.iter().filter(|x| drilled && drill.keeps(x)).cloned().collect();
    view! {
        <div class="counters">
            <div class="tile tile-rate" data-testid="mediation-rate" data-part=r.rate.part data-whole=r.rate.whole>
                <span class="tile-num">{r.rate.percent_text()}</span>
                <span class="tile-label">{t!(i18n, risk.first_time_rate)}</span>
                <span class="tile-sub">
                    <a href=all_first>{r.rate.part}</a>
                    " / "
                    <a href=all>{r.rate.whole}</a>
                </span>
            </div>
        </div>
        <div class="grid-3">
            {table(t_string!(i18n, mediation.by_township).to_string(), "township", r.by_township.clone(), "rate-townships")}
            {table(t_string!(i18n, mediation.by_mediator).to_string(), "mediator", r.by_mediator.clone(), "rate-mediators")}
            {table(t_string!(i18n, mediation.by_category).to_string(), "category", r.by_category.clone(), "rate-categories")}
        </div>
        {if drilled {
            view! {
                <section class="card">
                    <h2>{t!(i18n, mediation.drilled)} " (" {lines.len()} ")"</h2>
                    <table class="table" data-testid="mediation-lines">
                        <thead>
                            <tr>
                                <th>{t!(i18n, mediation.case)}</th>
                                <th>{t!(i18n, mediation.outcome)}</th>
                                <th>{t!(i18n, risk.township)}</th>
                                <th>{t!(i18n, mediation.mediator)}</th>
                                <th>{t!(i18n, mediation.closed_at)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {lines
                                .into_iter()
                                .map(|x| {
                                    view! {
                                        <tr data-case=x.case_id>
                                            <td>
                                                <a href=format!("/center/cases/{}", x.case_id)>{x.code.clone()}</a>
                                                " "
                                                {x.title.clone()}
                                            </td>
                                            <td>
                                                {outcome_text(l, x.outcome)}
                                                {x
                                                    .rereported
                                                    .then(|| {
                                                        view! {
                                                            " "
                                                            <span class="badge badge-red">{t!(i18n, mediation.rereported)}</span>
                                                        }
                                                    })}
                                            </td>
                                            <td>{x.township.clone().unwrap_or_default()}</td>
                                            <td>{mediator_key(&x)}</td>
                                            <td>{format_instant(x.closed_ms)}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </section>
            }
                .into_any()
        } else {
            view! {
                <p class="muted" data-testid="mediation-hint">
                    {t!(i18n, mediation.drill_hint)}
                </p>
            }
                .into_any()
        }}
    }
}

/// A query value's escapes (names here are Chinese and may hold brackets or spaces).
fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
