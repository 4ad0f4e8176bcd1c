//! A case's page lists the hazards recorded from it (a unit: its own) and offers to record
//! one, the form starting from the case's code, title, place and point.
use super::api::fetch_of_case;
use super::register::HazardLine;
use crate::i18n::*;
use crate::ui::errors::ErrorAlert;
use leptos::prelude::*;

#[component]
pub fn CaseHazardsCard(case_id: i64, field: bool) -> impl IntoView {
    let i18n = use_i18n();
    let base = if field { "/field/hazards" } else { "/center/hazards" };
    let card = Resource::new(|| (), move |_| fetch_of_case(case_id));
    view! {
        <Transition fallback=|| ()>
            {move || {
                card.get()
                    .map(|r| match r {
                        Ok(c) if c.rows.is_empty() && !c.may_record => ().into_any(),
                        Ok(c) => {
                            let now = c.now_ms;
                            view! {
                                <section class="card" aria-labelledby="case-hazards-title" data-testid="case-hazards">
                                    <h2 class="card-title" id="case-hazards-title">
                                        {t!(i18n, hazard.case_title)}
                                    </h2>
                                    {if c.rows.is_empty() {
                                        view! { <p class="muted small">{t!(i18n, hazard.case_none)}</p> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="hazard-rows">
                                                {c.rows.into_iter().map(|row| view! { <HazardLine row base now phone=true /> }).collect_view()}
                                            </ul>
                                        }
                                            .into_any()
                                    }}
                                    {c
                                        .may_record
                                        .then(|| {
                                            view! {
                                                <a class="btn btn-secondary" href=format!("{base}/new?case={case_id}") data-testid="record-hazard-from-case">
                                                    {t!(i18n, hazard.record_from_case)}
                                                </a>
                                            }
                                        })}
                                </section>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <ErrorAlert error=e /> }.into_any(),
                    })
            }}
        </Transition>
    }
}
