//! The routing models on the categories page: when they last learned, from how many closed
//! cases, and how often they were right on the newest fifth of the history, beside the rules.
use crate::domain::clock::minute_string;
use crate::domain::routing::{Hits, ModelStatus};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

#[server(endpoint = "admin/routing/status")]
pub async fn routing_status() -> Result<Option<ModelStatus>, AppError> {
    crate::server_ctx::require(crate::domain::access::ADMIN).await?;
    Ok(crate::server_ctx::effects()?.routing.status())
}

fn pct(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

#[component]
pub fn RoutingModelCard() -> impl IntoView {
    let i18n = use_i18n();
    let status = Resource::new(|| (), |_| routing_status());
    view! {
        <section class="card" data-testid="routing-model">
            <h2>{t!(i18n, routing.model_title)}</h2>
            <p class="muted small">{t!(i18n, routing.model_intro)}</p>
            <Transition fallback=|| ()>
                {move || {
                    status
                        .get()
                        .map(|r| match r {
                            Err(e) => view! { <crate::ui::errors::ErrorAlert error=e /> }.into_any(),
                            Ok(None) => view! { <p class="muted">{t!(i18n, routing.model_none)}</p> }.into_any(),
                            Ok(Some(s)) => {
                                let a = s.accuracy.clone();
                                let (cases, tested, took) = (s.cases, a.tested_on, s.took_ms);
                                let at = minute_string(s.trained_at_ms).replace('T', " ");
                                let row = |label: String, h: Hits| {
                                    view! {
                                        <tr>
                                            <th scope="row">{label}</th>
                                            <td class="num">{pct(h.top1)}</td>
                                            <td class="num">{pct(h.top3)}</td>
                                        </tr>
                                    }
                                };
                                view! {
                                    <p data-testid="routing-model-facts">
                                        {t!(i18n, routing.model_facts, at = move || at.clone(), n = move || cases, tested = move || tested, ms = move || took)}
                                    </p>
                                    <table class="table">
                                        <thead>
                                            <tr>
                                                <th scope="col"></th>
                                                <th scope="col" class="num">
                                                    "Top-1"
                                                </th>
                                                <th scope="col" class="num">
                                                    "Top-3"
                                                </th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {row(t_string!(i18n, routing.row_category).to_string(), a.category)}
                                            {row(t_string!(i18n, routing.row_lead).to_string(), a.lead)}
                                            {row(t_string!(i18n, routing.row_rule).to_string(), a.rule_lead)}
                                        </tbody>
                                    </table>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Transition>
        </section>
    }
}
