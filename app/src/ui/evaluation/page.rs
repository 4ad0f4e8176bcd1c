//! `/center/evaluation`: the units ranked over the six dimensions for a month, quarter or
//! year, each figure linked to the cases behind it, with the formulas and weights written
//! out; supervisors close a period that is over, administrators set the weights.
use super::api::{FreezePeriod, SaveWeights, fetch_evaluation};
use super::texts::{dimension_formula, dimension_name, period_text, score_text};
use crate::domain::evaluation::{Dimension, EvaluationPage};
use crate::i18n::*;
use crate::ui::center::CenterLayout;
use crate::ui::components::{PageTitle, format_instant};
use crate::ui::emergency::UnitTallies;
use crate::ui::errors::ErrorAlert;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

pub fn period_query() -> Memo<String> {
    let q = use_query_map();
    Memo::new(move |_| q.with(|q| q.get("period").unwrap_or_default()))
}

#[component]
pub fn EvaluationRankingPage() -> impl IntoView {
    let i18n = use_i18n();
    let period = period_query();
    let freeze = ServerAction::<FreezePeriod>::new();
    let weigh = ServerAction::<SaveWeights>::new();
    let page = Resource::new(move || (period.get(), freeze.version().get(), weigh.version().get()), |(p, _, _)| fetch_evaluation(p));
    view! {
        <PageTitle key=|l| td_string!(l, evaluation.title).to_string() />
        <CenterLayout>
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    page.get()
                        .map(|r| match r {
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                            Ok(p) => view! { <Ranking page=p freeze weigh /> }.into_any(),
                        })
                }}
            </Transition>
        </CenterLayout>
    }
}

