//! `/field/evaluation`: a unit's own scores on its phone, the place it holds among the
//! units ranked, each dimension with its formula and a link to the cases behind it.
use super::api::fetch_evaluation;
use super::page::period_query;
use super::texts::{dimension_formula, dimension_name, period_text, score_text};
use crate::domain::evaluation::{Dimension, EvaluationPage};
use crate::i18n::*;
use crate::ui::components::PageTitle;
use crate::ui::emergency::UnitTallies;
use crate::ui::errors::ErrorAlert;
use crate::ui::field::FieldLayout;
use leptos::prelude::*;

#[component]
pub fn FieldEvaluationPage() -> impl IntoView {
    let i18n = use_i18n();
    let period = period_query();
    let page = Resource::new(move || period.get(), fetch_evaluation);
    view! {
        <PageTitle key=|l| td_string!(l, evaluation.own_title).to_string() />
        <FieldLayout>
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>
                {move || {
                    page.get()
                        .map(|r| match r {
                            Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                            Ok(p) => own(p).into_any(),
                        })
                }}
            </Transition>
        </FieldLayout>
    }
}

fn own(p: EvaluationPage) -> impl IntoView {
    let i18n = use_i18n();
    let e = p.evaluation;
    let current = e.period;
    let code = current.code();
    let ranked = e.ranked;
    let line = e.ranking.into_iter().next();
    let emergencies = p.emergencies;
    view! {
        <section class="card">
            <h1 class="card-title">{t!(i18n, evaluation.own_title)}</h1>
            <form method="get" action="/field/evaluation" class="filters">
                <label class="field">
                    <span>{t!(i18n, evaluation.period)}</span>
                    <select name="period" data-testid="evaluation-period">
                        {p
                            .offered
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
                <button type="submit" class="btn btn-secondary">
                    {t!(i18n, evaluation.show)}
                </button>
            </form>
            {match line {
                None => {
                    view! {
                        <p class="muted" data-testid="evaluation-none">
                            {t!(i18n, evaluation.no_cases)}
                        </p>
                    }
                        .into_any()
                }
                Some((rank, u)) => {
                    view! {
                        <div data-testid="evaluation-own" data-unit=u.unit.clone()>
                            <p class="profile-name">{u.unit.clone()}</p>
                            <dl class="bulletin-totals">
                                <div>
                                    <dt>{t!(i18n, evaluation.total)}</dt>
                                    <dd data-testid="evaluation-total">{score_text(u.total)}</dd>
                                </div>
                                <div>
                                    <dt>{t!(i18n, evaluation.rank)}</dt>
                                    <dd>{rank} " / " {ranked}</dd>
                                </div>
                            </dl>
                            <ul class="bulletin-list">
                                {Dimension::ALL
                                    .iter()
                                    .map(|d| {
                                        let d = *d;
                                        let s = u.dimension(d).copied();
                                        let href = format!("/field/evaluation/drill?period={code}&unit={}&dimension={}", u.unit_id, d.code());
                                        view! {
                                            <li data-dimension=d.code()>
                                                <strong>{move || dimension_name(i18n.get_locale(), d)} " " {s.map(|s| score_text(s.score))}</strong>
                                                <a href=href data-testid="evaluation-drill">
                                                    {s.map(|s| format!("{}/{}", s.numerator, s.denominator))}
                                                </a>
                                                <span class="muted small">{move || dimension_formula(i18n.get_locale(), d)}</span>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </div>
                    }
                        .into_any()
                }
            }}
        </section>
        <section class="card" aria-labelledby="evaluation-emergencies">
            <h2 class="card-title" id="evaluation-emergencies">
                {t!(i18n, evaluation.emergencies)}
            </h2>
            <UnitTallies tallies=emergencies compact=true none=move || t!(i18n, evaluation.emergencies_none_own) />
        </section>
    }
}
