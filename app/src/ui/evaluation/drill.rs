//! The cases behind one figure: `/center/evaluation/drill` and, for a unit's own scores,
//! `/field/evaluation/drill`. The denominator's cases are listed with whether each counted;
//! for rework, the returns and reopenings follow.
use super::api::fetch_drill;
use super::texts::{dimension_formula, dimension_name, period_text};
use crate::domain::evaluation::{Dimension, DrillDown, MarkRow};
use crate::i18n::*;
use crate::ui::center::CenterLayout;
use crate::ui::components::{PageTitle, format_instant};
use crate::ui::errors::ErrorAlert;
use crate::ui::field::FieldLayout;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn marks_list(rows: Vec<MarkRow>, case_href: &'static str, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="bulletin-list" data-testid=testid>
            {rows
                .into_iter()
                .map(|r| {
                    let href = format!("{case_href}/{}", r.case_id);
                    view! {
                        <li data-testid="drill-case" data-hit=r.hit.to_string()>
                            <span class=if r.hit {
                                "badge badge-green"
                            } else {
                                "badge badge-red"
                            }>{if r.hit { t!(i18n, evaluation.hit).into_any() } else { t!(i18n, evaluation.miss).into_any() }}</span>
                            " "
                            <a href=href>
                                <span class="mono">{r.code}</span>
                                " "
                                {r.title}
                            </a>
                            <span class="muted small">{format_instant(r.at_ms)}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
fn Drill(d: DrillDown, case_href: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let (period, dim) = (d.period, d.dimension);
    let rework = dim == Dimension::Rework;
    view! {
        <article class="card bulletin" data-testid="drill" data-base=d.base_total data-counted=d.counted_total>
            <header>
                <h1>{d.unit.clone()} " · " {move || dimension_name(i18n.get_locale(), dim)}</h1>
                <p class="muted">{move || period_text(i18n.get_locale(), period)}</p>
                <p>{move || dimension_formula(i18n.get_locale(), dim)}</p>
                <p>
                    <strong data-testid="drill-counts">{d.counted_total} " / " {d.base_total}</strong>
                </p>
                {((d.base.len() as i64) < d.base_total).then(|| view! { <p class="muted small">{t!(i18n, evaluation.drill_truncated)}</p> })}
            </header>
            <section>
                <h2>{t!(i18n, evaluation.drill_base)} " (" {d.base_total} ")"</h2>
                {marks_list(d.base, case_href, "drill-base")}
            </section>
            {rework
                .then(|| {
                    view! {
                        <section>
                            <h2>{t!(i18n, evaluation.drill_reworked)} " (" {d.counted_total} ")"</h2>
                            {marks_list(d.counted.clone(), case_href, "drill-counted")}
                        </section>
                    }
                })}
        </article>
    }
}

fn drill_resource() -> Resource<Result<DrillDown, crate::error::AppError>> {
    let q = use_query_map();
    let args = move || {
        q.with(|q| {
            let period = q.get("period").unwrap_or_default();
            let unit = q.get("unit").and_then(|u| u.parse::<i64>().ok()).unwrap_or(0);
            let dim = q.get("dimension").and_then(|d| d.parse::<Dimension>().ok()).unwrap_or(Dimension::AckOnTime);
            (period, unit, dim)
        })
    };
    Resource::new(args, |(p, u, d)| fetch_drill(p, u, d))
}

fn drill_view(r: Option<Result<DrillDown, crate::error::AppError>>, case_href: &'static str) -> Option<AnyView> {
    r.map(|r| match r {
        Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
        Ok(d) => view! { <Drill d case_href /> }.into_any(),
    })
}

#[component]
pub fn EvaluationDrillPage() -> impl IntoView {
    let i18n = use_i18n();
    let drill = drill_resource();
    view! {
        <PageTitle key=|l| td_string!(l, evaluation.drill_title).to_string() />
        <CenterLayout>
            <p>
                <a href="/center/evaluation">{t!(i18n, evaluation.back)}</a>
            </p>
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>{move || drill_view(drill.get(), "/center/cases")}</Transition>
        </CenterLayout>
    }
}

#[component]
pub fn FieldDrillPage() -> impl IntoView {
    let i18n = use_i18n();
    let drill = drill_resource();
    view! {
        <PageTitle key=|l| td_string!(l, evaluation.drill_title).to_string() />
        <FieldLayout>
            <p>
                <a href="/field/evaluation">{t!(i18n, evaluation.back)}</a>
            </p>
            <Transition fallback=move || {
                view! { <p class="muted">{t!(i18n, common.loading)}</p> }
            }>{move || drill_view(drill.get(), "/field/cases")}</Transition>
        </FieldLayout>
    }
}