#[component]
fn Ranking(page: EvaluationPage, freeze: ServerAction<FreezePeriod>, weigh: ServerAction<SaveWeights>) -> impl IntoView {
    let i18n = use_i18n();
    let EvaluationPage { evaluation: e, offered, may_freeze, may_weigh, emergencies } = page;
    let code = e.period.code();
    let export = format!("/center/evaluation/export.xlsx?period={code}");
    let current = e.period;
    let weights = e.weights;
    let status = match e.frozen_ms {
        Some(at) => view! {
            <span class="badge badge-grey" data-testid="evaluation-status" data-frozen="true">
                {t!(i18n, evaluation.frozen)}
            </span>
            " "
            <span class="muted small">{format_instant(at)} " " {e.frozen_by.clone().unwrap_or_default()}</span>
        }
        .into_any(),
        None => view! {
            <span class="badge badge-blue" data-testid="evaluation-status" data-frozen="false">
                {t!(i18n, evaluation.live)}
            </span>
            " "
            <span class="muted small">{t!(i18n, evaluation.computed_at)} " " {format_instant(e.computed_ms)}</span>
        }
        .into_any(),
    };
    let rows = e
        .ranking
        .into_iter()
        .map(|(rank, u)| {
            let cells = Dimension::ALL
                .iter()
                .map(|d| {
                    let d = *d;
                    let s = u.dimension(d).copied();
                    let href = format!("/center/evaluation/drill?period={code}&unit={}&dimension={}", u.unit_id, d.code());
                    view! {
                        <td class="num" data-dimension=d.code()>
                            {s.map(|s| score_text(s.score))}
                            <br />
                            <a class="small" href=href data-testid="evaluation-drill">
                                {s.map(|s| format!("{}/{}", s.numerator, s.denominator))}
                            </a>
                        </td>
                    }
                })
                .collect_view();
            view! {
                <tr data-testid="evaluation-row" data-unit=u.unit.clone()>
                    <td class="num">{rank}</td>
                    <td>{u.unit.clone()}</td>
                    <td class="num" data-testid="evaluation-total">
                        <strong>{score_text(u.total)}</strong>
                    </td>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="page-head">
            <h1>{t!(i18n, evaluation.title)}</h1>
            <div class="page-head-actions">
                <a class="btn btn-secondary" href=export rel="external" download data-testid="evaluation-export">
                    {t!(i18n, evaluation.export)}
                </a>
            </div>
        </div>
        <p class="muted">{t!(i18n, evaluation.intro)}</p>
        <form class="card filters" method="get" action="/center/evaluation">
            <label class="field">
                <span>{t!(i18n, evaluation.period)}</span>
                <select name="period" data-testid="evaluation-period">
                    {offered
                        .into_iter()
                        .map(|o| {
                            view! {
                                <option value=o.code() selected=o == current>
                                    {move || period_text(i18n.get_locale(), o)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary">
                    {t!(i18n, evaluation.show)}
                </button>
            </div>
        </form>
        <section class="card">
            <h2 class="card-title">{move || period_text(i18n.get_locale(), current)} " " {status}</h2>
            {may_freeze
                .then(|| {
                    view! {
                        <ActionForm action=freeze attr:class="no-print">
                            <input type="hidden" name="period" value=current.code() />
                            <p class="muted small">{t!(i18n, evaluation.freeze_hint)}</p>
                            <button type="submit" class="btn btn-secondary" data-testid="evaluation-freeze">
                                {t!(i18n, evaluation.freeze)}
                            </button>
                            {move || freeze.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorAlert error=e /> })}
                        </ActionForm>
                    }
                })}
            <div tabindex="0" class="table-wrap">
                <table class="table" data-testid="evaluation-table">
                    <thead>
                        <tr>
                            <th scope="col" class="num">
                                {t!(i18n, evaluation.rank)}
                            </th>
                            <th scope="col">{t!(i18n, evaluation.unit)}</th>
                            <th scope="col" class="num">
                                {t!(i18n, evaluation.total)}
                            </th>
                            {Dimension::ALL
                                .iter()
                                .map(|d| {
                                    let d = *d;
                                    view! {
                                        <th scope="col" class="num">
                                            {move || dimension_name(i18n.get_locale(), d)}
                                        </th>
                                    }
                                })
                                .collect_view()}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
        <section class="card" aria-labelledby="evaluation-emergencies">
            <h2 class="card-title" id="evaluation-emergencies">
                {t!(i18n, evaluation.emergencies)}
            </h2>
            <p class="muted small">{t!(i18n, evaluation.emergencies_note)}</p>
            <UnitTallies tallies=emergencies compact=false none=move || t!(i18n, emergency.bulletin_none) />
        </section>
        <section class="card">
            <h2 class="card-title">{t!(i18n, evaluation.formulas)}</h2>
            <dl class="formulas">
                {Dimension::ALL
                    .iter()
                    .map(|d| {
                        let d = *d;
                        view! {
                            <dt>{move || dimension_name(i18n.get_locale(), d)} " · " {t!(i18n, evaluation.weight)} " " {weights.of(d)}</dt>
                            <dd>{move || dimension_formula(i18n.get_locale(), d)}</dd>
                        }
                    })
                    .collect_view()}
            </dl>
            <p class="muted small">{t!(i18n, evaluation.total_formula)}</p>
        </section>
        {may_weigh
            .then(|| {
                view! {
                    <section class="card">
                        <h2 class="card-title">{t!(i18n, evaluation.weights)}</h2>
                        <ActionForm action=weigh attr:class="filters" attr:data-testid="evaluation-weights">
                            {Dimension::ALL
                                .iter()
                                .enumerate()
                                .map(|(i, d)| {
                                    let d = *d;
                                    view! {
                                        <label class="field">
                                            <span>{move || dimension_name(i18n.get_locale(), d)}</span>
                                            <input type="number" name=format!("w{i}") min="0" max="100" step="1" value=weights.of(d) required />
                                        </label>
                                    }
                                })
                                .collect_view()}
                            <div class="form-actions">
                                <button type="submit" class="btn btn-primary">
                                    {t!(i18n, evaluation.save_weights)}
                                </button>
                            </div>
                            {move || weigh.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorAlert error=e /> })}
                        </ActionForm>
                    </section>
                }
            })}
    }
}
